"""Decode every file of a workspace and search it for strings (personal data, taken-down texts).

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
from typing import Iterator, Mapping

import orjson

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


def needle_forms(needle: str) -> list[bytes]:
    """A string as it appears raw and as it appears inside JSON (escaped)."""
    raw = needle.encode("utf-8")
    escaped = orjson.dumps(needle)[1:-1]
    ascii_escaped = needle.encode("ascii", "backslashreplace") if not needle.isascii() else raw
    return sorted({raw, escaped, ascii_escaped})


def row_mask(table, needles: Mapping[str, str]):
    """Boolean Arrow mask of the rows holding a needle in any column: one vectorised regex per
    string column; nested columns are rendered to JSON (where needles appear escaped)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    mask = pa.array([False] * table.num_rows)
    pattern = forms_pattern(needles)
    if not pattern or table.num_rows == 0:
        return mask
    for col in table.column_names:
        arr = table[col]
        if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
            hit = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
        elif pa.types.is_list(arr.type) and pa.types.is_string(arr.type.value_type):
            arr = arr.combine_chunks()  # parent indices must count rows of the whole column
            flat = pc.list_flatten(arr)
            parents = pc.list_parent_indices(arr).to_numpy()
            flags = pc.fill_null(pc.match_substring_regex(flat, pattern), False).to_numpy(zero_copy_only=False)
            rows = set(parents[flags].tolist())
            hit = pa.array([i in rows for i in range(table.num_rows)]) if rows else None
        elif pa.types.is_primitive(arr.type) or pa.types.is_timestamp(arr.type):
            hit = None
        else:  # other nested columns: their JSON rendering (needles escaped), matched in one batch
            hit = pa.array(any_hit([orjson.dumps(v, default=str) for v in arr.to_pylist()], pattern))
        if hit is not None:
            mask = pc.or_(mask, hit)
    return mask


def table_hits(table, needles: Mapping[str, str]) -> set[str]:
    """Labels of needles in an Arrow table; only candidate rows are rendered to tell which."""
    found: set[str] = set()
    if table.num_rows == 0:
        return found
    for row in _rows_json(table.filter(row_mask(table, needles))):
        found |= {label for label, n in needles.items() if n and any(f in row for f in needle_forms(n))}
    return found


def forms_pattern(needles: Mapping[str, str]) -> str:
    """One RE2 alternation of every needle in every form (raw and JSON-escaped)."""
    import re

    forms = {f for n in needles.values() if n for f in needle_forms(n)}
    return "|".join(re.escape(f.decode("utf-8", "replace")) for f in sorted(forms, key=len, reverse=True))


def any_hit(views: list[bytes], pattern: str):
    """Per view, whether the pattern matches: RE2 (via Arrow) runs in linear time whatever the
    number of needles, where `needle in data` for each of hundreds of needles does not."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pattern or not views:
        return [False] * len(views)
    return pc.fill_null(pc.match_substring_regex(pa.array(views, pa.large_binary()), pattern), False).to_pylist()


def file_hits(path: Path, needles: Mapping[str, str], first_only: bool = False) -> set[str]:
    """Labels of the needles found in one file (raw bytes or any decoded view); with
    `first_only`, just whether there is any ({'<hit>'} or empty)."""
    forms = {label: needle_forms(n) for label, n in needles.items() if n}
    pattern = forms_pattern(needles)
    found: set[str] = set()

    def check(view: bytes) -> None:
        if not any_hit([view], pattern)[0]:
            return  # the common case, decided in one linear pass
        if first_only:
            found.add("<hit>")
            return
        for label, fs in forms.items():
            if label not in found and any(f in view for f in fs):
                found.add(label)

    data = path.read_bytes()
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        check(data)
        try:
            found |= table_hits(pq.read_table(io.BytesIO(data)), needles)
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


def scan_tree(root: Path, needles: Mapping[str, str], skip: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """relative path -> labels of needles found, for every file under root (skip: relative
    folder prefixes to leave out, e.g. the corpus when scanning outputs)."""
    out: dict[str, list[str]] = {}
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if any(rel == s or rel.startswith(s.rstrip("/") + "/") for s in skip):
            continue
        hits = file_hits(path, needles)
        if hits:
            out[rel] = sorted(hits)
    return out
