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


# ---- tests of the reading helpers themselves ----------------------------------------------

def test_weibo_dates_and_times():
    from datetime import datetime, timezone

    from somekit.ingest.timeparse import from_epoch, parse_any_time, parse_weibo_date

    utc = timezone.utc
    assert parse_weibo_date("2013-10-05 19:37:52") == datetime(2013, 10, 5, 11, 37, 52, tzinfo=utc)
    ref = datetime(2013, 12, 31, 12, 0, tzinfo=utc)
    assert parse_weibo_date("01月02日 08:00", reference=ref) == datetime(2014, 1, 2, 0, 0, tzinfo=utc)  # rolls over
    assert parse_weibo_date("2013-02-30 10:00:00") is None and parse_weibo_date("昨天") is None
    assert parse_any_time("Mon Jan 20 12:00:00 +0800 2025") == datetime(2025, 1, 20, 4, 0, tzinfo=utc)
    assert parse_any_time("2025-01-20T12:00:00Z") == datetime(2025, 1, 20, 12, 0, tzinfo=utc)
    assert parse_any_time("someday") is None
    assert from_epoch("1381000000") == datetime.fromtimestamp(1381000000, utc) and from_epoch("x") is None


def test_decode_checked_and_junk_names(tmp_path):
    from somekit.ingest.base import decode_checked, is_junk, walk_files
    from somekit.store.quarantine import Rejected

    assert decode_checked("好".encode(), "f", "line 1") == "好"
    bad = decode_checked(b"ab\xffcd", "f", "line 2")
    assert isinstance(bad, Rejected) and bad.reason == "invalid-utf8" and "byte 2" in bad.detail
    assert decode_checked(b"a\x00", "f", "line 3").reason == "nul-bytes"
    assert all(is_junk(Path(n)) for n in (".DS_Store", "._x.json", "Thumbs.db")) and not is_junk(Path("x.json"))
    (tmp_path / "b").mkdir()
    for name in ("b/2.jsonl", "1.jsonl", "skip.txt", ".DS_Store"):
        (tmp_path / name).write_text("")
    assert [p.name for p in walk_files([tmp_path], (".jsonl",))] == [".DS_Store", "1.jsonl", "2.jsonl"]
