"""What the rest of somekit reads: enrich/media.parquet and enrich/post_text.parquet.

- media.parquet: one row per corpus media item: media_id, post_id, kind, sha256, ocr, caption,
  transcript (NULL when not run or failed) and error ("step: reason; ..." or NULL).
- post_text.parquet: one row per post with at least one enrichment: post_id, caption, ocr,
  transcript, each the post's media texts joined by newlines in media-id order.

Builders, review and export join post_text on posts.id, e.g. in DuckDB:
    SELECT p.*, e.caption, e.ocr, e.transcript
    FROM posts p LEFT JOIN read_parquet('WS/enrich/post_text.parquet') e ON e.post_id = p.id
or call post_enrichments(ws) for the same table in Arrow.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

import orjson
import pyarrow as pa

from ..store.atomic import write_json
from ..store.parquet import write_table
from ..workspace import Workspace
from .cache import EnrichCache
from .textview import VERSION_FILE

MEDIA_SCHEMA = pa.schema([
    ("media_id", pa.string()), ("post_id", pa.string()), ("kind", pa.string()), ("sha256", pa.string()),
    ("ocr", pa.string()), ("caption", pa.string()), ("transcript", pa.string()), ("error", pa.string()),
])
POST_SCHEMA = pa.schema([
    ("post_id", pa.string()), ("caption", pa.string()), ("ocr", pa.string()), ("transcript", pa.string()),
    # which backend/model made each text (several joined by "; " when a post's media differ)
    ("caption_by", pa.string()), ("ocr_by", pa.string()), ("transcript_by", pa.string()),
])
TEXT_STEPS = ("ocr", "caption", "transcript")


def write_outputs(ws: Workspace, rows: list[dict[str, Any]], cache: EnrichCache) -> int:
    """Fill each media row from the cache, write both tables; returns the number of posts."""
    for row in rows:
        errors = row["error"].split("; ") if row.get("error") else []
        steps = cache.load(row["sha256"])["steps"] if row.get("sha256") else {}
        for st in TEXT_STEPS:
            entry = steps.get(st)
            row[st] = entry["text"] if entry and entry.get("ok") else None
            row[f"{st}_by"] = entry.get("by") if row[st] else None
            if entry and not entry.get("ok") and not entry.get("none"):
                errors.append(f"{st}: {entry.get('error')}")
        row["error"] = "; ".join(dict.fromkeys(errors)) or None
    write_table(ws.enrich / "media.parquet", pa.Table.from_pylist(rows, schema=MEDIA_SCHEMA))

    per_post: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:  # rows are in media-id order, so the joined text is deterministic
        if not row.get("post_id"):
            continue
        for st in TEXT_STEPS:
            if row.get(st):
                per_post[row["post_id"]][st].append(row[st])
                per_post[row["post_id"]][f"{st}_by"].append(row[f"{st}_by"] or "")
    posts = [{"post_id": pid, **{st: "\n".join(texts[st]) or None for st in TEXT_STEPS},
              **{f"{st}_by": "; ".join(dict.fromkeys(texts[f"{st}_by"])) or None for st in TEXT_STEPS}}
             for pid, texts in sorted(per_post.items())]
    write_table(ws.enrich / "post_text.parquet", pa.Table.from_pylist(posts, schema=POST_SCHEMA))
    write_json(ws.enrich / VERSION_FILE, enrichment_version(posts))
    return len(posts)


def enrichment_version(posts: list[dict[str, Any]]) -> dict[str, Any]:
    """A content hash of every post's media text and the models behind it: items record it in
    their provenance, and a change marks them stale (textview.stale_items, `somekit run`)."""
    digest = hashlib.sha256(orjson.dumps(posts, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]
    models = {st: sorted({m for p in posts if p.get(f"{st}_by") for m in p[f"{st}_by"].split("; ")})
              for st in TEXT_STEPS}
    return {"version": digest, "posts": len(posts), "models": {k: v for k, v in models.items() if v}}


def post_enrichments(ws: Workspace) -> pa.Table:
    """post_id, caption, ocr, transcript per enriched post (empty table before any enrich run)."""
    import pyarrow.parquet as pq

    path = ws.enrich / "post_text.parquet"
    return pq.read_table(path) if path.exists() else POST_SCHEMA.empty_table()


def media_enrichments(ws: Workspace) -> pa.Table:
    """One row per media item with its texts and errors (empty table before any enrich run)."""
    import pyarrow.parquet as pq

    path = ws.enrich / "media.parquet"
    return pq.read_table(path) if path.exists() else MEDIA_SCHEMA.empty_table()


def register_enrich_view(con, ws: Workspace, name: str = "post_enrich") -> None:
    """Add a DuckDB view `post_enrich` (post_id, caption, ocr, transcript) to a connection from
    store.query.connect, empty before any enrich run, so builders can always LEFT JOIN it."""
    path = ws.enrich / "post_text.parquet"
    if path.exists():
        literal = "'" + str(path).replace("'", "''") + "'"
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({literal})")
    else:
        con.register(f"_{name}_empty", POST_SCHEMA.empty_table())
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM _{name}_empty")
