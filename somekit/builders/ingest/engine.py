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
from ...store.parquet import arrow_schema
from ...store.quarantine import Rejected, merge_quarantine
from ...workspace import Workspace
from .base import Parsed, get_adapter

BATCH = 20_000
#: Merge order: referenced tables before the tables that reference them.
MERGE_ORDER = ("users", "posts", "claims", "interactions", "media", "reports")
#: (table, column, referenced table): a new row whose reference is missing is quarantined.
REFERENCES = (("interactions", "post_id", "posts"), ("media", "post_id", "posts"), ("reports", "claim_id", "claims"))


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
        self.rows = 0

    def add(self, parsed: Parsed, rejects: list[Rejected]) -> None:
        self.buffer.append(parsed)
        if len(self.buffer) >= BATCH:
            self.flush(rejects)

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
        table = pa.Table.from_pylist(rows, schema=self.schema)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        self.writer.write_table(table)

    def close(self, rejects: list[Rejected]) -> None:
        self.flush(rejects)
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
        n = 0
        for out in adapter.read(paths):
            n += 1
            if on_progress and n % 10_000 == 0:
                on_progress(n)
            if isinstance(out, Rejected):
                rejects.append(out)
                continue
            st = stagers.get(out.table)
            if st is None:
                if out.table not in TABLES:
                    raise IngestError(f"adapter {fmt} produced unknown table {out.table!r}")
                st = stagers[out.table] = _Stager(out.table, staging / f"{out.table}.parquet")
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
        outputs = _merge(ws, staging, report, rejects, adapter.check_refs)
        if strict and rejects:
            merge_quarantine(ws.quarantine, rejects)
            reasons = collections.Counter(r.reason for r in rejects)
            raise IngestError(f"--strict: {len(rejects)} bad record(s) ({_fmt_counts(reasons)}); "
                              f"corpus unchanged; details in {ws.quarantine}")
        # Commit point: all tables were fully written to temporary files; rename them in place.
        for tmp, final in outputs:
            os.replace(tmp, final)
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


