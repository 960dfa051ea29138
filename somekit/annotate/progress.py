"""rich progress for long LLM batches: done/total, calls/s, cache hits, failures."""

from __future__ import annotations

import sys
import time
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.text import Text


class _RateColumn(ProgressColumn):
    """Calls per second actually sent (cache hits excluded: they are not work)."""

    def render(self, task: Any) -> Text:
        elapsed = task.elapsed or 0.0
        calls = task.fields.get("calls", 0)
        rate = calls / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:6.1f} calls/s", style="cyan")


class BatchProgress:
    """Counters for one batch, shown as a rich progress bar when stderr is a terminal (or when
    forced). Counters are kept either way so the caller can log them."""

    def __init__(self, total: int, desc: str = "", enabled: bool | None = None):
        self.total = total
        self.done = self.cached = self.failed = self.calls = 0
        self.started = time.monotonic()
        if enabled is None:
            enabled = sys.stderr.isatty()
        self._progress: Progress | None = None
        if enabled and total:
            self._progress = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), _RateColumn(),
                TextColumn("cached {task.fields[cached]}"), TextColumn("[red]failed {task.fields[failed]}"),
                TimeElapsedColumn(), transient=False,
            )
            self._task = self._progress.add_task(desc or "llm", total=total, cached=0, failed=0, calls=0)

    def __enter__(self) -> "BatchProgress":
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.stop()

    def call(self) -> None:
        self.calls += 1

    def advance(self, n: int = 1, *, cached: bool = False, failed: bool = False) -> None:
        self.done += n
        if cached:
            self.cached += n
        if failed:
            self.failed += n
        if self._progress is not None:
            self._progress.update(self._task, advance=n, cached=self.cached, failed=self.failed, calls=self.calls)

    def summary(self) -> dict[str, Any]:
        elapsed = time.monotonic() - self.started
        return {"total": self.total, "done": self.done, "cached": self.cached, "failed": self.failed,
                "calls": self.calls, "seconds": round(elapsed, 3),
                "calls_per_s": round(self.calls / elapsed, 2) if elapsed > 0 else 0.0}
