"""A live progress bar on the driver for executor runs: rows done and failed, rows/s and ETA.
Drawn on stderr, and only on a terminal, so `--json` output and logs stay clean."""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


class RowProgress:
    def __init__(self, desc: str, total: int, enabled: bool | None = None):
        self.total = total
        self.done = self.failed = 0
        self._started = time.monotonic()
        show = sys.stderr.isatty() if enabled is None else enabled
        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("failed {task.fields[failed]}"), TextColumn("{task.fields[rate]} rows/s"),
                                  TimeRemainingColumn(), console=Console(stderr=True), transient=True, disable=not show)
        self._task = self._progress.add_task(desc, total=total, failed=0, rate="-")

    def __enter__(self) -> "RowProgress":
        self._progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.__exit__(*exc)

    def advance(self, ok: bool = True, n: int = 1) -> None:
        if n <= 0:
            return
        self.done += n
        self.failed += 0 if ok else n
        elapsed = time.monotonic() - self._started
        rate = f"{self.done / elapsed:.2f}" if elapsed > 0 else "-"
        self._progress.update(self._task, completed=self.done, failed=self.failed, rate=rate)
