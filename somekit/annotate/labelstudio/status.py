"""`review status`: review states per task from the items, agreement from the last pull."""

from __future__ import annotations

from typing import Any

from ...store.atomic import read_json
from ...store.items import built_tasks, iter_items
from ...workspace import Workspace
from .state import PULL_FILE

STATES = ("draft", "pending", "accepted", "corrected", "rejected")


def status(ws: Workspace, tasks: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """{task: {"draft": N, "pending": N, "accepted": N, "corrected": N, "rejected": N,
    "items": N, "agreement": {...} or None}} for every built task (or the given ones)."""
    out: dict[str, dict[str, Any]] = {}
    for task in tasks or built_tasks(ws):
        counts: dict[str, Any] = {s: 0 for s in STATES}
        for item in iter_items(ws, task):
            counts[item.review.state] += 1
        counts["items"] = sum(counts[s] for s in STATES)
        pulled = ws.review(task) / PULL_FILE
        counts["agreement"] = read_json(pulled).get("agreement") if pulled.exists() else None
        out[task] = counts
    return out
