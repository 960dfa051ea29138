"""The ingest engine: stream an adapter's records, validate in batches, merge into the corpus.

Flow: adapter records -> batch validation (stager.py: Arrow fast path, pydantic otherwise) ->
staging file per table -> merge with the existing corpus (merge.py: duplicates, conflicts,
dangling references decided in DuckDB) -> every table written to a temporary file -> all
renamed together at the end (store.atomic.replace_all). Until the final renames nothing in
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
import pyarrow.parquet as pq

from ..errors import IngestError
from ..schemas.corpus import TABLES
from ..store.atomic import replace_all
from ..store.quarantine import Rejected, merge_quarantine
from ..workspace import Workspace
from ..store.sources import record_ingest_roots
from .base import Columns, Parsed, get_adapter
from .merge import REFERENCES, TableMerge, sql_str
from .stager import Stager

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
    #: source folder (the name of a file's parent) -> {table: records it yielded, "quarantined": n}
    folders: dict[str, dict[str, int]] = field(default_factory=dict)
    records_in: int = 0                                          # records seen, valid or not

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.format, "read": self.read, "added": self.added,
                "already_present": self.already_present, "quarantined": self.quarantined,
                "totals": self.totals, "folders": self.folders, "records_in": self.records_in}


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
        stagers: dict[str, Stager] = {}
        n = shown = 0
        folders = FolderCounts()
        for out in adapter.read(paths):
            n += len(out.locs) if isinstance(out, Columns) else 1
            if on_progress and n - shown >= 10_000:
                on_progress(n)
                shown = n
            if isinstance(out, Rejected):
                rejects.append(out)
                continue
            folders.add(out)
            st = stagers.get(out.table)
            if st is None:
                if out.table not in TABLES:
                    raise IngestError(f"adapter {fmt} produced unknown table {out.table!r}")
                st = stagers[out.table] = Stager(out.table, staging / f"{out.table}.parquet")
            st.add(out, rejects)
        for st in stagers.values():
            st.close(rejects)
            report.read[st.table] = st.rows
        if on_progress:
            on_progress(n)
        if not any(report.read.values()):
            # Nothing usable at all: a wrong folder or a wrong format, never a silent exit 0.
            merge_quarantine(ws.quarantine, rejects)
            reasons = collections.Counter(r.reason for r in rejects)
            found = f"all {len(rejects)} quarantined ({_fmt_counts(reasons)}); details in {ws.quarantine}" if rejects \
                else "the source holds no files this format reads"
            raise IngestError(f"nothing ingested with --format {fmt} from {', '.join(map(str, paths))}: {found}")

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
        record_ingest_roots(ws, paths)  # the folders read become media roots for `enrich`
        report.quarantined = dict(collections.Counter(r.reason for r in rejects))
        report.folders = folders.result(rejects)
        report.records_in = n
        for t in TABLES:
            f = ws.corpus / f"{t}.parquet"
            if f.exists():
                report.totals[t] = pq.ParquetFile(f).metadata.num_rows
        return report
    finally:
        shutil.rmtree(staging, ignore_errors=True)


class FolderCounts:
    """Records per source folder and table, counted as the adapter yields them (cheap: one
    counter update per batch, one per distinct file in a batch)."""

    def __init__(self) -> None:
        self.by_file: dict[tuple[str, str], int] = collections.Counter()

    def add(self, out: Parsed | Columns) -> None:
        if isinstance(out, Columns) and isinstance(out.file, list):
            for f, k in collections.Counter(out.file).items():
                self.by_file[(out.table, f)] += k
        else:
            self.by_file[(out.table, out.file)] += len(out.locs) if isinstance(out, Columns) else 1

    def result(self, rejects: list[Rejected]) -> dict[str, dict[str, int]]:
        folders: dict[str, dict[str, int]] = collections.defaultdict(lambda: collections.defaultdict(int))
        parent: dict[str, str] = {}
        for (table, f), k in self.by_file.items():
            name = parent.setdefault(f, Path(f).parent.name or ".")
            folders[name][table] += k
        for r in rejects:
            name = parent.setdefault(r.file, Path(r.file).parent.name or ".")
            folders[name]["quarantined"] += 1
        return {k: dict(sorted(v.items())) for k, v in sorted(folders.items())}


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
