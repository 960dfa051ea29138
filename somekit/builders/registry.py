"""Task builders registered by name (`somekit build WS TASK`).

A builder is a function `build(ws, cfg, n=None, seed=None, **options) -> BuildResult`. It reads
the corpus (DuckDB), writes items/<task>/ through store.items.write_items, and returns counts. The
module of each task's builder comes from the task table (schemas/tasks.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import SomekitError
from ..registry import Registry
from ..schemas.tasks import TASKS

#: task code -> module that registers it (imported on first use so one task's optional extras,
#: e.g. the embedded models, are not needed to build the others)
BUILDER_MODULES: dict[str, str] = {code: spec.builder for code, spec in TASKS.items()}
BUILDERS: Registry[Callable[..., "BuildResult"]] = Registry("task", BUILDER_MODULES, SomekitError)


@dataclass
class BuildResult:
    task: str
    items: int
    stats: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)   # shortfalls, quality gates, ...


def register_builder(task: str) -> Callable:
    return BUILDERS.register(task)


def get_builder(task: str) -> Callable[..., BuildResult]:
    return BUILDERS.lookup(task)
