"""Drop the lines holding a needle from a JSON-lines (or CSV, log) file in one streaming pass.

A workspace's item files reach gigabytes at ten million events; reading one whole would need
as much memory. The file is searched block by block (each block ends at a newline and overlaps
the next by the longest needle, so no match is lost at a seam), the spans of the lines to drop
are kept (a few per user), and the new file is the old one minus those spans, copied by the
kernel (os.copy_file_range) into a temporary file renamed over the old one.

The proof needs no second scan: the kept bytes were searched and held no match, so a trace can
only form where two kept stretches now meet; each such seam is checked.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..store.atomic import atomic_path
from ..errors import PersonaError
from .matcher import Matcher, merge_spans

BLOCK = 64 << 20


def _line_end(fh, pos: int, size: int) -> int:
    """Offset just after the newline at or after `pos` (or the file size)."""
    step = 1 << 16
    while pos < size:
        fh.seek(pos)
        chunk = fh.read(step)
        at = chunk.find(b"\n")
        if at != -1:
            return pos + at + 1
        pos += len(chunk)
    return size


def find_line_spans(path: Path, matcher: Matcher, block: int = BLOCK) -> list[tuple[int, int]]:
    """Sorted, merged [start, end) byte spans of the lines holding a match (newline included)."""
    size = path.stat().st_size
    spans: list[tuple[int, int]] = []
    reach = max(matcher.maxlen, 1)
    with open(path, "rb") as fh:
        start = 0
        while start < size:
            fh.seek(start)
            buf = fh.read(block + reach)
            if start + len(buf) >= size:
                end_rel = len(buf)
            else:
                nl = buf.rfind(b"\n", 0, block)
                end_rel = nl + 1 if nl != -1 else _line_end(fh, start + block, size) - start
                if end_rel > len(buf):  # one line longer than a block: read all of it
                    fh.seek(start)
                    buf = fh.read(end_rel + reach)
            for s, e, _ in matcher._matches(buf):
                if s >= end_rel:
                    continue  # the next block's (it is read again there)
                first = buf.rfind(b"\n", 0, s) + 1
                last = buf.find(b"\n", max(e - 1, s))
                line_end = start + last + 1 if last != -1 else _line_end(fh, start + len(buf), size)
                spans.append((start + first, line_end))
            start += end_rel
    return merge_spans(spans)


def _pread(fd: int, start: int, end: int) -> bytes:
    return os.pread(fd, max(0, end - start), start)


def _copy(src: int, dst: int, start: int, end: int) -> None:
    offset = start
    while offset < end:
        try:
            n = os.copy_file_range(src, dst, end - offset, offset)
        except (AttributeError, OSError):  # no kernel copy here: through user space
            n = os.write(dst, os.pread(src, min(end - offset, 16 << 20), offset))
        if n <= 0:
            raise OSError(f"copy stalled at byte {offset}")
        offset += n


def drop_spans(path: Path, spans: list[tuple[int, int]], matcher: Matcher) -> int:
    """Rewrite `path` without the spans; returns the number of lines dropped. Raises
    PersonaError (file left unchanged) if a seam between kept stretches holds a match."""
    size = path.stat().st_size
    keep, at = [], 0
    for a, b in spans:
        if a > at:
            keep.append((at, a))
        at = b
    if at < size:
        keep.append((at, size))
    reach = matcher.maxlen
    fd = os.open(path, os.O_RDONLY)
    try:
        removed = 0
        for a, b in spans:
            chunk = _pread(fd, a, b)
            removed += chunk.count(b"\n") + (0 if chunk.endswith(b"\n") else 1)
        for (a1, b1), (a2, b2) in zip(keep, keep[1:]):
            if matcher.any(_pread(fd, max(a1, b1 - reach), b1) + _pread(fd, a2, min(b2, a2 + reach))):
                raise PersonaError(f"takedown incomplete: removing lines from {path.name} joined text into a match; "
                                   "file left unchanged")
        with atomic_path(path) as tmp:
            out = os.open(tmp, os.O_WRONLY | os.O_TRUNC)
            try:
                for a, b in keep:
                    _copy(fd, out, a, b)
            finally:
                os.close(out)
    finally:
        os.close(fd)
    return removed
