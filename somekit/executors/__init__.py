"""Where per-row work runs. A stage hands an executor one task object (how to set up a worker and
how to work a batch of rows) and the rows that need work; the executor only schedules:

- `local`: this process, row by row, in order; what every stage did before executors existed;
- `ray`: Ray Data tasks on a cluster (executors/ray_data.py), small batches, lost or failed rows
  retried in rounds up to a cap.

The stage's own cache stays the source of truth: a worker writes each finished row to it, so a
killed driver or worker costs only the rows in flight, and a re-run asks the executor for nothing
that is cached.
"""

from __future__ import annotations

from typing import Any

from ..schemas.config import ExecutorSection
from .base import BatchTask, Executor, MapStats, OnResult

__all__ = ["BatchTask", "Executor", "MapStats", "OnResult", "get_executor", "with_executor"]


_made: dict[tuple, Executor] = {}


def get_executor(section: ExecutorSection | None = None) -> Executor:
    """The executor a config asks for; one instance per setting in a process, so a command's
    several stages (one build's voters) add up in one summary."""
    section = section or ExecutorSection()
    key = tuple(sorted(section.model_dump().items()))
    if key not in _made:
        if section.kind == "ray":
            from .ray_data import RayExecutor
            _made[key] = RayExecutor(section)
        else:
            from .local import LocalExecutor
            _made[key] = LocalExecutor()
    return _made[key]


def with_executor(cfg: Any, kind: str | None, ray_address: str | None) -> Any:
    """`cfg` with the command line's --executor/--ray-address laid over [executor]."""
    update = {k: v for k, v in {"kind": kind, "ray_address": ray_address}.items() if v is not None}
    if ray_address and not kind:
        update["kind"] = "ray"     # an address only makes sense for ray
    if not update:
        return cfg
    return cfg.model_copy(update={"executor": cfg.executor.model_copy(update=update)})
