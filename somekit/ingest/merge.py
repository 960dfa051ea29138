"""Merge staged records into the corpus: decide in DuckDB on narrow columns, copy in Arrow.

DuckDB sees only (id, content hash, _seq, reference) per row, so deciding duplicates, conflicts
and dangling references over millions of rows stays small in memory; the wide rows (texts) are
then streamed once from the old table and the staging file into the new table, old rows first
in their order, new rows in input order. Staging rows are numbered 0..n-1 in file order
(_seq), so a keep-mask indexed by _seq filters them while streaming.

Rules (unchanged from the first engine): for posts, interactions, media, claims, reports the
first occurrence of an id wins; a later identical copy is 'duplicate', a later different record
'conflicting-id'; an id already in the corpus with the same content is 'already present', with
other content 'conflicts-with-corpus'. Users are never quarantined: per id the most complete
profile wins (most non-null fields; the corpus's version, then the earliest, on ties).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..store.parquet import arrow_schema
from ..store.quarantine import Rejected

#: (table, column, referenced table): a new row whose reference is missing is quarantined.
REFERENCES = (("interactions", "post_id", "posts"), ("media", "post_id", "posts"), ("reports", "claim_id", "claims"))
BATCH_ROWS = 65_536


def sql_str(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _q(col: str) -> str:
    return '"' + col + '"'


class TableMerge:
    """One corpus table: staged file + optional existing file -> keep masks and counts."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str, staged: Path, final: Path, n_staged: int):
        self.con, self.table, self.staged, self.final, self.n = con, table, staged, final, n_staged
        cols = list(arrow_schema(table).names)
        self.content = [c for c in cols if c != "source"]
        self.hash = "hash(" + ", ".join(map(_q, self.content)) + ")"
        self.ref = next((col for t, col, _ in REFERENCES if t == table), None)
        self.rejects: list[tuple[int, str, str, int | None]] = []   # (_seq, reason, detail, first _seq)
        self.added = self.already = 0
        self.old_keep: np.ndarray | None = None                     # None: keep every old row
        self.new_keep = np.zeros(n_staged, dtype=bool)
        self.st = f"read_parquet({sql_str(staged)})"

    def old_source(self) -> str:
        return f"read_parquet({sql_str(self.final)}, file_row_number = true)" if self.final.exists() else ""

    def decide_records(self, ref_ids: str | None) -> None:
        con, t = self.con, self.table
        ref = f", {_q(self.ref)} AS _ref" if self.ref else ", NULL AS _ref"
        con.execute(f"CREATE OR REPLACE TEMP TABLE s AS SELECT id, _seq, {self.hash} AS _h{ref} FROM {self.st}")
        con.execute("CREATE OR REPLACE TEMP TABLE f AS SELECT id, min(_seq) AS _seq, arg_min(_h, _seq) AS _h, "
                    "arg_min(_ref, _seq) AS _ref, count(*) AS n FROM s GROUP BY id")
        for seq, same, first in con.execute(
                "SELECT s._seq, s._h = f._h, f._seq FROM s JOIN f ON s.id = f.id AND f.n > 1 "
                "WHERE s._seq <> f._seq ORDER BY s._seq").fetchall():
            self.rejects.append((seq, "duplicate" if same else "conflicting-id", f"{t} {{id}} already read at {{first}}", first))
        if self.final.exists():
            con.execute(f"CREATE OR REPLACE TEMP TABLE o AS SELECT id, {self.hash} AS _h FROM read_parquet({sql_str(self.final)})")
        else:
            con.execute("CREATE OR REPLACE TEMP TABLE o (id VARCHAR, _h UBIGINT)")
        for (seq,) in con.execute("SELECT f._seq FROM f JOIN o ON f.id = o.id WHERE f._h <> o._h ORDER BY f._seq").fetchall():
            self.rejects.append((seq, "conflicts-with-corpus", f"{t} {{id}} exists in the corpus with other content", None))
        self.already = con.execute("SELECT count(*) FROM f JOIN o ON f.id = o.id AND f._h = o._h").fetchone()[0]
        con.execute("CREATE OR REPLACE TEMP TABLE nw AS SELECT f.* FROM f ANTI JOIN o ON f.id = o.id")
        if ref_ids is not None:
            col = self.ref
            for (seq,) in con.execute(f"SELECT nw._seq FROM nw WHERE nw._ref IS NOT NULL AND nw._ref NOT IN (SELECT id FROM {ref_ids}) ORDER BY nw._seq").fetchall():
                self.rejects.append((seq, f"dangling-{col.removesuffix('_id')}", f"{t} {{id}}: {col} {{ref}} does not exist", None))
            con.execute(f"DELETE FROM nw WHERE _ref IS NOT NULL AND _ref NOT IN (SELECT id FROM {ref_ids})")
        seqs = con.execute("SELECT _seq FROM nw").fetchnumpy()["_seq"]
        self.new_keep[np.asarray(seqs, dtype=np.int64)] = True
        self.added = len(seqs)
        con.execute(f"CREATE OR REPLACE TEMP TABLE ids_{t} AS SELECT id FROM o UNION ALL SELECT id FROM nw")
        con.execute("DROP TABLE s; DROP TABLE f; DROP TABLE o; DROP TABLE nw")

    def decide_users(self) -> None:
        con = self.con
        filled = " + ".join(f"(CASE WHEN {_q(c)} IS NULL THEN 0 ELSE 1 END)" for c in self.content)
        old = (f"SELECT id, file_row_number AS _pos, NULL::BIGINT AS _seq, {filled} AS _filled FROM {self.old_source()}"
               if self.final.exists() else "SELECT NULL::VARCHAR AS id, NULL::BIGINT AS _pos, NULL::BIGINT AS _seq, 0 AS _filled WHERE false")
        # Old rows sort before staged rows on ties: their order key is their position minus 2^62.
        con.execute(f"CREATE OR REPLACE TEMP TABLE c AS SELECT *, coalesce(_pos - 4611686018427387904, _seq) AS _k FROM ("
                    f"{old} UNION ALL SELECT id, NULL, _seq, {filled} FROM {self.st})")
        con.execute("CREATE OR REPLACE TEMP TABLE w AS SELECT id, arg_min(_k, (-_filled, _k)) AS _k FROM c GROUP BY id")
        con.execute("CREATE OR REPLACE TEMP TABLE ch AS SELECT c._pos, c._seq, c.id FROM c SEMI JOIN w ON c.id = w.id AND c._k = w._k")
        # Two queries rather than one with NULLs: numpy would turn NULL positions into 0.
        pos = con.execute("SELECT _pos FROM ch WHERE _pos IS NOT NULL").fetchnumpy()["_pos"]
        seq = con.execute("SELECT _seq FROM ch WHERE _seq IS NOT NULL").fetchnumpy()["_seq"]
        if self.final.exists():
            self.old_keep = np.zeros(pq.ParquetFile(self.final).metadata.num_rows, dtype=bool)
            self.old_keep[np.asarray(pos, dtype=np.int64)] = True
        self.new_keep[np.asarray(seq, dtype=np.int64)] = True
        self.added = con.execute("SELECT count(*) FROM ch WHERE _seq IS NOT NULL AND id NOT IN "
                                 "(SELECT id FROM c WHERE _pos IS NOT NULL)").fetchone()[0]
        con.execute("DROP TABLE c; DROP TABLE w; DROP TABLE ch")

    def rejected(self) -> list[Rejected]:
        """Quarantine entries with the file/line of each rejected row (and of its first copy)."""
        if not self.rejects:
            return []
        wanted = sorted({s for s, *_ in self.rejects} | {f for *_, f in self.rejects if f is not None})
        self.con.register("_wanted", pa.table({"_seq": pa.array(wanted, pa.int64())}))
        ref = _q(self.ref) if self.ref else "NULL"
        info = {seq: (f, loc, rid, r) for seq, f, loc, rid, r in self.con.execute(
            f"SELECT _seq, _file, _loc, id, {ref} FROM {self.st} SEMI JOIN _wanted USING (_seq)").fetchall()}
        self.con.unregister("_wanted")
        out = []
        for seq, reason, detail, first in self.rejects:
            f, loc, rid, r = info[seq]
            where = f"{info[first][0]} {info[first][1]}" if first is not None else ""
            out.append(Rejected(f, loc, reason, detail.format(id=rid, first=where, ref=r)))
        return out

    def write(self, tmp: Path) -> None:
        """Stream old rows (filtered for users) then kept staged rows into `tmp` (zstd Parquet)."""
        schema = arrow_schema(self.table)
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            if self.final.exists():
                _copy(writer, pq.ParquetFile(self.final).iter_batches(batch_size=BATCH_ROWS, columns=schema.names),
                      schema, self.old_keep)
            _copy(writer, pq.ParquetFile(self.staged).iter_batches(batch_size=BATCH_ROWS, columns=schema.names),
                  schema, self.new_keep)


def _copy(writer: pq.ParquetWriter, batches, schema: pa.Schema, keep: np.ndarray | None) -> None:
    offset = 0
    pending: list[pa.Table] = []
    rows = 0
    for batch in batches:
        n = batch.num_rows
        table = pa.Table.from_batches([batch])
        if keep is not None:
            table = table.filter(pa.array(keep[offset:offset + n]))
        offset += n
        if table.num_rows:
            pending.append(table)
            rows += table.num_rows
        if rows >= BATCH_ROWS:
            writer.write_table(pa.concat_tables(pending).cast(schema))
            pending, rows = [], 0
    if pending:
        writer.write_table(pa.concat_tables(pending).cast(schema))
