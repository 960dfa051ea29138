"""The adapter contract and helpers for reading messy input files.

An adapter turns source paths into a stream of `Parsed` records (a corpus table name and a plain
dict) and `Rejected` entries. It never holds a whole source in memory as Python objects beyond one
file, never validates types itself (the engine does, in batches) and never writes anything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Union

import orjson

from ..errors import IngestError
from ..registry import Registry
from ..store.quarantine import Rejected


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


#: Modules that define adapters; imported on first lookup so a missing one only breaks its format.
_ADAPTER_MODULES = ("ced", "some_db", "jetstream", "liar", "jsonl")
ADAPTERS: Registry[Adapter] = Registry("format", [f"{__package__}.{m}" for m in _ADAPTER_MODULES], IngestError)


def register(name: str, check_refs: bool = True, description: str = "") -> Callable:
    def deco(func: Callable[[list[Path]], Iterator[Out]]) -> Callable:
        ADAPTERS.add(name, Adapter(name, func, check_refs, description or (func.__doc__ or "").strip().split("\n")[0]))
        return func

    return deco


def load_adapters() -> dict[str, Adapter]:
    return ADAPTERS.load_all()


def get_adapter(name: str) -> Adapter:
    return ADAPTERS.lookup(name)


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


_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = {b"\xff\xfe": "UTF-16LE", b"\xfe\xff": "UTF-16BE"}


def _encoding_rejection(file: str, loc: str, encoding: str, data: bytes, how: str) -> Rejected:
    """A quarantine entry that names the encoding found and the command that fixes the file."""
    codec = {"UTF-16LE": "utf-16", "UTF-16BE": "utf-16", "GB18030": "gb18030"}[encoding]
    sample = data[:400].decode(codec, "replace")[:120]
    iconv = "UTF-16" if encoding.startswith("UTF-16") else encoding
    return Rejected(file, loc, f"encoding-{encoding.lower().removesuffix('le').removesuffix('be')}",
                    f"{how}, so the file is {encoding}, not UTF-8; convert it and ingest again: "
                    f"iconv -f {iconv} -t UTF-8 '{Path(file).name}' > fixed.json",
                    sample)


def _utf16_without_bom(data: bytes) -> str | None:
    """'UTF-16LE'/'UTF-16BE' when NUL bytes sit at every other position (ASCII-heavy UTF-16)."""
    head = data[:4000]
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= 0.3 * len(head[1::2]) and even == 0:
        return "UTF-16LE"
    if even >= 0.3 * len(head[0::2]) and odd == 0:
        return "UTF-16BE"
    return None


def _looks_gb18030(data: bytes) -> bool:
    """Invalid UTF-8 that decodes cleanly as GB18030 into mostly CJK text (GBK crawls)."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    wide = [ch for ch in text if ord(ch) > 0x7F]
    return bool(wide) and sum("\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
                              for ch in wide) >= 0.8 * len(wide)


def decode_checked(data: bytes, file: str, loc: str) -> str | Rejected:
    """bytes -> str. A UTF-8 byte-order mark is dropped (UTF-8-SIG is UTF-8). UTF-16 (by its BOM
    or by its NUL pattern) and GB18030/GBK are recognised and rejected with the fix; any other
    NUL byte or invalid UTF-8 is rejected with the offset of the problem."""
    if data.startswith(_UTF8_BOM):
        data = data[3:]
    encoding = _UTF16_BOMS.get(data[:2])
    if encoding:
        return _encoding_rejection(file, loc, encoding, data, "it starts with a UTF-16 byte-order mark")
    nul = data.find(b"\x00")
    if nul >= 0:
        encoding = _utf16_without_bom(data)
        if encoding:
            return _encoding_rejection(file, loc, encoding, data, "every other byte is NUL")
        return Rejected(file, loc, "nul-bytes", f"NUL byte at byte {nul}", data[:200].decode("utf-8", "replace"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _looks_gb18030(data):
            return _encoding_rejection(file, loc, "GB18030", data, f"invalid UTF-8 at byte {exc.start} but valid GB18030 Chinese")
        return Rejected(file, loc, "invalid-utf8", f"invalid UTF-8 at byte {exc.start} (not UTF-16 or GB18030 either)",
                        data[:200].decode("utf-8", "replace"))


def load_json_file(path: Path) -> Any | Rejected:
    """A whole JSON document, or a Rejected explaining why it is unusable."""
    data = path.read_bytes()
    # Fast path: orjson validates UTF-8 itself and rejects raw control characters (NUL included),
    # so a file it parses needs no separate decoding pass; only a failure is diagnosed below.
    try:
        return orjson.loads(data[3:] if data.startswith(_UTF8_BOM) else data)
    except orjson.JSONDecodeError:
        pass
    text = decode_checked(data, str(path), "file")
    if isinstance(text, Rejected):
        return text
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return Rejected(str(path), "file", "malformed-json", str(exc), text[:200])


def iter_json_lines(path: Path) -> Iterator[tuple[str, Any] | Rejected]:
    """(loc, object) for each non-blank line of a JSON-lines file; Rejected for bad lines.
    Streams: only one line is in memory at a time. A UTF-16 file is one file-level entry (split on
    b"\n" its lines would each look like something else)."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
        encoding = _UTF16_BOMS.get(head[:2]) or (_utf16_without_bom(head) if b"\x00" in head else None)
        if encoding:
            yield _encoding_rejection(str(path), "file", encoding, head,
                                      "it starts with a UTF-16 byte-order mark" if head[:2] in _UTF16_BOMS else "every other byte is NUL")
            return
        fh.seek(0)
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
