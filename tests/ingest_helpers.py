"""Small helpers shared by the ingest tests (real files, real workspaces)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import orjson

from somekit.store.query import connect
from somekit.store.quarantine import QUARANTINE_FILE


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        for r in rows:
            fh.write((r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode()) + b"\n")
    return path


def write_json(path: Path, obj: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


def quarantine(ws) -> list[dict]:
    path = ws.quarantine / QUARANTINE_FILE
    return [orjson.loads(line) for line in path.read_bytes().splitlines()] if path.exists() else []


def reasons(ws) -> dict[str, int]:
    out: dict[str, int] = {}
    for q in quarantine(ws):
        out[q["reason"]] = out.get(q["reason"], 0) + 1
    return out


def rows(ws, sql: str) -> list[tuple]:
    con = connect(ws.corpus)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def corpus_digest(ws) -> dict[str, str]:
    """sha256 of every file under corpus/ (quarantine included): byte-for-byte comparisons."""
    return {str(p.relative_to(ws.corpus)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(ws.corpus.rglob("*")) if p.is_file()}
