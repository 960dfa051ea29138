"""The adapter contract and helpers for reading messy input files.

An adapter turns source paths into a stream of `Parsed` records (a corpus table name and a plain
dict) and `Rejected` entries. It never holds a whole source in memory as Python objects beyond one
file, never validates types itself (the engine does, in batches) and never writes anything.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Union

import orjson

from ...errors import IngestError
from ...store.quarantine import Rejected


@dataclass(slots=True)
class Parsed:
    table: str             # corpus table: posts, users, interactions, media, claims, reports
    record: dict[str, Any]
    file: str
    loc: str


@dataclass(slots=True)
class Columns:
    """Many records of one table in column form (the fast path for big, regular sources).

    `columns` maps field name -> list (or Arrow array) of values, all of length len(locs);
    fields left out take the model's default. `file` is one path for all rows or one per row. The engine tries to convert them to Arrow directly and, if any value
    is not certainly valid, validates the rows one by one exactly like `Parsed` records."""

    table: str
    columns: dict[str, Any]
    file: str | list[str]
    locs: list[str]

    def rows(self) -> Iterator[Parsed]:
        cols = {k: (v.to_pylist() if hasattr(v, "to_pylist") else v) for k, v in self.columns.items()}
        files = self.file if isinstance(self.file, list) else [self.file] * len(self.locs)
        for i, loc in enumerate(self.locs):
            yield Parsed(self.table, {k: v[i] for k, v in cols.items()}, files[i], loc)


Out = Union[Parsed, Rejected, Columns]


@dataclass(frozen=True)
class Adapter:
    name: str
    read: Callable[[list[Path]], Iterator[Out]]
    #: Check that interactions/media/reports point at existing posts/claims (quarantine if not).
    check_refs: bool = True
    description: str = ""


ADAPTERS: dict[str, Adapter] = {}
#: Modules that define adapters; imported on first lookup so a missing one only breaks its format.
_ADAPTER_MODULES = ("ced", "some_db", "jetstream", "liar", "jsonl")


def register(name: str, check_refs: bool = True, description: str = "") -> Callable:
    def deco(func: Callable[[list[Path]], Iterator[Out]]) -> Callable:
        ADAPTERS[name] = Adapter(name, func, check_refs, description or (func.__doc__ or "").strip().split("\n")[0])
        return func

    return deco


def load_adapters() -> dict[str, Adapter]:
    for mod in _ADAPTER_MODULES:
        importlib.import_module(f"{__package__}.{mod}")   # a missing adapter module is a broken install
    return ADAPTERS


def get_adapter(name: str) -> Adapter:
    adapters = load_adapters()
    if name not in adapters:
        raise IngestError(f"unknown format {name!r}; choose one of: {', '.join(sorted(adapters))}")
    return adapters[name]


# ---- reading helpers ------------------------------------------------------------------------

JUNK_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def is_junk(path: Path) -> bool:
    """OS litter that crawls and zip files carry along (macOS resource forks, Finder files)."""
    return path.name in JUNK_NAMES or path.name.startswith("._")


def walk_files(paths: Iterable[Path], suffixes: tuple[str, ...] | None = None) -> Iterator[Path]:
    """Files under the given paths in sorted (deterministic) order; folders are walked."""
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise IngestError(f"source not found: {p}")
        if p.is_file():
            yield p
            continue
        for root, dirs, files in os.walk(p):
            dirs.sort()
            for name in sorted(files):
                f = Path(root) / name
                if suffixes is None or is_junk(f) or f.suffix.lower() in suffixes:
                    yield f


def junk_rejection(path: Path) -> Rejected:
    return Rejected(str(path), "file", "junk-file", "operating-system file, not data")


def decode_checked(data: bytes, file: str, loc: str) -> str | Rejected:
    """bytes -> str, rejecting NUL bytes and invalid UTF-8 with the offset of the problem."""
    nul = data.find(b"\x00")
    if nul >= 0:
        return Rejected(file, loc, "nul-bytes", f"NUL byte at byte {nul}", data[:200].decode("utf-8", "replace"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected(file, loc, "invalid-utf8", f"invalid UTF-8 at byte {exc.start}", data[:200].decode("utf-8", "replace"))


def load_json_file(path: Path) -> Any | Rejected:
    """A whole JSON document, or a Rejected explaining why it is unusable."""
    data = path.read_bytes()
    text = decode_checked(data, str(path), "file")
    if isinstance(text, Rejected):
        return text
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return Rejected(str(path), "file", "malformed-json", str(exc), text[:200])


def iter_json_lines(path: Path) -> Iterator[tuple[str, Any] | Rejected]:
    """(loc, object) for each non-blank line of a JSON-lines file; Rejected for bad lines.
    Streams: only one line is in memory at a time."""
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            loc = f"line {number}"
            text = decode_checked(line.rstrip(b"\r\n"), str(path), loc)
            if isinstance(text, Rejected):
                yield text
                continue
            try:
                yield loc, orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                yield Rejected(str(path), loc, "malformed-json", str(exc), text[:200])
