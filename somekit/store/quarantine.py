"""corpus/quarantine/: rejected input records, one JSON line each, with file, location and reason."""

from __future__ import annotations

import collections
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

import orjson

from .atomic import atomic_path

QUARANTINE_FILE = "quarantine.jsonl"
#: Raw excerpts are capped so a junk multi-MB file cannot bloat the quarantine.
MAX_RAW = 2000


@dataclass(frozen=True)
class Rejected:
    """One rejected input record."""

    file: str          # source file path as given to ingest
    loc: str           # 'line 12', 'offset 3040', 'record 5', or 'file'
    reason: str        # short machine-friendly reason, e.g. 'malformed-json', 'dangling-post'
    detail: str = ""   # human explanation
    raw: str = ""      # excerpt of the offending input

    def to_json(self) -> bytes:
        d = asdict(self)
        d["raw"] = d["raw"][:MAX_RAW]
        return orjson.dumps(d)


def merge_quarantine(qdir: Path, new: Iterable[Rejected]) -> int:
    """Add entries to the quarantine file, skipping ones already there (re-ingesting the same
    source must not duplicate entries). Atomic. Returns how many were added."""
    qdir.mkdir(parents=True, exist_ok=True)
    path = qdir / QUARANTINE_FILE
    seen: set[tuple[str, str, str]] = set()
    existing: list[bytes] = []
    if path.exists():
        for line in path.read_bytes().splitlines():
            if line.strip():
                d = orjson.loads(line)
                seen.add((d["file"], d["loc"], d["reason"]))
                existing.append(line)
    added = 0
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as out:
            for line in existing:
                out.write(line + b"\n")
            for rej in new:
                key = (rej.file, rej.loc, rej.reason)
                if key in seen:
                    continue
                seen.add(key)
                out.write(rej.to_json() + b"\n")
                added += 1
    return added


def quarantine_counts(qdir: Path) -> collections.Counter:
    """Quarantined records by reason."""
    counts: collections.Counter = collections.Counter()
    path = qdir / QUARANTINE_FILE
    if path.exists():
        for line in path.read_bytes().splitlines():
            if line.strip():
                counts[orjson.loads(line)["reason"]] += 1
    return counts
