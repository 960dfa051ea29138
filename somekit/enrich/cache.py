"""Per-media results in WS/enrich/, keyed by the media's sha256.

One JSON file per sha256 (enrich/ab/abcdef....json) holding one entry per step (ocr, caption,
transcript). An entry records which backend/model produced it (`by`), so switching models redoes
the step while the same model never runs twice on the same bytes, whichever post carries them.
Files are written atomically: a killed run leaves each file old or new, never torn.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson

from ..store.atomic import write_json

class EnrichCache:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.json"

    def load(self, sha256: str) -> dict[str, Any]:
        path = self.path(sha256)
        if not path.exists():
            return {"sha256": sha256, "steps": {}}
        try:
            return orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError:
            # A file damaged outside somekit is redone rather than trusted.
            return {"sha256": sha256, "steps": {}}

    def hit(self, sha256: str, step: str, signature: str) -> dict[str, Any] | None:
        entry = self.load(sha256)["steps"].get(step)
        if entry and entry.get("by") == signature:
            return entry
        return None

    def put(self, sha256: str, kind: str, step: str, entry: dict[str, Any]) -> None:
        data = self.load(sha256)
        data["kind"] = kind
        data["steps"][step] = {**entry, "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        write_json(self.path(sha256), data)


class ShaIndex:
    """media id -> sha256 of its bytes as last read, for corpora whose media records carry no
    sha256: a re-run then finds cached results without downloading or hashing again. A local
    file's entry holds its size and mtime and is trusted only while they are unchanged."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.entries: dict[str, dict[str, Any]] = {}
        if self.path.exists():
            try:
                self.entries = orjson.loads(self.path.read_bytes())
            except orjson.JSONDecodeError:
                self.entries = {}

    def lookup(self, media_id: str, uri: str, stat: tuple[int, int] | None) -> str | None:
        rec = self.entries.get(media_id)
        if not rec or rec.get("uri") != uri:
            return None
        if rec.get("stat") is not None and (stat is None or tuple(rec["stat"]) != tuple(stat)):
            return None
        return rec.get("sha256")

    def record(self, media_id: str, uri: str, sha256: str, stat: tuple[int, int] | None) -> None:
        self.entries[media_id] = {"uri": uri, "sha256": sha256, "stat": list(stat) if stat else None}

    def save(self) -> None:
        write_json(self.path, self.entries)
