"""items/<task>/: draft items (items.jsonl, one item per line, key-sorted) and stats.json.

JSON lines with sorted keys and a fixed item order give byte-identical files for the same corpus,
config and seed, which is what makes builds reproducible and diffs reviewable.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import orjson

from ..schemas.items import ItemBase, item_adapter
from .atomic import atomic_path, read_json, write_json

if TYPE_CHECKING:   # for annotations only: the workspace sits above the store
    from ..workspace import Workspace

ITEMS_FILE = "items.jsonl"
STATS_FILE = "stats.json"


def dump_item(item: ItemBase) -> bytes:
    return orjson.dumps(item.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)


def write_items(ws: Workspace, task: str, items: Iterable[ItemBase], stats: dict[str, Any] | None = None) -> Path:
    """Replace items/<task>/items.jsonl atomically (and stats.json when given)."""
    folder = ws.items(task)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / ITEMS_FILE
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as fh:
            for item in items:
                if item.task != task:
                    raise ValueError(f"item {item.id} is for task {item.task}, not {task}")
                fh.write(dump_item(item) + b"\n")
    if stats is not None:
        write_json(folder / STATS_FILE, stats)
    return target


def iter_items(ws: Workspace, task: str) -> Iterator[ItemBase]:
    """Items of a task, validated into their typed classes (nothing if the task is not built)."""
    path = ws.items(task) / ITEMS_FILE
    if not path.exists():
        return
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                yield item_adapter.validate_python(orjson.loads(line))


def read_items(ws: Workspace, task: str) -> list[ItemBase]:
    return list(iter_items(ws, task))


def read_stats(ws: Workspace, task: str) -> dict[str, Any]:
    path = ws.items(task) / STATS_FILE
    return read_json(path) if path.exists() else {}


def built_tasks(ws: Workspace) -> list[str]:
    """Tasks that have an items file, in the canonical task order."""
    from ..schemas.tasks import TASKS

    return [t for t in TASKS if (ws.items(t) / ITEMS_FILE).exists()]
