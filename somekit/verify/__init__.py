"""Benchmark-integrity checks (docs/architecture.md, "Integrity") behind `somekit verify`.

Checks are registered by name for the tasks they apply to; each gets the workspace, a DuckDB
connection over the corpus and the task's items, and returns Violations. Modules holding checks
are listed in CHECK_MODULES and imported on first use (they import this module); a module that
cannot be imported is an error, never a silently smaller set of checks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable

from ..registry import Registry

CHECK_MODULES: tuple[str, ...] = (
    "somekit.verify.templated",   # ubp ucs mcr mid: negatives, leaks, duplicates, balance, provenance
    "somekit.verify.llm_tasks",   # uea smq red ses: votes, agreement, class balance, evidence ids
    "somekit.verify.drafted",     # smq red drafted without an LLM: facts and extracts recomputed
    "somekit.verify.persona",     # nap: anonymisation, deletes
    "somekit.verify.mid_zh",      # mid-zh: labels, balance, events, cascade cut-off, shortcut figures
    "somekit.verify.integrity",   # shortcut audit, own posts, empty comments, history, same fields per label
    "somekit.verify.overlap",     # cross-task facts, users crossing splits in frozen versions
)


@dataclass(frozen=True)
class Violation:
    check: str
    task: str
    item: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


Check = tuple[str, tuple[str, ...] | None, Callable[..., Iterable[Violation]]]
#: check name -> (name, tasks it applies to or None for all, function)
CHECKS: Registry[Check] = Registry("check", lambda: CHECK_MODULES)


def register_check(name: str, tasks: Iterable[str] | None = None) -> Callable:
    """Register `func(ctx: CheckContext) -> Iterable[Violation]` as check `name`."""

    def deco(func: Callable[..., Iterable[Violation]]) -> Callable[..., Iterable[Violation]]:
        CHECKS.add(name, (name, tuple(tasks) if tasks else None, func))
        return func

    return deco


def load_checks() -> list[Check]:
    """Every registered check, in registration order (the order of CHECK_MODULES)."""
    return list(CHECKS.load_all().values())


@dataclass
class CheckContext:
    """What a check sees: the workspace, a DuckDB connection with corpus views and an `items`
    table for the task (columns: id, query, answer_json, inputs_json, ...), and the typed items."""

    ws: Any
    task: str
    con: Any
    items: list[Any]
    #: Figures a check reports besides violations: {section: value}, gathered by the runner into
    #: report[section][task] (the shortcut audit's `shortcuts`).
    notes: dict[str, Any] = field(default_factory=dict)
