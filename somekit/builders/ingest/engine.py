"""The ingest engine: stream an adapter's records, validate in batches, merge into the corpus.

Flow: adapter records -> batch validation (pydantic, in Rust) -> staging Parquet per table ->
DuckDB merge with the existing corpus (duplicates, conflicts, dangling references) -> every
table written to a temporary file -> all renamed at the end. Until the final renames nothing in
corpus/ changes, so a failure mid-ingest leaves the previous complete corpus in place.
"""

from __future__ import annotations

import collections
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import TypeAdapter, ValidationError

from ...errors import IngestError
from ...schemas.corpus import TABLES
from ...store.atomic import replace_all
from ...store.parquet import arrow_schema
from ...store.quarantine import Rejected, merge_quarantine
from ...workspace import Workspace
from .base import Columns, Parsed, get_adapter
from .columnar import to_arrow
from .merge import REFERENCES, TableMerge, sql_str

BATCH = 20_000
#: Merge order: referenced tables before the tables that reference them.
MERGE_ORDER = ("users", "posts", "claims", "interactions", "media", "reports")


@dataclass
class IngestReport:
    format: str
    read: dict[str, int] = field(default_factory=dict)          # valid records read per table
    added: dict[str, int] = field(default_factory=dict)         # new rows per table
    already_present: dict[str, int] = field(default_factory=dict)
    quarantined: dict[str, int] = field(default_factory=dict)   # by reason
    totals: dict[str, int] = field(default_factory=dict)        # corpus rows per table after ingest

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.format, "read": self.read, "added": self.added,
                "already_present": self.already_present, "quarantined": self.quarantined,
                "totals": self.totals}


class _Stager:
    """Validates batches of dicts for one table and appends them to a staging Parquet file."""

    def __init__(self, table: str, path: Path):
        self.table = table
        self.model = TABLES[table]
        self.list_adapter = TypeAdapter(list[self.model])
        self.schema = arrow_schema(table).append(pa.field("_file", pa.string())).append(
            pa.field("_loc", pa.string())).append(pa.field("_seq", pa.int64()))
        self.path = path
        self.writer: pq.ParquetWriter | None = None
        self.buffer: list[Parsed] = []
        self.pending: list[pa.Table] = []   # validated Arrow tables not yet written
        self.pending_rows = 0
        self.rows = 0

    def add(self, parsed: Parsed, rejects: list[Rejected]) -> None:
        self.buffer.append(parsed)
        if len(self.buffer) >= BATCH:
            self.flush(rejects)

    def add_columns(self, cols: Columns, rejects: list[Rejected]) -> None:
        """Fast path: straight to Arrow when certainly valid, else row by row (same outcome)."""
        n = len(cols.locs)
        if n == 0:
            return
        table = to_arrow(self.table, cols.columns, n)
        if table is None:
            for p in cols.rows():
                self.add(p, rejects)
            return
        self.flush(rejects)  # keep _seq in input order
        table = table.append_column("_file", pa.repeat(pa.scalar(cols.file, pa.string()), n)).append_column(
            "_loc", pa.array(cols.locs, pa.string())).append_column(
            "_seq", pa.array(range(self.rows, self.rows + n), pa.int64()))
        self.rows += n
        self._write(table)

    def _write(self, table: pa.Table, force: bool = False) -> None:
        """Collect tables into row groups of at least BATCH rows: one small row group per
        source file made the staging write (and the later read) several times slower."""
        if table.num_rows:
            self.pending.append(table)
            self.pending_rows += table.num_rows
        if not self.pending or (self.pending_rows < BATCH and not force):
            return
        if self.writer is None:
            # Staging files live for one ingest: fast lz4 beats small zstd here.
            self.writer = pq.ParquetWriter(self.path, self.schema, compression="lz4")
        self.writer.write_table(pa.concat_tables(self.pending), row_group_size=max(self.pending_rows, 1))
        self.pending, self.pending_rows = [], 0

    def flush(self, rejects: list[Rejected]) -> None:
        if not self.buffer:
            return
        batch, self.buffer = self.buffer, []
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
                    rejects.append(_validation_rejection(p, exc))
        if not good:
            return
        rows = self.list_adapter.dump_python(models)
        for row, p in zip(rows, good):
            row["_file"] = p.file
            row["_loc"] = p.loc
            row["_seq"] = self.rows
            self.rows += 1
        self._write(pa.Table.from_pylist(rows, schema=self.schema))

    def close(self, rejects: list[Rejected]) -> None:
        self.flush(rejects)
        self._write(self.schema.empty_table(), force=True)
        if self.writer is not None:
            self.writer.close()


