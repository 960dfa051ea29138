"""Facts shared between tasks and splits.

Two user-centric tasks may ask about the same (user, post) pair (per-task salts make that rare);
that is harmless as long as the pair sits in the same split everywhere. The overlap per task goes
to report['overlap'][task]; a user found in two splits of one frozen version (reading the
frozen files themselves, not the freeze code) is a `split-crossing` violation.
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Iterator

import pyarrow.parquet as pq

from ..schemas.tasks import task_codes
from . import CheckContext, Violation, register_check

USER_TASKS = task_codes(user_centric=True)


def _pairs(items) -> set[tuple[str, str]]:
    return {(i.inputs.user_id, i.inputs.post_id) for i in items}


@register_check("overlap", USER_TASKS)
def overlap(ctx: CheckContext) -> Iterator[Violation]:
    from ..store.items import built_tasks, read_items

    mine = _pairs(ctx.items)
    shared = {}
    for other in built_tasks(ctx.ws):
        if other != ctx.task and other in USER_TASKS:
            shared[other] = len(mine & _pairs(read_items(ctx.ws, other)))
    ctx.notes["overlap"] = {"pairs": len(mine), "shared_with": shared}
    yield from split_crossing(ctx)


def _frozen_users(folder: Path) -> dict[str, dict[str, set[str]]]:
    """user -> split -> tasks, from every user-centric task's Parquet files in a frozen version."""
    found: dict[str, dict[str, set[str]]] = collections.defaultdict(lambda: collections.defaultdict(set))
    for task in USER_TASKS:
        for path in sorted((folder / task).glob("*.parquet")):
            table = pq.read_table(path, columns=["inputs"])
            for inputs in table.column("inputs").to_pylist():
                found[inputs["user_id"]][path.stem].add(task)
    return found


def split_crossing(ctx: CheckContext) -> Iterator[Violation]:
    """Users of this task that sit in more than one split of a frozen version."""
    root = ctx.ws.root / "frozen"
    if not root.is_dir():
        return
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        users = _frozen_users(folder)
        for user, splits in sorted(users.items()):
            if len(splits) > 1 and any(ctx.task in tasks for tasks in splits.values()):
                where = ", ".join(f"{s}: {'/'.join(sorted(t))}" for s, t in sorted(splits.items()))
                yield Violation("split-crossing", ctx.task, user, f"frozen/{folder.name}: user {user} sits in several splits ({where})")
