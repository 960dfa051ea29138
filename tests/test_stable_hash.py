"""Sampling randomness is a standard md5 of (salt, seed, key), not DuckDB's release-specific
hash(): the SQL the builders run equals Python's hashlib on the same text, so the same corpus and
seed select the same rows under any DuckDB (checked by hand: DuckDB 1.1.3 and 2.0.1 build
byte-identical ubp/ucs/mcr items on CED)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pyarrow as pa

import somekit.builders as builders
from somekit.builders.sampling import hex_int_sql, rand_sql, stable_hash_hex


def test_sql_hash_is_md5_of_the_joined_text():
    keys = ["5120482505917816", "at://did:plc:abc/app.bsky.feed.post/3k", "转发微博", "it's", ""]
    con = duckdb.connect()
    con.register("k", pa.table({"key": pa.array(keys, pa.string()), "n": pa.array(range(len(keys)), pa.int64())}))
    rows = con.execute(f"SELECT key, n, {rand_sql(42, 'key', 'n', salt='ucs:neg')} AS h FROM k ORDER BY n").fetchall()
    for key, n, h in rows:
        assert h == stable_hash_hex(42, key, str(n), salt="ucs:neg")
    decoded = con.execute(f"SELECT h, {hex_int_sql('h')} FROM (SELECT {rand_sql(7, 'key', salt='mcr')} AS h FROM k)").fetchall()
    assert all(value == int(h[:8], 16) for h, value in decoded)
    # salts and seeds change the draw; the same inputs never do
    assert stable_hash_hex(1, "x", salt="ubp") != stable_hash_hex(1, "x", salt="mcr") != stable_hash_hex(2, "x", salt="mcr")


def test_task_builders_never_call_duckdb_hash():
    # Task builders select items; ingest/ (content dedup keys, never a sample) is not one of them.
    root = Path(builders.__file__).parent
    calls = [(p.name, m.group(0)) for p in root.glob("*.py")
             for m in re.finditer(r"(?<![\w.])hash\((?!\))", p.read_text(encoding="utf-8"))]
    assert calls == []
