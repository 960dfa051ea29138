"""Staging: validate what an adapter yields and append it, in input order, to a staging file.

Records arrive as single `Parsed` dicts or as `Columns` batches, interleaved (a CED post's author
arrives as a dict between two cascade batches). They are collected as segments in arrival order
and validated a few hundred thousand rows at a time: runs of Columns with the same fields are
concatenated and converted to Arrow in one go (columnar.to_arrow, with per-part and then
per-row pydantic fallback), runs of dicts are validated by pydantic in one call. `_seq` numbers
the valid rows of a table in input order and is also their position in the staging file, which
merge.py relies on.

The staging file is Parquet with lz4 and large row groups: one small row group per source
file (the first version) made writing it cost more than parsing the JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import TypeAdapter, ValidationError

from ..schemas.corpus import TABLES
from ..store.parquet import arrow_schema
from ..store.quarantine import Rejected
from .base import Columns, Parsed
from .columnar import to_arrow

#: Rows collected before validation and writing (also the staging record-batch size).
BATCH = 100_000


def staging_schema(table: str) -> pa.Schema:
    return arrow_schema(table).append(pa.field("_file", pa.string())).append(
        pa.field("_loc", pa.string())).append(pa.field("_seq", pa.int64()))


def _concat(parts: list[Columns]) -> Columns:
    """One Columns from several with the same fields (lists joined, Arrow arrays concatenated)."""
    cols: dict[str, Any] = {}
    for name in parts[0].columns:
        values = [p.columns[name] for p in parts]
        if all(isinstance(v, list) for v in values):
            joined: list[Any] = []
            for v in values:
                joined.extend(v)
            cols[name] = joined
        else:
            cols[name] = pa.chunked_array([v if isinstance(v, (pa.Array, pa.ChunkedArray)) else pa.array(v) for v in values])
    locs: list[str] = []
    for p in parts:
        locs.extend(p.locs)
    return Columns(parts[0].table, cols, "", locs)


class Stager:
    def __init__(self, table: str, path: Path):
        self.table = table
        self.model = TABLES[table]
        self.list_adapter = TypeAdapter(list[self.model])
        self.schema = staging_schema(table)
        self.path = path
        self.writer: pq.ParquetWriter | None = None
        self.segments: list[Parsed | Columns] = []
        self.pending = 0
        self.rows = 0

    def add(self, item: Parsed | Columns, rejects: list[Rejected]) -> None:
        self.segments.append(item)
        self.pending += len(item.locs) if isinstance(item, Columns) else 1
        if self.pending >= BATCH:
            self.flush(rejects)

    def flush(self, rejects: list[Rejected]) -> None:
        tables: list[pa.Table] = []
        run: list[Parsed | Columns] = []
        for seg in self.segments + [None]:  # None closes the last run
            if run and (seg is None or type(seg) is not type(run[0]) or
                        (isinstance(seg, Columns) and seg.columns.keys() != run[0].columns.keys())):
                tables.extend(self._columns(run, rejects) if isinstance(run[0], Columns) else [self._dicts(run, rejects)])
                run = []
            if seg is not None:
                run.append(seg)
        self.segments, self.pending = [], 0
        tables = [t for t in tables if t is not None and t.num_rows]
        if tables:
            if self.writer is None:
                # No dictionaries or statistics: the file is read once, in full, by DuckDB.
                self.writer = pq.ParquetWriter(self.path, self.schema, compression="lz4",
                                               use_dictionary=False, write_statistics=False)
            self.writer.write_table(pa.concat_tables(tables), row_group_size=BATCH)

    def close(self, rejects: list[Rejected]) -> None:
        self.flush(rejects)
        if self.writer is not None:
            self.writer.close()

    def _stamp(self, table: pa.Table, files: pa.Array, locs: list[str]) -> pa.Table:
        n = table.num_rows
        table = table.append_column("_file", files).append_column("_loc", pa.array(locs, pa.string()))
        table = table.append_column("_seq", pa.array(range(self.rows, self.rows + n), pa.int64()))
        self.rows += n
        return table

    def _columns(self, parts: list[Columns], rejects: list[Rejected]) -> list[pa.Table]:
        """Fast path for a run of Columns: all at once, else part by part, else row by row."""
        whole = _concat(parts) if len(parts) > 1 else parts[0]
        table = to_arrow(self.table, whole.columns, len(whole.locs))
        if table is not None:
            files = pa.chunked_array([pa.array(p.file, pa.string()) if isinstance(p.file, list) else
                                      pa.repeat(pa.scalar(p.file, pa.string()), len(p.locs)) for p in parts], pa.string())
            return [self._stamp(table, files.combine_chunks(), whole.locs)]
        if len(parts) > 1:
            out: list[pa.Table] = []
            for p in parts:
                out.extend(self._columns([p], rejects))
            return out
        return [self._dicts(list(parts[0].rows()), rejects)]

    def _dicts(self, batch: list[Parsed], rejects: list[Rejected]) -> pa.Table | None:
        try:
            models = self.list_adapter.validate_python([p.record for p in batch])
            good = batch
        except ValidationError:
            # Rare path: find the bad records one by one so valid neighbours are kept.
            models, good = [], []
            for p in batch:
                try:
                    models.append(self.model.model_validate(p.record))
                    good.append(p)
                except ValidationError as exc:
                    rejects.append(validation_rejection(p, exc))
        if not good:
            return None
        table = pa.Table.from_pylist(self.list_adapter.dump_python(models), schema=arrow_schema(self.table))
        return self._stamp(table, pa.array([p.file for p in good], pa.string()), [p.loc for p in good])


def validation_rejection(p: Parsed, exc: ValidationError) -> Rejected:
    errs = exc.errors()
    fields = {str(e["loc"][0]) if e["loc"] else "" for e in errs}
    missing_id = any(e["loc"] and e["loc"][0] == "id" for e in errs)
    reason = "missing-id" if missing_id else "invalid-record"
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errs[:5])
    return Rejected(p.file, p.loc, reason, f"{p.table}: {detail} (fields: {', '.join(sorted(fields))})", repr(p.record)[:500])
