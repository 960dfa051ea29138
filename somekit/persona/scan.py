"""Decode every file of a workspace and search it for strings (personal data, taken-down texts).

The search itself is matcher.Matcher (one Aho-Corasick pass per file or column).

A byte scan alone misses what compression hides (zstd Parquet pages, gzip, zip): each file is
read both raw and decoded (Parquet and Arrow as JSON rows, compressed files unpacked, SQLite
row values), and a needle counts as found in either.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import sqlite3
import zipfile
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import orjson

from .matcher import Matcher

COMPRESSED = {".gz": gzip.decompress, ".bz2": bz2.decompress, ".xz": lzma.decompress}


def _zstd(data: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdDecompressor().decompressobj().decompress(data)


def _rows_json(table) -> Iterator[bytes]:
    for batch in table.to_batches(max_chunksize=50_000):
        for row in batch.to_pylist():
            yield orjson.dumps(row, default=str)


def decoded(name: str, data: bytes) -> Iterator[bytes]:
    """The raw bytes, then every decoded view of a file's content."""
    yield data
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            yield from _rows_json(pq.read_table(io.BytesIO(data)))
        elif suffix == ".arrow":
            import pyarrow.ipc as ipc

            try:
                table = ipc.open_stream(io.BytesIO(data)).read_all()
            except Exception:
                table = ipc.open_file(io.BytesIO(data)).read_all()
            yield from _rows_json(table)
        elif suffix in COMPRESSED or suffix in (".zst", ".zstd"):
            inner = COMPRESSED[suffix](data) if suffix in COMPRESSED else _zstd(data)
            yield from decoded(name[: -len(suffix)], inner)
        elif suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for info in zf.infolist():
                    yield from decoded(info.filename, zf.read(info))
    except Exception as exc:  # an undecodable file is reported, never skipped silently
        yield f"<undecodable {name}: {exc}>".encode()


def sqlite_values(path: Path) -> Iterator[bytes]:
    """Every text/blob value of every table of a SQLite file (blobs also decompressed)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in con.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, str):
                        yield value.encode("utf-8")
                    elif isinstance(value, bytes):
                        yield value
    finally:
        con.close()


def _as_matcher(needles: Mapping[str, str] | Matcher) -> Matcher:
    return needles if isinstance(needles, Matcher) else Matcher(needles)


def file_hits(path: Path, needles: Mapping[str, str] | Matcher, first_only: bool = False) -> set[str]:
    """Labels of the needles found in one file (raw bytes or any decoded view); with
    `first_only`, just whether there is any ({'<hit>'} or empty)."""
    matcher = _as_matcher(needles)
    found: set[str] = set()

    def check(view: bytes) -> None:
        if first_only:
            if matcher.any(view):
                found.add("<hit>")
        else:
            found.update(matcher.labels(view))

    data = path.read_bytes()
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        check(data)
        try:
            table = pq.read_table(io.BytesIO(data))
            if first_only:
                if matcher.table_mask(table).any():
                    found.add("<hit>")
            else:
                found |= matcher.table_labels(table)
        except Exception as exc:  # undecodable: reported as a hit so it is never passed over
            found.add(f"<undecodable: {exc}>")
        return found
    for view in decoded(path.name, data):
        check(view)
        if view.startswith(b"<undecodable "):
            found.add(view.decode(errors="replace"))
    if path.suffix in (".sqlite", ".db"):
        check(b"\x00".join(sqlite_values(path)))
    return found


def scan_tree(root: Path, needles: Mapping[str, str] | Matcher, skip: tuple[str, ...] = (),
              only: Iterable[str] | None = None) -> dict[str, list[str]]:
    """relative path -> labels of needles found, for every file under root (skip: relative
    folder prefixes to leave out, e.g. the corpus when scanning outputs; only: just these
    relative paths)."""
    matcher = _as_matcher(needles)
    wanted = set(only) if only is not None else None
    out: dict[str, list[str]] = {}
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if any(rel == s or rel.startswith(s.rstrip("/") + "/") for s in skip):
            continue
        if wanted is not None and rel not in wanted:
            continue
        hits = file_hits(path, matcher)
        if hits:
            out[rel] = sorted(hits)
    return out
