"""The one progress bar: done/total, failures, work per second and time, with counters kept either
way so the caller can log them. Used for executor runs (rows), LLM batches (calls), embedding
(texts), ingest (records), enrich (media) and Label Studio imports (tasks).

Drawn on stderr, and only on a terminal unless forced, so `--json` output and logs stay clean.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Literal

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.text import Text

Unit = Literal["rows", "calls", "texts", "records", "media", "tasks"]


class _RateColumn(ProgressColumn):
    """Work per second: rows done, or calls actually sent (cache hits are not work)."""

    def __init__(self, unit: Unit):
        super().__init__()
        self.unit = unit

    def render(self, task: Any) -> Text:
        elapsed = task.elapsed or 0.0
        work = task.fields.get("work", 0)
        rate = work / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:6.1f} {self.unit}/s", style="cyan")


class BatchProgress:
    """Counters for one batch of `total` units, shown as a rich bar when `enabled` (None: when
    stderr is a terminal). `unit="calls"` also shows cache hits and rates the calls recorded with
    `call()`; other units rate the units done. `total=None`: not known yet (an ingest never
    knows it); `update()` can tell it later."""

    def __init__(self, total: int | None, desc: str = "", enabled: bool | None = None, *, unit: Unit = "calls"):
        self.total = total
        self.unit = unit
        self.done = self.cached = self.failed = self.calls = 0
        self.started = time.monotonic()
        if enabled is None:
            enabled = sys.stderr.isatty()
        self._progress: Progress | None = None
        if enabled and total != 0:
            cached = [TextColumn("cached {task.fields[cached]}")] if unit == "calls" else []
            self._progress = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), _RateColumn(unit),
                *cached, TextColumn("[red]failed {task.fields[failed]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                console=Console(stderr=True), transient=False)
            self._task = self._progress.add_task(desc or unit, total=total, cached=0, failed=0, work=0)

    def __enter__(self) -> "BatchProgress":
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.stop()

    def call(self) -> None:
        """One request actually sent (retries included)."""
        self.calls += 1

    def advance(self, n: int = 1, *, cached: bool = False, failed: bool = False) -> None:
        if n <= 0:
            return
        self.done += n
        if cached:
            self.cached += n
        if failed:
            self.failed += n
        if self._progress is not None:
            work = self.calls if self.unit == "calls" else self.done
            self._progress.update(self._task, advance=n, cached=self.cached, failed=self.failed, work=work)

    def update(self, done: int, total: int | None = None) -> None:
        """For work that reports how far it is (`done` so far, `total` once known) rather than
        each step; fits the `(done, total)` callbacks of enrich and the Label Studio push."""
        if total is not None and total != self.total:
            self.total = total
            if self._progress is not None:
                self._progress.update(self._task, total=total)
        self.advance(done - self.done)

    def summary(self) -> dict[str, Any]:
        elapsed = time.monotonic() - self.started
        return {"total": self.total, "done": self.done, "cached": self.cached, "failed": self.failed,
                "calls": self.calls, "seconds": round(elapsed, 3),
                "calls_per_s": round(self.calls / elapsed, 2) if elapsed > 0 else 0.0}
