"""review/<task>/sync.json: which project a task lives in and which of our items it holds.

`tasks` maps our item id to [Label Studio task id, hash of what was sent]. `inflight` holds the
items of a batch sent but not yet confirmed: if the server died mid-request, the next push lists
the server's tasks before importing anything, so a batch that did land is never imported twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...review.ledger import SYNC_FILE
from ...store.atomic import read_json, write_json
from ...workspace import Workspace


@dataclass
class SyncState:
    path: Path
    url: str | None = None
    project_id: int | None = None
    title: str | None = None
    tasks: dict[str, list[Any]] = field(default_factory=dict)
    inflight: dict[str, str] = field(default_factory=dict)

    def save(self) -> None:
        write_json(self.path, {"url": self.url, "project_id": self.project_id, "title": self.title,
                               "tasks": self.tasks, "inflight": self.inflight})


def load_state(ws: Workspace, task: str) -> SyncState:
    path = ws.review(task) / SYNC_FILE
    if not path.exists():
        return SyncState(path)
    data = read_json(path)
    return SyncState(path, data.get("url"), data.get("project_id"), data.get("title"),
                     data.get("tasks") or {}, data.get("inflight") or {})
