"""One view of a post's text: its body plus the words its media hold (OCR, captions, speech
transcripts), each part tagged with its source and the model that made it.

Every consumer reads a post's text through this module, so a post whose words exist only in its
picture or video is the same post for every task, export and review screen:

- builders on a DuckDB corpus connection call `use_post_text(con, ws, cfg, task)`: from then on
  `posts.text` on that connection is the full text (`posts_body` keeps the body alone), and the
  returned `TextUse` stamps the enrichment version into each item's provenance;
- Python consumers call `post_text_parts(ws, ids)` (tagged parts) or `post_texts(ws, ids)` (the
  full text, through the same SQL).

The full text is composed by one SQL expression (`full_text_sql`): the body, then one line per
source, `[OCR] ...`, `[caption] ...`, `[transcript] ...`. Tags keep an LLM (or an annotator) from
mistaking a picture's words for the author's; a post without enrichment keeps its body unchanged.
`[tasks.<task>] media_text = false` turns the media part off for a task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import orjson
import pyarrow as pa

from ..workspace import Workspace

#: Media text sources in the order they follow the body, with the tag that marks each.
SOURCES = ("ocr", "caption", "transcript")
TAGS = {"ocr": "[OCR]", "caption": "[caption]", "transcript": "[transcript]"}
VERSION_FILE = "version.json"
#: Provenance notes key holding the enrichment version an item read.
NOTE_KEY = "enrichment"


def _lit(path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def full_text_sql(body: str = "p.text", enrich: str = "e") -> str:
    """The one composition rule: body, then each non-empty media text on one tagged line (its own
    line breaks, between OCR lines or between a post's pictures, become ' / ', so every line after
    the body carries its tag). concat_ws skips NULLs; a NULL media text makes `tag || text` NULL."""
    parts = [f"nullif({body}, '')"] + [
        f"'{TAGS[s]} ' || nullif(regexp_replace(trim({enrich}.{s}), '\\s*\\n\\s*', ' / ', 'g'), '')" for s in SOURCES]
    return f"concat_ws(chr(10), {', '.join(parts)})"


def media_text_enabled(cfg: Any, task: str | None) -> bool:
    """`[tasks.<task>] media_text` (default true)."""
    if cfg is None or task is None:
        return True
    section = getattr(cfg, "tasks", {}).get(task)
    if section is None:
        return True
    return bool(getattr(section, "media_text", True))


def enrichment_info(ws: Workspace) -> dict[str, Any] | None:
    """enrich/version.json: {version, models: {source: [model, ...]}, posts}; None when no
    enrichment produced any post text yet."""
    path = ws.enrich / VERSION_FILE
    if not path.exists() or not (ws.enrich / "post_text.parquet").exists():
        return None
    info = orjson.loads(path.read_bytes())
    return info if info.get("posts") else None


def current_version(ws: Workspace, cfg: Any, task: str | None) -> str | None:
    """The enrichment version a task's items would read now (None: body text only)."""
    if not media_text_enabled(cfg, task):
        return None
    info = enrichment_info(ws)
    return info["version"] if info else None


@dataclass
class TextUse:
    """What a builder's connection reads: the enrichment version (None = bodies only)."""

    task: str | None
    version: str | None = None
    models: dict[str, list[str]] = field(default_factory=dict)

    def stamp(self, items: Iterable[Any]) -> list[Any]:
        """Record the enrichment version in each item's provenance notes; returns the items."""
        items = list(items)
        if self.version:
            for item in items:
                item.provenance.notes[NOTE_KEY] = self.version
        return items

    def stats(self) -> dict[str, Any]:
        return {"media_text": {"enrichment": self.version, "models": self.models}}


