"""Audit rows for the shortcut audit, from our items (with the corpus) or SoMe's released files.

Our items: the features come from verify's own queries over the corpus (post time, popularity as
the number of interactions on the post, the post's author), never from builder code. Positions
follow the order in which the export lists a user's items (file order). Only fields an agent sees
are audited: UEA's labelled comment stays hidden, so UEA is audited from the post alone.
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from ..schemas.tasks import TASKS, task_codes
from .shortcuts import AuditRow

#: Tasks whose items ask about one user and one post.
USER_POST = task_codes(user_centric=True)
#: SoMe's released ground-truth files the audit can read (the audited tasks SoMe has).
SOME_FILES = {code: f"{TASKS[code].some_name}.json" for code in task_codes(audited=True) if TASKS[code].some_name}


def _label(item: Any) -> str | None:
    return TASKS[item.task].label_of(item)


def _post_features(con, post_ids: list[str]) -> dict[str, tuple[Any, ...]]:
    """post id -> (author, epoch seconds, interactions on it, text)."""
    if con is None or not post_ids:
        return {}
    con.register("_audit_posts", pa.table({"id": pa.array(sorted(set(post_ids)), pa.string())}))
    try:
        rows = con.execute("""
            SELECT q.id, p.author_id, epoch(p.created_at), coalesce(c.n, 0), p.text
            FROM _audit_posts q JOIN posts p ON p.id = q.id
            LEFT JOIN (SELECT post_id, count(*) AS n FROM interactions
                       WHERE post_id IN (SELECT id FROM _audit_posts) GROUP BY post_id) c ON c.post_id = q.id""").fetchall()
    finally:
        con.unregister("_audit_posts")
    return {r[0]: r[1:] for r in rows}


def rows_from_items(task: str, items: list[Any], con=None) -> list[AuditRow]:
    """Audit rows of one task's items (file order); `con` (DuckDB over the corpus) adds post time,
    popularity, authorship and the post text."""
    user_post = task in USER_POST
    feats = _post_features(con, [i.inputs.post_id for i in items]) if user_post else {}
    position: collections.Counter = collections.Counter()
    rows = []
    for item in items:
        label = _label(item)
        if label is None:
            continue
        inputs = item.inputs
        texts = {name: getattr(inputs, name, None) for name in TASKS[task].audit_texts}
        row = AuditRow(key=item.id, label=label, texts=texts, bucket=getattr(inputs, "action", "") or "")
        if user_post:
            row.user, row.post = inputs.user_id, inputs.post_id
            row.position = position[inputs.user_id]
            position[inputs.user_id] += 1
            author, when, pop, text = feats.get(inputs.post_id, (None, None, None, None))
            if con is not None:
                row.own = author == inputs.user_id
                row.post_time = float(when) if when is not None else None
                row.popularity = float(pop) if pop is not None else None
                row.texts["post.text"] = text
        rows.append(row)
    return rows


def rows_from_some(folder: str | Path) -> dict[str, list[AuditRow]]:
    """Audit rows per task from SoMe's released ground-truth files (those present in `folder`).

    SoMe's files carry user id, post id, position in the user's list and the texts shown; post
    time, popularity and authorship are not in them."""
    folder = Path(folder)
    out: dict[str, list[AuditRow]] = {}
    for task, name in SOME_FILES.items():
        path = folder / name
        if not path.exists():
            continue
        data = orjson.loads(path.read_bytes())
        rows: list[AuditRow] = []
        if not TASKS[task].user_centric:   # claims keyed by event id
            for key, e in data.items():
                rows.append(AuditRow(key=f"{task}:{key}", label=str(e["label"]),
                                     texts={f: e.get(f) for f in TASKS[task].audit_texts}))
        else:
            groups = data.items() if TASKS[task].some_nested_by else [("", data)]
            for action, per_user in groups:
                for uid, entries in per_user.items():
                    for k, e in enumerate(entries):
                        label = e.get("label", e.get("emotion"))
                        texts = {f: e.get(f) for f in ("comment", "repost") if f in e}
                        rows.append(AuditRow(key=f"{task}:{action}:{uid}:{k}", label=str(label), user=str(uid),
                                             post=str(e["weibo_id"]), position=k, texts=texts, bucket=action))
        out[task] = rows
    return out


def audit_items(task: str, items: list[Any], con=None) -> dict[str, dict[str, Any]]:
    """The shortcut audit of one task's items as the `shortcuts` JSON (rule -> acc, ci, n,
    baseline); what builders write to stats.json and freeze to the MANIFEST."""
    from .shortcuts import audit, report

    return report(audit(rows_from_items(task, items, con)))
