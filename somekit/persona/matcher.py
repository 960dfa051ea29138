"""Find many strings at once in bytes, lines and Arrow columns, in one linear pass each.

A takedown looks for hundreds of needles (a user's DID, salted ids, every text they wrote, in
raw and JSON-escaped forms) in every file of a workspace. An Aho-Corasick automaton
(pyahocorasick) finds all of them in one pass over the data, whatever their number; a regex
alternation of hundreds of literals does not stay linear, and a Python loop over rows is far
slower than the data itself.

Bytes are matched as latin-1 text (one char per byte, so positions are byte offsets and UTF-8
needles match byte for byte). An Arrow string column is matched over its whole value buffer at
once; each match position is mapped back to its row through the offsets buffer, and a match
that straddles two values is discarded (matches are reported overlapping, so a real match
inside either value is reported on its own).
"""

from __future__ import annotations

from typing import Iterable, Mapping

import json

import numpy as np
import orjson


def needle_forms(needle: str) -> list[bytes]:
    """A string as it appears raw and as it appears inside JSON (escaped, or ASCII-escaped)."""
    raw = needle.encode("utf-8")
    escaped = orjson.dumps(needle)[1:-1]
    ascii_escaped = needle.encode("ascii", "backslashreplace") if not needle.isascii() else raw
    json_ascii = json.dumps(needle)[1:-1].encode("ascii")  # Python's json (ensure_ascii) form
    return sorted({raw, escaped, ascii_escaped, json_ascii})


class Matcher:
    """All forms of all needles in one automaton; labels tell which needle a form belongs to."""

    def __init__(self, needles: Mapping[str, str]):
        import ahocorasick

        self._auto = ahocorasick.Automaton()
        self.forms: dict[bytes, set[str]] = {}
        for label, needle in needles.items():
            if not needle:
                continue
            for form in needle_forms(needle):
                self.forms.setdefault(form, set()).add(label)
        for form, labels in self.forms.items():
            self._auto.add_word(form.decode("latin-1"), (len(form), tuple(sorted(labels))))
        self.empty = not self.forms
        if not self.empty:
            self._auto.make_automaton()

    # ---- bytes ---------------------------------------------------------------------------

    def _matches(self, data: bytes | memoryview) -> Iterable[tuple[int, int, tuple[str, ...]]]:
        """(start, end exclusive, labels) of every match."""
        if self.empty or not data:
            return ()
        text = bytes(data).decode("latin-1")
        return ((end + 1 - n, end + 1, labels) for end, (n, labels) in self._auto.iter(text))

    def any(self, data: bytes | memoryview) -> bool:
        for _ in self._matches(data):
            return True
        return False

    def labels(self, data: bytes | memoryview) -> set[str]:
        return {label for _, _, labels in self._matches(data) for label in labels}

    def lines(self, data: bytes) -> np.ndarray:
        """Indices of the lines (split on b'\\n') holding a match; a match over several lines
        marks all of them."""
        hits = [(s, e) for s, e, _ in self._matches(data)]
        if not hits:
            return np.zeros(0, dtype=np.int64)
        newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
        starts = np.searchsorted(newlines, np.array([s for s, _ in hits]), side="left")
        ends = np.searchsorted(newlines, np.array([e - 1 for _, e in hits]), side="left")
        return np.unique(np.concatenate([np.arange(a, b + 1) for a, b in zip(starts, ends)]))

    # ---- Arrow ---------------------------------------------------------------------------

    def _string_rows(self, arr) -> np.ndarray:
        import pyarrow as pa

        large = pa.types.is_large_string(arr.type) or pa.types.is_large_binary(arr.type)
        offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64 if large else np.int32)[arr.offset: arr.offset + len(arr) + 1]
        data = arr.buffers()[2]
        if data is None or offsets[-1] == offsets[0]:
            return np.zeros(0, dtype=np.int64)
        base = int(offsets[0])
        view = memoryview(data)[base: int(offsets[-1])]
        rows = []
        for start, end, _ in self._matches(view):
            row = int(np.searchsorted(offsets, start + base, side="right")) - 1
            if end + base <= offsets[row + 1]:
                rows.append(row)
        return np.array(rows, dtype=np.int64)

    def array_rows(self, arr) -> np.ndarray:
        """Rows of an Arrow array (any nesting of strings, lists, structs, maps, dictionaries)
        holding a match; numeric and temporal values are never searched."""
        import pyarrow as pa
        import pyarrow.compute as pc

        t = arr.type
        if self.empty or len(arr) == 0:
            return np.zeros(0, dtype=np.int64)
        if isinstance(arr, pa.ChunkedArray):
            out, base = [], 0
            for chunk in arr.chunks:
                out.append(self.array_rows(chunk) + base)
                base += len(chunk)
            return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)
        if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t) or pa.types.is_large_binary(t):
            return self._string_rows(arr)
        if pa.types.is_dictionary(t):
            return self.array_rows(arr.dictionary_decode())
        if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_map(t) or pa.types.is_fixed_size_list(t):
            child = self.array_rows(arr.flatten())
            if len(child) == 0:
                return child
            parents = pc.list_parent_indices(arr).to_numpy()
            return parents[child]
        if pa.types.is_struct(t):
            parts = [self.array_rows(f) for f in arr.flatten()]
            return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.int64)

    def table_mask(self, table) -> np.ndarray:
        """Boolean mask of the rows of an Arrow table holding a match in any column."""
        mask = np.zeros(table.num_rows, dtype=bool)
        for col in table.columns:
            mask[self.array_rows(col)] = True
        return mask

    def table_labels(self, table) -> set[str]:
        """Labels found in a table (only the rows that hit are rendered to tell which)."""
        rows = np.flatnonzero(self.table_mask(table))
        found: set[str] = set()
        if len(rows):
            for row in table.take(rows).to_pylist():
                found |= self.labels(orjson.dumps(row, default=str))
        return found