def use_post_text(con, ws: Workspace, cfg: Any = None, task: str | None = None) -> TextUse:
    """Make `posts.text` on a store.query.connect connection the full text of each post for
    `task` (unless its media_text is off or nothing was enriched); `posts_body` keeps bodies."""
    use = TextUse(task)
    posts = ws.corpus / "posts.parquet"
    info = enrichment_info(ws) if media_text_enabled(cfg, task) else None
    if info is None or not posts.exists():
        return use
    con.execute(f"CREATE OR REPLACE VIEW posts_body AS SELECT * FROM read_parquet({_lit(posts)})")
    con.execute(f"""CREATE OR REPLACE VIEW posts AS
        SELECT p.* REPLACE ({full_text_sql()} AS text)
        FROM posts_body p LEFT JOIN read_parquet({_lit(ws.enrich / 'post_text.parquet')}) e ON e.post_id = p.id""")
    use.version, use.models = info["version"], info.get("models", {})
    return use


def post_texts(ws: Workspace, post_ids: Iterable[str], cfg: Any = None, task: str | None = None) -> dict[str, str]:
    """post id -> full text (body + tagged media text) for the given posts that exist."""
    from ..store.query import connect

    ids = sorted(set(post_ids))
    con = connect(ws.corpus)
    try:
        use_post_text(con, ws, cfg, task)
        con.register("_want", pa.table({"id": pa.array(ids, pa.string())}))
        rows = con.execute("SELECT p.id, coalesce(p.text, '') FROM posts p JOIN _want USING (id)").fetchall()
    finally:
        con.close()
    return dict(rows)


def post_text_parts(ws: Workspace, post_ids: Iterable[str] | None = None) -> dict[str, list[dict[str, str]]]:
    """post id -> [{source, model, text}] of its media text (no body), in SOURCES order; posts
    without enrichment are absent."""
    import duckdb

    path = ws.enrich / "post_text.parquet"
    if not path.exists():
        return {}
    con = duckdb.connect(":memory:")
    try:
        cols = {c[0] for c in con.execute(f"DESCRIBE SELECT * FROM read_parquet({_lit(path)})").fetchall()}
        by = [f"{s}_by" if f"{s}_by" in cols else "NULL" for s in SOURCES]
        sql = f"SELECT post_id, {', '.join(SOURCES)}, {', '.join(by)} FROM read_parquet({_lit(path)}) e"
        if post_ids is not None:
            con.register("_want", pa.table({"id": pa.array(sorted(set(post_ids)), pa.string())}))
            sql += " JOIN _want w ON w.id = e.post_id"
        rows = con.execute(sql + " ORDER BY post_id").fetchall()
    finally:
        con.close()
    out: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        texts, models = row[1:1 + len(SOURCES)], row[1 + len(SOURCES):]
        parts = [{"source": s, "model": m or "", "text": t.strip()}
                 for s, t, m in zip(SOURCES, texts, models) if t and t.strip()]
        if parts:
            out[row[0]] = parts
    return out


def render_parts(parts: list[dict[str, str]]) -> str:
    """Tagged media text as the full text shows it (for exports and dataset columns)."""
    import re

    return "\n".join(TAGS[p["source"]] + " " + re.sub(r"\s*\n\s*", " / ", p["text"]) for p in parts)


def stale_items(ws: Workspace, cfg: Any, task: str) -> int:
    """Items of a task built on another enrichment version than the one they would read now."""
    from ..store.items import ITEMS_FILE

    path = ws.items(task) / ITEMS_FILE
    if not path.exists():
        return 0
    want = current_version(ws, cfg, task)
    stale = 0
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                notes = orjson.loads(line).get("provenance", {}).get("notes") or {}
                stale += notes.get(NOTE_KEY) != want
    return stale


def media_words(ws: Workspace, post_ids: Iterable[str], tasks: Iterable[str], cfg: Any = None) -> dict[str, str]:
    """post id -> the words found in its media (OCR text, then speech transcripts; captions are a
    model's description, not words of the post), for an export serving `tasks`: empty when none
    of them reads media text. This fills SoMe's `ocr` field."""
    cfg = cfg if cfg is not None else ws.config()
    if not any(media_text_enabled(cfg, t) for t in tasks):
        return {}
    out = {}
    for pid, parts in post_text_parts(ws, post_ids).items():
        words = "\n".join(p["text"] for p in parts if p["source"] in ("ocr", "transcript"))
        if words:
            out[pid] = words
    return out
