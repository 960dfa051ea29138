"""cache/llm.sqlite: completions and embeddings keyed by a hash of the canonical request, plus a
usage ledger (one row per call made: tokens, latency, outcome).

WAL mode with a busy timeout makes several processes (parallel builders, a re-run next to a
killed one) safe writers. Every successful completion is committed as soon as it arrives, so a
SIGKILL loses at most the calls in flight. The canonical request never contains an API key or
any header, so nothing secret can land here.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import orjson

_SCHEMA = """
CREATE TABLE IF NOT EXISTS completions (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    raw TEXT NOT NULL,
    usage TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS embeddings (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS calls (
    ts REAL NOT NULL,
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    ok INTEGER NOT NULL,
    status TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    latency_s REAL NOT NULL
);
"""


def request_key(canonical: dict[str, Any]) -> str:
    """sha256 of the canonical request (sorted keys, compact JSON)."""
    return hashlib.sha256(orjson.dumps(canonical, option=orjson.OPT_SORT_KEYS)).hexdigest()


class LLMCache:
    """A thread-safe handle on cache/llm.sqlite (one connection, guarded by a lock)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=60, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL under WAL: a committed row survives a process kill (only an OS crash can lose
        # the last commits), at a fraction of FULL's fsync cost.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=60000")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # completions -------------------------------------------------------------------------
    def get_many(self, keys: Sequence[str]) -> dict[str, tuple[str, dict[str, int]]]:
        """Cached (raw, usage) for the keys present, in bulk (one query per 500 keys)."""
        out: dict[str, tuple[str, dict[str, int]]] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = list(keys[i:i + 500])
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(f"SELECT key, raw, usage FROM completions WHERE key IN ({marks})", chunk)
                for key, raw, usage in rows:
                    out[key] = (raw, orjson.loads(usage))
        return out

    def put(self, key: str, model: str, prompt_id: str, raw: str, usage: dict[str, int]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO completions VALUES (?, ?, ?, ?, ?, ?)",
                (key, model, prompt_id, raw, orjson.dumps(usage).decode(), time.time()),
            )

    def count(self, table: str = "completions") -> int:
        if table not in ("completions", "embeddings", "calls"):
            raise ValueError(table)
        with self._lock:
            return self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    # usage ledger ------------------------------------------------------------------------
    def log_calls(self, rows: Iterable[tuple]) -> None:
        rows = list(rows)
        if not rows:
            return
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT INTO calls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self._db.execute("COMMIT")

    def usage_summary(self) -> dict[str, Any]:
        """Calls, failures and tokens per model, from the ledger."""
        with self._lock:
            rows = self._db.execute(
                "SELECT model, COUNT(*), SUM(1 - ok), SUM(prompt_tokens), SUM(completion_tokens), SUM(latency_s) "
                "FROM calls GROUP BY model").fetchall()
        return {m: {"calls": n, "failed": f, "prompt_tokens": p, "completion_tokens": c, "latency_s": round(s, 3)}
                for m, n, f, p, c, s in rows}

    # embeddings --------------------------------------------------------------------------
    def get_vectors(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = list(keys[i:i + 500])
                marks = ",".join("?" * len(chunk))
                for key, blob in self._db.execute(f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", chunk):
                    out[key] = np.frombuffer(blob, dtype=np.float32)
        return out

    def put_vectors(self, model: str, items: Sequence[tuple[str, np.ndarray]]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR IGNORE INTO embeddings VALUES (?, ?, ?, ?)",
                [(k, model, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items],
            )
            self._db.execute("COMMIT")
