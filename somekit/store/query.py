"""DuckDB over the workspace's Parquet corpus: one view per table that exists."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..schemas.corpus import TABLES


def connect(corpus_dir: str | Path, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a view per corpus table (posts, users, interactions, ...).

    Tables without a Parquet file get an empty view with the right columns, so queries never
    fail just because, say, no media were ingested.
    """
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    corpus_dir = Path(corpus_dir)
    from .parquet import arrow_schema  # local import: avoids a cycle at package import

    for name in TABLES:
        path = corpus_dir / f"{name}.parquet"
        if path.exists():
            literal = "'" + str(path).replace("'", "''") + "'"
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({literal})")
        else:
            empty = arrow_schema(name).empty_table()
            con.register(f"_{name}_empty", empty)
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM _{name}_empty")
    return con
