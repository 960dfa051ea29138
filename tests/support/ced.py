"""The real CED corpus (../shared/data/ced-weibo) in a throwaway workspace, for the bench scripts
that measure on it. Benches print a `skipped` line when the data is absent; tests use the
session fixture in tests/fixtures instead (it fails under CI when the data is missing)."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[2]
CED = ROOT.parent / "shared" / "data" / "ced-weibo"


@contextmanager
def ced_workspace(path: Path = CED) -> Iterator[object | None]:
    """A fresh workspace with CED ingested, removed on exit; None when `path` is not there."""
    if not path.is_dir():
        yield None
        return
    from somekit.ingest import ingest
    from somekit.workspace import init_workspace

    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        ingest(ws, "ced", [path])
        yield ws
