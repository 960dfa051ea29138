"""review/<task>/decisions.jsonl and selection.json: reading, writing, and the content hash that
binds a decision to what the annotators saw."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterable

import orjson

from ..schemas.items import ItemBase
from ..schemas.review import DecisionRecord
from ..store.atomic import atomic_path, read_json, write_bytes
from ..workspace import Workspace

DECISIONS_FILE = "decisions.jsonl"
SELECTION_FILE = "selection.json"
SYNC_FILE = "sync.json"
PULL_FILE = "pull.json"
FINAL = ("accepted", "corrected", "rejected")


def content_hash(item: ItemBase) -> str:
    """What a reviewer judges: the query, its inputs and the machine answer. Provenance and the
    review field are left out on purpose: a new builder version that yields the same item keeps
    its human decision."""
    data = item.model_dump(mode="json", include={"task", "query", "template_id", "lang", "inputs", "answer"})
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def decisions_path(ws: Workspace, task: str) -> Path:
    return ws.review(task) / DECISIONS_FILE


def read_decisions(ws: Workspace, task: str) -> dict[str, DecisionRecord]:
    path = decisions_path(ws, task)
    if not path.exists():
        return {}
    out = {}
    for line in path.read_bytes().splitlines():
        if line.strip():
            rec = DecisionRecord.model_validate_json(line)
            out[rec.item_id] = rec
    return out


def write_decisions(ws: Workspace, task: str, records: Iterable[DecisionRecord]) -> None:
    """One atomic write, sorted by item id with sorted keys: the same annotations give the same bytes."""
    rows = sorted(records, key=lambda r: r.item_id)
    with atomic_path(decisions_path(ws, task)) as tmp:
        with open(tmp, "wb") as fh:
            for r in rows:
                fh.write(orjson.dumps(r.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS) + b"\n")


def read_selection(ws: Workspace, task: str) -> dict[str, Any] | None:
    path = ws.review(task) / SELECTION_FILE
    return read_json(path) if path.exists() else None


def write_selection(ws: Workspace, task: str, selection: dict[str, Any]) -> None:
    write_bytes(ws.review(task) / SELECTION_FILE,
                orjson.dumps(selection, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n")


def pushed_ids(ws: Workspace, task: str) -> set[str]:
    """Item ids that have a Label Studio task (from sync.json, read without the SDK)."""
    path = ws.review(task) / SYNC_FILE
    return set((read_json(path).get("tasks") or {})) if path.exists() else set()


def pull_summary(ws: Workspace, task: str) -> dict[str, Any]:
    path = ws.review(task) / PULL_FILE
    return read_json(path) if path.exists() else {}
