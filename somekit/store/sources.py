"""Media roots learnt from ingest: the folders `somekit ingest` read are recorded in
corpus/sources.json, and enrichment may read media files inside them (and nowhere else).

Recording the folder of what was actually ingested, rather than asking for [[sources]] in
somekit.toml, is what lets `somekit ingest WS --format jsonl DIR` followed by `somekit enrich WS`
work: the corpus's media sit next to the corpus file. Paths are stored resolved (symlinks
followed), so confinement compares like with like.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import orjson

from .atomic import write_json

if TYPE_CHECKING:   # for annotations only: the workspace sits above the store
    from ..workspace import Workspace

SOURCES_FILE = "sources.json"


def _folder(path: Path) -> Path:
    real = Path(os.path.realpath(path))
    return real.parent if real.is_file() else real


def record_ingest_roots(ws: Workspace, paths: Iterable[str | os.PathLike]) -> list[str]:
    """Add the folders of `paths` (a file's own folder) to corpus/sources.json; returns them all."""
    known = [str(p) for p in ingest_roots(ws)]
    new = [str(_folder(Path(p))) for p in paths]
    roots = list(dict.fromkeys(known + new))
    if roots != known:
        write_json(ws.corpus / SOURCES_FILE, {"roots": roots})
    return roots


def ingest_roots(ws: Workspace) -> list[Path]:
    path = ws.corpus / SOURCES_FILE
    if not path.exists():
        return []
    try:
        return [Path(r) for r in orjson.loads(path.read_bytes()).get("roots", [])]
    except (orjson.JSONDecodeError, AttributeError):
        return []
