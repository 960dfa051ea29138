"""Task builders registered by name (`somekit build WS TASK`).

A builder is a function `build(ws, cfg, n=None, seed=None, **options) -> BuildResult`. It reads
the corpus (DuckDB), writes items/<task>/ through store.items.write_items, and returns counts.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import SomekitError

BUILDERS: dict[str, Callable[..., "BuildResult"]] = {}
#: task code -> module that registers it (imported lazily so one task's extras don't break others)
BUILDER_MODULES = {
    "ubp": "somekit.builders.ubp",
    "ucs": "somekit.builders.ucs",
    "mcr": "somekit.builders.mcr",
    "mid": "somekit.builders.mid",
    "mid-zh": "somekit.builders.mid_zh",
    "uea": "somekit.builders.uea",
    "smq": "somekit.builders.smq",
    "red": "somekit.builders.red",
    "ses": "somekit.builders.ses",
    "nap": "somekit.persona.nap",
}


@dataclass
class BuildResult:
    task: str
    items: int
    stats: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)   # shortfalls, quality gates, ...


def register_builder(task: str) -> Callable:
    def deco(func: Callable[..., BuildResult]) -> Callable[..., BuildResult]:
        BUILDERS[task] = func
        return func

    return deco


def get_builder(task: str) -> Callable[..., BuildResult]:
    if task not in BUILDER_MODULES:
        raise SomekitError(f"unknown task {task!r}; choose from: {' '.join(BUILDER_MODULES)}")
    if task not in BUILDERS:
        try:
            importlib.import_module(BUILDER_MODULES[task])
        except ModuleNotFoundError as exc:
            raise SomekitError(f"task {task} is not available: {exc}") from None
    if task not in BUILDERS:
        raise SomekitError(f"task {task} is not available in this version")
    return BUILDERS[task]