def _validation_rejection(p: Parsed, exc: ValidationError) -> Rejected:
    errs = exc.errors()
    fields = {str(e["loc"][0]) if e["loc"] else "" for e in errs}
    missing_id = any(e["loc"] and e["loc"][0] == "id" for e in errs)
    reason = "missing-id" if missing_id else "invalid-record"
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errs[:5])
    raw = repr(p.record)[:500]
    return Rejected(p.file, p.loc, reason, f"{p.table}: {detail} (fields: {', '.join(sorted(fields))})", raw)


def ingest(ws: Workspace, fmt: str, sources: Iterable[str | os.PathLike], strict: bool = False,
           on_progress: Callable[[int], None] | None = None) -> IngestReport:
    """Ingest `sources` with the adapter `fmt` into the workspace corpus.

    Returns counts; bad records go to corpus/quarantine/. With `strict`, any bad record raises
    IngestError and the corpus is left unchanged.
    """
    adapter = get_adapter(fmt)
    paths = [Path(s) for s in sources]
    for p in paths:
        if not p.exists():
            raise IngestError(f"source not found: {p}")
    report = IngestReport(format=fmt)
    staging = ws.corpus / f".staging-{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True)
    try:
        rejects: list[Rejected] = []
        stagers: dict[str, _Stager] = {}
        n = shown = 0
        for out in adapter.read(paths):
            n += len(out.locs) if isinstance(out, Columns) else 1
            if on_progress and n - shown >= 10_000:
                on_progress(n)
                shown = n
            if isinstance(out, Rejected):
                rejects.append(out)
                continue
            st = stagers.get(out.table)
            if st is None:
                if out.table not in TABLES:
                    raise IngestError(f"adapter {fmt} produced unknown table {out.table!r}")
                st = stagers[out.table] = _Stager(out.table, staging / f"{out.table}.parquet")
            if isinstance(out, Columns):
                st.add_columns(out, rejects)
            else:
                st.add(out, rejects)
        for st in stagers.values():
            st.close(rejects)
            report.read[st.table] = st.rows
        if on_progress:
            on_progress(n)

        if strict and rejects:
            merge_quarantine(ws.quarantine, rejects)
            reasons = collections.Counter(r.reason for r in rejects)
            raise IngestError(f"--strict: {len(rejects)} bad record(s) ({_fmt_counts(reasons)}); "
                              f"corpus unchanged; details in {ws.quarantine}")
        outputs = _merge(ws, staging, report, rejects, adapter.check_refs, {t: st.rows for t, st in stagers.items()})
        try:
            if strict and rejects:
                merge_quarantine(ws.quarantine, rejects)
                reasons = collections.Counter(r.reason for r in rejects)
                raise IngestError(f"--strict: {len(rejects)} bad record(s) ({_fmt_counts(reasons)}); "
                                  f"corpus unchanged; details in {ws.quarantine}")
            # Commit point: all tables were fully written to temporary files; rename them in place.
            replace_all(outputs)
        finally:
            for tmp, _ in outputs:
                tmp.unlink(missing_ok=True)
        merge_quarantine(ws.quarantine, rejects)
        report.quarantined = dict(collections.Counter(r.reason for r in rejects))
        for t in TABLES:
            f = ws.corpus / f"{t}.parquet"
            if f.exists():
                report.totals[t] = pq.ParquetFile(f).metadata.num_rows
        return report
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _fmt_counts(c: collections.Counter) -> str:
    return ", ".join(f"{k}: {v}" for k, v in c.most_common())


def _merge(ws: Workspace, staging: Path, report: IngestReport, rejects: list[Rejected],
           check_refs: bool, staged_rows: dict[str, int]) -> list[tuple[Path, Path]]:
    """Merge staged tables with the corpus; returns (temporary, final) file pairs, all written."""
    con = duckdb.connect(":memory:")
    con.execute("SET preserve_insertion_order = false")  # decisions are order-free; order comes from _seq
    outputs: list[tuple[Path, Path]] = []
    try:
        for table in MERGE_ORDER:
            staged = staging / f"{table}.parquet"
            final = ws.corpus / f"{table}.parquet"
            if not staged.exists():
                if final.exists():
                    con.execute(f"CREATE TEMP TABLE ids_{table} AS SELECT id FROM read_parquet({sql_str(final)})")
                else:
                    con.execute(f"CREATE TEMP TABLE ids_{table} (id VARCHAR)")
                continue
            m = TableMerge(con, table, staged, final, staged_rows[table])
            if table == "users":
                m.decide_users()
            else:
                ref = next((r for t, _, r in REFERENCES if t == table), None)
                m.decide_records(f"ids_{ref}" if (ref and check_refs) else None)
                report.already_present[table] = m.already
                rejects.extend(m.rejected())
            report.added[table] = m.added
            tmp = ws.corpus / f".{table}.{uuid.uuid4().hex[:8]}.parquet.tmp"
            outputs.append((tmp, final))
            m.write(tmp)
    except BaseException:
        for tmp, _ in outputs:
            tmp.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    return outputs
