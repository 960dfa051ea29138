"""The shortcut audit of what was published (`verify --published DIR`, issue 32).

The builders' audit reads the fields a task declares visible; this one reads the published rows,
so a field that reached `inputs` by mistake is audited too. Per task:
- the one-feature rules (shortcuts.py) on every free-text field the published `inputs` carry;
- for UEA, a partial-input baseline: the offline emotion voter (the embedding prototypes of the
  annotation panel) labels each published input text, and the post text alone. A text field whose
  voter accuracy beats the post-only accuracy by more than the shortcut margin on at least
  `shortcut_min_items` items gives the label away (the labelled comment did exactly that).
Labels come from the workspace's items by id: a challenge release publishes none for its test split.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

from ..schemas.tasks import TASKS
from . import Violation
from .shortcut_rows import _post_features, rows_from_items
from .shortcuts import audit, report as shortcut_report, violations
from .visibility import read_published

#: Published input fields that hold ids or times, not text an agent reads for meaning.
_NOT_TEXT_SUFFIXES = ("_id", "_ids", "cutoff", "window_start", "window_end", "user", "scope", "action")


def _text_fields(rows: list[dict[str, Any]]) -> tuple[str, ...]:
    names = {k for r in rows for k, v in (r.get("inputs") or {}).items() if isinstance(v, str)}
    return tuple(sorted(n for n in names if not n.endswith(_NOT_TEXT_SUFFIXES)))


def _as_items(task: str, rows: list[dict[str, Any]], labels: dict[str, str]) -> list[Any]:
    """Published rows as the attribute records rows_from_items reads (label from the workspace)."""
    out = []
    for row in rows:
        label = labels.get(row["id"])
        if label is None:
            continue
        answer = types.SimpleNamespace(**{TASKS[task].label_field: label, "label": label})
        out.append(types.SimpleNamespace(id=row["id"], task=task, answer=answer,
                                         inputs=types.SimpleNamespace(**(row.get("inputs") or {}))))
    return out


def _labels(ws, task: str) -> dict[str, str]:
    from ..store.items import read_items

    spec = TASKS[task]
    return {i.id: lab for i in read_items(ws, task) if (lab := spec.label_of(i)) is not None}


def voter_baseline(ws, items: list[Any], fields: tuple[str, ...], con) -> dict[str, dict[str, float]]:
    """UEA: the offline emotion voter's accuracy on each published text field and on the post
    text alone ('post.text'), over the items that have both."""
    from ..annotate.panel import run_panel
    from ..annotate.voters import OFFLINE_DEFAULT, VoteInput, parse_spec

    spec = next(parse_spec(s) for s in OFFLINE_DEFAULT if s.startswith("embed"))
    posts = _post_features(con, [i.inputs.post_id for i in items])
    out: dict[str, dict[str, float]] = {}
    for name in ("post.text", *fields):
        def text_of(i, name=name):
            return (posts.get(i.inputs.post_id, (None,) * 4)[3] if name == "post.text" else getattr(i.inputs, name, None)) or ""
        texts = [text_of(i) for i in items]
        panel = run_panel(ws, ws.config(), [spec], [VoteInput(i.id, t) for i, t in zip(items, texts)], "zh", measure=False)
        hits = sum(1 for i, votes in zip(items, panel.votes) if votes and votes[0].value == i.answer.label)
        out[name] = {"acc": round(hits / len(items), 4) if items else 0.0, "n": len(items)}
    return out


def audit_published(ws, folder: str | Path, report: dict[str, Any]) -> list[Violation]:
    """Shortcut figures of the published rows into report['shortcuts_published'][task]; a
    violation per rule or text field that gives the answer away."""
    from ..store.query import connect

    cfg = ws.config().verify
    margin, min_items = cfg.max_shortcut_margin, cfg.shortcut_min_items
    con = connect(ws.corpus)
    found: list[Violation] = []
    where = f"published {Path(folder).name}"
    for task, rows in read_published(Path(folder)).items():
        items = _as_items(task, rows, _labels(ws, task))
        if not items:
            continue
        fields = _text_fields(rows)
        user_post = TASKS[task].user_centric
        results = audit(rows_from_items(task, items, con if user_post else None, text_fields=fields))
        section = {"rules": shortcut_report(results), "text_fields": list(fields)}
        for rule, detail in violations(results, margin, min_items):
            found.append(Violation("shortcut-published", task, rule, f"{where}: {detail}"))
        if TASKS[task].panel_labelled:  # the emotion panel's own voter, on every published text
            accs = voter_baseline(ws, items, fields, con)
            section["emotion_voter"] = accs
            post = accs["post.text"]["acc"]
            for name in fields:
                gain = (accs[name]["acc"] - post) * 100
                if len(items) >= min_items and gain > margin:
                    found.append(Violation("shortcut-published", task, f"{name}.emotion_voter",
                                           f"{where}: the offline emotion voter on published input {name!r} scores "
                                           f"{accs[name]['acc']:.3f} vs {post:.3f} from the post alone (+{gain:.1f} > {margin:g} points)"))
        report.setdefault("shortcuts_published", {})[task] = section
    con.close()
    return found
