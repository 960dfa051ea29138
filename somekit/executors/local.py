"""The local executor: this process, row by row, in input order, one attempt: exactly what the
stages did before there were executors (a backend failure is recorded, and the next run retries)."""

from __future__ import annotations

import socket
import time
from typing import Any, Sequence

from .base import BatchTask, MapStats, OnResult


class LocalExecutor:
    name = "local"

    def __init__(self) -> None:
        self._runs: list[dict[str, Any]] = []

    def map(self, task: BatchTask, items: Sequence[Any], on_result: OnResult, *, desc: str = "",
            progress: bool | None = None) -> MapStats:
        """`progress` is ignored: the stages draw their own bars for local runs, as always."""
        stats = MapStats(rows=len(items), rounds=1 if items else 0)
        if not items:
            return stats
        started = time.monotonic()
        task.setup()
        for i, item in enumerate(items):
            on_result(i, task.run([item])[0])
            stats.delivered += 1
        stats.wall_s = time.monotonic() - started
        stats.add_node(socket.gethostname(), stats.delivered, stats.wall_s)
        self._runs.append({"desc": desc, **stats.to_dict()})
        return stats

    def summary(self) -> dict[str, Any]:
        return {"executor": self.name, "maps": self._runs}
