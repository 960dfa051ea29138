"""Media in published datasets: an `images` column and a `media_text` column per item, and the
card lines that say which models made which text.

- `images`: the pictures of the posts an item asks about (its inputs' post_id / post_ids, never
  answer-side posts, so a hidden test split gives nothing away). With `embed_media` they are
  `datasets.Image` values carrying the bytes; otherwise the media references as strings (a local
  file relative to its media root, a URL as ingested), since an absolute path of this machine
  would mean nothing to a reader.
- `media_text`: the same tagged text the builders read (enrich/textview.py), empty when
  the task's `media_text` is off.
Media files are read through the enrichment's confinement (enrich.resolve.confine): nothing
outside the media roots is embedded.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from datasets import Features, Image, Value

from ..enrich.resolve import MediaError, confine
from ..enrich.textview import TAGS, media_text_enabled, post_text_parts, render_parts
from ..workspace import Workspace

def input_posts(item: Any) -> list[str]:
    """Posts an item shows the agent (inputs only)."""
    ids = [getattr(item.inputs, "post_id", None)] + list(getattr(item.inputs, "post_ids", None) or [])
    return [i for i in dict.fromkeys(ids) if i]


def media_features(features: Features, embed: bool) -> Features:
    features = Features(dict(features))
    features["images"] = [Image()] if embed else [Value("string")]
    features["media_text"] = Value("string")
    return features


class MediaColumns:
    """Fills the media columns of one workspace's items, reading the corpus media table once."""

    def __init__(self, ws: Workspace, embed: bool):
        from ..enrich.settings import default_roots
        from ..store.query import connect

        self.ws, self.embed = ws, embed
        self.cfg = ws.config()
        self.roots = default_roots(ws, self.cfg)
        con = connect(ws.corpus)
        self.pictures: dict[str, list[str]] = {}
        for post_id, uri in con.execute("SELECT post_id, uri FROM media WHERE kind = 'image' AND post_id IS NOT NULL "
                                        "ORDER BY post_id, id").fetchall():
            self.pictures.setdefault(post_id, []).append(uri)
        con.close()
        self.parts = post_text_parts(ws)
        self.missing = 0

    def _image(self, uri: str) -> Any:
        local = "://" not in uri
        if not local:
            return None if self.embed else uri  # remote media are referenced, never fetched here
        try:
            path = confine(uri, self.roots)
        except MediaError:
            self.missing += 1
            return None
        root = next((r for r in self.roots if r == path or r in path.parents), path.parent)
        name = os.path.relpath(path, root)
        return {"bytes": Path(path).read_bytes(), "path": name} if self.embed else name

    def fill(self, task: str, items: list[Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with_text = media_text_enabled(self.cfg, task)
        for item, row in zip(items, rows):
            posts = input_posts(item)
            images = [self._image(u) for p in posts for u in self.pictures.get(p, [])]
            row["images"] = [i for i in images if i is not None]
            texts = []
            for p in posts if with_text else []:
                if self.parts.get(p):
                    body = render_parts(self.parts[p])
                    texts.append(body if len(posts) == 1 else f"[post {p}]\n{body}")
            row["media_text"] = "\n".join(texts)
        return rows


def card_lines(stats: dict[str, dict[str, Any]]) -> list[str]:
    """The card's media section: per task, the enrichment its items read and the model behind
    each kind of media text (from the builders' stats.json)."""
    lines: list[str] = []
    for task, st in stats.items():
        media = (st or {}).get("media_text") or {}
        if media.get("enrichment"):
            models = "; ".join(f"{TAGS.get(src, src)} by {', '.join(f'`{m}`' for m in ms)}"
                               for src, ms in sorted(media.get("models", {}).items()))
            lines.append(f"- `{task}`: post text = body + media text (enrichment `{media['enrichment']}`): {models or 'no models recorded'}.")
        elif media:
            lines.append(f"- `{task}`: post bodies only (no media text read).")
    if not lines:
        return []
    return ["## Media text", "",
            "Posts whose words sit in a picture or a video are read with that text: OCR, captions and speech "
            "transcripts follow the body on tagged lines, and the `media_text` column holds them per item.", "",
            *lines, ""]
