"""`jsonl`: our own schema, one record per line with a `type` field.

`{"type": "post", "id": ..., ...}` where type is post, user, interaction, media, claim or report
and the other keys are the fields of the matching record in somekit/schemas/corpus.py (unknown
keys are rejected, as everywhere records cross stages). A relative media `uri` is resolved against
the folder of the file that holds it, so a corpus folder can be moved as a whole and its media
found again from any working directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..store.quarantine import Rejected
from .base import Out, Parsed, is_junk, iter_json_lines, junk_rejection, register, walk_files

TYPES = {"post": "posts", "user": "users", "interaction": "interactions", "media": "media",
         "claim": "claims", "report": "reports"}
_SUFFIXES = (".jsonl", ".ndjson", ".json")


def resolve_uri(uri: object, folder: Path) -> object:
    """A relative local path becomes absolute against `folder`; URLs and absolute paths stay."""
    if not isinstance(uri, str) or not uri or "://" in uri or uri.startswith("data:"):
        return uri
    p = Path(uri)
    return uri if p.is_absolute() else str((folder / p).resolve())


@register("jsonl", description="somekit's own JSON lines: one record per line with a `type` field")
def read_jsonl(paths: list[Path]) -> Iterator[Out]:
    for f in walk_files(paths, _SUFFIXES):
        if is_junk(f):
            yield junk_rejection(f)
            continue
        folder = f.resolve().parent
        for item in iter_json_lines(f):
            if isinstance(item, Rejected):
                yield item
                continue
            loc, obj = item
            if not isinstance(obj, dict):
                yield Rejected(str(f), loc, "invalid-record", "line is not a JSON object", repr(obj)[:200])
                continue
            kind = obj.pop("type", None)
            table = TYPES.get(kind) if isinstance(kind, str) else None
            if table is None:
                reason = "missing-type" if kind is None else "unknown-type"
                yield Rejected(str(f), loc, reason, f"type must be one of {', '.join(TYPES)}; got {kind!r}", repr(obj)[:200])
                continue
            if table == "media" and "uri" in obj:
                obj["uri"] = resolve_uri(obj["uri"], folder)
            obj.setdefault("source", f"jsonl:{f.name}")
            yield Parsed(table, obj, str(f), loc)
