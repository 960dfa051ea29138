"""Delete a user's rows from SQLite files (the LLM cache) so that no byte of them survives.

A DELETE only unlinks rows: their bytes stay in free pages (and in the WAL) until VACUUM rewrites
the file, so the purge always ends with a WAL checkpoint, VACUUM and a truncating checkpoint.
Embedding rows hold no text, only a key = sha256(model, kind, text): their keys are recomputed
for the user's texts (the way annotate/embeddings.py derives them) and deleted too.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from .matcher import needle_forms


def _embedding_keys(con: sqlite3.Connection, texts: list[str]) -> list[str]:
    try:
        models = [r[0] for r in con.execute("SELECT DISTINCT model FROM embeddings")]
    except sqlite3.OperationalError:
        return []
    return [hashlib.sha256(f"{m}\x00{kind}\x00{t}".encode("utf-8")).hexdigest()
            for m in models for kind in ("query", "passage") for t in texts]


def purge_sqlite(path: Path, needles: dict[str, str]) -> int:
    """Delete rows holding a needle (any text/blob column) and embeddings of the user's texts;
    VACUUM. Returns the number of rows deleted."""
    forms = [f for n in needles.values() for f in needle_forms(n)]
    texts = [v for k, v in needles.items() if k.startswith("text")]
    con = sqlite3.connect(path, timeout=60, isolation_level=None)
    removed = 0
    try:
        con.execute("PRAGMA secure_delete = ON")
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        con.execute("BEGIN")
        for table in tables:
            # instr() runs in SQLite's C code over text and blobs alike: one pass per needle form
            # instead of pulling every row (vectors included) into Python.
            columns = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')
                       if (r[2] or "").upper() not in ("INTEGER", "REAL", "INT", "FLOAT")]
            for form in forms:
                for col in columns:
                    removed += con.execute(f'DELETE FROM "{table}" WHERE instr(CAST("{col}" AS BLOB), ?) > 0',
                                           (form,)).rowcount
        if "embeddings" in tables:
            keys = _embedding_keys(con, texts)
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                cur = con.execute(f"DELETE FROM embeddings WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                removed += cur.rowcount
        con.execute("COMMIT")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("VACUUM")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    return removed
