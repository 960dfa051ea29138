"""The SQL side of the SoMe export: posts as rows, and the database files built from item inputs
(knowledge_data, topic_data, raw_data with their emb_data). writer.py writes user_data and
post_data (with the leak filter) and calls these."""

from __future__ import annotations

import collections
import re
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ...schemas.items import ItemBase
from ...schemas.tasks import task_codes_reading
from . import layout
from ...enrich.textview import media_words

_dump = layout.dump


def fetch_rows(con, sql: str) -> list[dict[str, Any]]:
    rel = con.sql(sql)
    names = rel.columns
    return [dict(zip(names, row)) for row in rel.fetchall()]


def load_table(con, name: str, columns: dict[str, list]) -> None:
    """A temp table from Python lists (empty lists give an empty table, unlike executemany)."""
    con.register(f"_{name}", pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()}))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _{name}")
    con.unregister(f"_{name}")


#: Times as SoMe writes them, in UTC (the RED builder cuts its windows in UTC).
TIME_SQL = "strftime(timezone('UTC', created_at), '%Y-%m-%d %H:%M:%S')"
POST_SQL = f"""
    SELECT p.id, p.author_id, p.text, {TIME_SQL.replace('created_at', 'p.created_at')} AS created, p.location,
           p.reposts_count, p.comments_count, p.likes_count, p.topics, p.platform, u.name AS nickname,
           list(m.uri ORDER BY m.id) FILTER (WHERE m.kind = 'image') AS pictures,
           list(m.uri ORDER BY m.id) FILTER (WHERE m.kind = 'video') AS video
    FROM posts p LEFT JOIN media m ON m.post_id = p.id LEFT JOIN users u ON u.id = p.author_id
    WHERE {{where}} GROUP BY ALL ORDER BY p.id"""


def smq_users(items_by_task: dict[str, list[ItemBase]]) -> list[str]:
    return sorted({i.inputs.scope_id for i in items_by_task.get("smq", []) if i.inputs.scope == "user"})


def safe_name(name: str) -> str:
    """A file name that cannot climb out of its folder."""
    return re.sub(r"[\\/\0]|^\.+", "_", name)[:200] or "_"


def ocr_texts(ws, post_ids: list[str], task: str) -> dict[str, str]:
    """post id -> words read from its media (OCR, transcripts) for SoMe's `ocr` field; empty when
    the task does not read media text (enrich/textview.py decides, per [tasks.X] media_text)."""
    return media_words(ws, post_ids, [task]) if ws is not None else {}


def write_knowledge(con, db: Path, items_by_task: dict[str, list[ItemBase]], embed: layout.Embeddings) -> None:
    if not items_by_task.get("mid"):
        return
    report_ids = sorted({r for i in items_by_task["mid"] for r in i.inputs.report_ids})
    load_table(con, "kb_ids", {"id": report_ids})
    kb = fetch_rows(con, "SELECT content, coalesce(link, '') AS link FROM reports WHERE id IN (SELECT id FROM kb_ids) ORDER BY id")
    _dump(db / "knowledge_data" / "knowledge_base.json", kb)
    if embed.enabled:
        layout.save_matrix(db / "emb_data" / "knowledge_base.npy", embed([r["content"] for r in kb]))


def posts_by_ids(con, ids: list[str]) -> list[dict[str, Any]]:
    load_table(con, "want_ids", {"id": sorted(set(ids))})
    return fetch_rows(con, POST_SQL.format(where="p.id IN (SELECT id FROM want_ids)"))


def write_topics(con, db: Path, items_by_task: dict[str, list[ItemBase]], embed: layout.Embeddings,
                  user_docs: dict[str, dict], ws=None) -> int:
    """topic_data/<topic>.json for SES topics and topic-scoped SMQ questions, and
    emb_data/topic_data.npy: {folder: {post id: vector}} in the folder's post order, for topics
    and for the `<uid>_weibo` folders of user-scoped SMQ questions (post_retrieve reads both)."""
    wanted: dict[str, set[str]] = collections.defaultdict(set)
    for item in items_by_task.get("ses", []):
        wanted[item.inputs.topic] |= set(item.inputs.post_ids)
    for item in items_by_task.get("smq", []):
        if item.inputs.scope == "topic":
            wanted[item.inputs.scope_id] |= set(item.provenance.source_ids) | set(item.answer.evidence_ids)
    emb: dict[str, dict[str, np.ndarray]] = {}
    for topic in sorted(wanted):
        rows = posts_by_ids(con, sorted(wanted[topic]))
        ocr = media_words(ws, [r["id"] for r in rows], task_codes_reading("topic_data")) if ws is not None else {}
        _dump(db / "topic_data" / f"{safe_name(topic)}.json",
              {"media_info": {r["id"]: layout.topic_post(r, ocr.get(r["id"], "")) for r in rows}})
        if embed.enabled:
            emb[topic] = dict(zip([r["id"] for r in rows], embed([r["text"] or "" for r in rows])))
    if embed.enabled:
        for uid in smq_users(items_by_task):
            weibo = user_docs.get(uid, {}).get("weibo", [])
            emb[f"{uid}_weibo"] = dict(zip([str(w["id"]) for w in weibo], embed([w["text"] or "" for w in weibo])))
        # Always written: SoMe's tools package loads it when imported, whatever the task.
        layout.save_pickled_dict(db / "emb_data" / "topic_data.npy", emb)
    return len(wanted)


def write_raw_data(con, db: Path, items_by_task: dict[str, list[ItemBase]], embed: layout.Embeddings,
                   ws=None) -> tuple[int, int]:
    """raw_data/<date>_<location>_sensitive.jsonl per RED location-day: that day's posts (UTC)
    naming the location (field or text, as the RED builder matches them) plus the posts the
    events came from; emb_data/<date>_<location>.npy maps each unique_id to its vector."""
    days: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    ocr_filled = 0
    for item in items_by_task.get("red", []):
        days[(item.inputs.window_start.split(" ")[0], item.inputs.location)] |= set(item.provenance.source_ids)
    for (day, loc), source_ids in sorted(days.items()):
        load_table(con, "red_src", {"id": sorted(source_ids)})
        like = "'%" + loc.replace("'", "''").replace("%", "").replace("_", "") + "%'"
        rows = fetch_rows(con, POST_SQL.format(where=(
            f"p.created_at IS NOT NULL AND strftime(timezone('UTC', p.created_at), '%Y-%m-%d') = '{day}' "
            f"AND (coalesce(p.location, '') LIKE {like} OR coalesce(p.text, '') LIKE {like} "
            "OR p.id IN (SELECT id FROM red_src))")))
        rows.sort(key=lambda r: (r["created"], r["id"]))
        ocr = ocr_texts(ws, [r["id"] for r in rows], "red")
        ocr_filled += sum(1 for r in rows if ocr.get(r["id"]))
        name = layout.raw_data_name(day, loc)
        layout.write_jsonl(db / "raw_data" / safe_name(name), [layout.raw_post(r, ocr.get(r["id"], "")) for r in rows])
        if embed.enabled:
            vectors = embed([(r["text"] or "") + ("\n" + ocr[r["id"]] if ocr.get(r["id"]) else "") for r in rows])
            layout.save_pickled_dict(db / "emb_data" / f"{safe_name(day + '_' + loc)}.npy",
                                     {str(r["id"]): v for r, v in zip(rows, vectors)})
    return len(days), ocr_filled