def _sql_str(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _merge(ws: Workspace, staging: Path, report: IngestReport, rejects: list[Rejected],
           check_refs: bool) -> list[tuple[Path, Path]]:
    """Merge staged tables with the corpus in DuckDB; returns (temporary, final) file pairs."""
    con = duckdb.connect(":memory:")
    con.execute("SET preserve_insertion_order = true")
    outputs: list[tuple[Path, Path]] = []
    for table in MERGE_ORDER:
        staged = staging / f"{table}.parquet"
        final = ws.corpus / f"{table}.parquet"
        cols = list(arrow_schema(table).names)
        content = [c for c in cols if c != "source"]
        col_list = ", ".join(f'"{c}"' for c in cols)
        hash_expr = "hash(" + ", ".join(f'"{c}"' for c in content) + ")"
        if final.exists():
            con.execute(f"CREATE TABLE old_{table} AS SELECT {col_list}, {hash_expr} AS _h FROM read_parquet({_sql_str(final)})")
        else:
            con.register(f"_empty_{table}", arrow_schema(table).empty_table())
            con.execute(f"CREATE TABLE old_{table} AS SELECT {col_list}, {hash_expr} AS _h FROM _empty_{table}")
        if not staged.exists():
            con.execute(f"CREATE TABLE final_{table} AS SELECT {col_list} FROM old_{table}")
            continue
        con.execute(f"CREATE TABLE st AS SELECT *, {hash_expr} AS _h FROM read_parquet({_sql_str(staged)})")
        if table == "users":
            _merge_users(con, col_list, content)
        else:
            _merge_records(con, table, col_list, rejects, report)
        if check_refs:
            for t, col, ref in REFERENCES:
                if t != table:
                    continue
                rows = con.execute(
                    f"SELECT _file, _loc, id, \"{col}\" FROM new_rows WHERE \"{col}\" IS NOT NULL "
                    f"AND \"{col}\" NOT IN (SELECT id FROM final_{ref})").fetchall()
                for f, loc, rid, target in rows:
                    rejects.append(Rejected(f, loc, f"dangling-{col.removesuffix('_id')}",
                                            f"{table} {rid}: {col} {target} does not exist"))
                if rows:
                    con.execute(f"DELETE FROM new_rows WHERE \"{col}\" IS NOT NULL AND \"{col}\" NOT IN (SELECT id FROM final_{ref})")
        report.added[table] = con.execute(
            f"SELECT count(*) FROM new_rows WHERE id NOT IN (SELECT id FROM old_{table})").fetchone()[0]
        if table == "users":
            con.execute(f"CREATE TABLE final_{table} AS SELECT {col_list} FROM new_rows ORDER BY _seq")
        else:
            con.execute(f"CREATE TABLE final_{table} AS SELECT {col_list} FROM old_{table} "
                        f"UNION ALL SELECT {col_list} FROM (SELECT * FROM new_rows ORDER BY _seq)")
        tmp = ws.corpus / f".{table}.{uuid.uuid4().hex[:8]}.parquet.tmp"
        con.execute(f"COPY (SELECT * FROM final_{table}) TO {_sql_str(tmp)} (FORMAT parquet, COMPRESSION zstd)")
        outputs.append((tmp, final))
        con.execute("DROP TABLE st; DROP TABLE new_rows")
    con.close()
    return outputs


def _merge_records(con: duckdb.DuckDBPyConnection, table: str, col_list: str, rejects: list[Rejected],
                   report: IngestReport) -> None:
    """Posts, interactions, ...: the first occurrence of an id wins; later exact copies are
    'duplicate', later different records with the same id 'conflicting-id'."""
    con.execute("CREATE TABLE ranked AS SELECT *, row_number() OVER (PARTITION BY id ORDER BY _seq) AS _rn FROM st")
    dup_rows = con.execute(
        "SELECT r._file, r._loc, r.id, r._h = f._h, f._file, f._loc FROM ranked r JOIN ranked f "
        "ON r.id = f.id AND f._rn = 1 WHERE r._rn > 1 ORDER BY r._seq").fetchall()
    for f, loc, rid, same, ff, floc in dup_rows:
        rejects.append(Rejected(f, loc, "duplicate" if same else "conflicting-id",
                                f"{table} {rid} already read at {ff} {floc}"))
    con.execute("CREATE TABLE firsts AS SELECT * FROM ranked WHERE _rn = 1")
    conflicts = con.execute(
        f"SELECT n._file, n._loc, n.id FROM firsts n JOIN old_{table} o ON n.id = o.id WHERE n._h <> o._h ORDER BY n._seq").fetchall()
    for f, loc, rid in conflicts:
        rejects.append(Rejected(f, loc, "conflicts-with-corpus", f"{table} {rid} exists in the corpus with other content"))
    report.already_present[table] = con.execute(
        f"SELECT count(*) FROM firsts n JOIN old_{table} o ON n.id = o.id AND n._h = o._h").fetchone()[0]
    con.execute(f"CREATE TABLE new_rows AS SELECT * FROM firsts WHERE id NOT IN (SELECT id FROM old_{table})")
    con.execute("DROP TABLE ranked; DROP TABLE firsts")


def _merge_users(con: duckdb.DuckDBPyConnection, col_list: str, content: list[str]) -> None:
    """Users recur across sources (an author here, a commenter there): keep, per id, the most
    complete profile (most non-null fields; the corpus's version on ties), never quarantine."""
    filled = " + ".join(f'(CASE WHEN "{c}" IS NULL THEN 0 ELSE 1 END)' for c in content)
    con.execute(
        f"CREATE TABLE new_rows AS SELECT * EXCLUDE (_rn, _filled) FROM ("
        f"  SELECT *, row_number() OVER (PARTITION BY id ORDER BY _filled DESC, _seq) AS _rn FROM ("
        f"    SELECT {col_list}, row_number() OVER () - 9223372036854775000 AS _seq, NULL AS _file, NULL AS _loc, {filled} AS _filled FROM old_users"
        f"    UNION ALL SELECT {col_list}, _seq, _file, _loc, {filled} AS _filled FROM st"
        f"  )) WHERE _rn = 1")
