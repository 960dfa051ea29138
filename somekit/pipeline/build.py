"""The one build path: `somekit build` and the build stages of `somekit run` both come here.

It looks the task up in the task table, runs its builder with the options of somekit.toml and the
command line, and, for the yes/no pair tasks, records verify's shortcut audit of the items just
built in stats.json (verify runs it again over whatever is on disk; builders themselves never call
verify, so a check cannot share a builder's blind spot by construction).
"""

from __future__ import annotations

from typing import Any

from ..builders.registry import BuildResult, get_builder
from ..schemas.tasks import task_spec
from ..store.atomic import write_json
from ..store.items import STATS_FILE, read_items, read_stats
from ..store.query import connect
from ..verify.shortcut_rows import audit_items
from ..workspace import Workspace


def build_task(ws: Workspace, cfg: Any, task: str, *, n: int | None = None, seed: int | None = None,
               lang: str | None = None, options: dict[str, Any] | None = None) -> BuildResult:
    """Build `task` into items/<task>/ and return its counts, stats and shortfall warnings.
    `options` override `[tasks.<task>.options]` (checked by the task's typed options model)."""
    spec = task_spec(task)
    kwargs: dict[str, Any] = {"n": n, "seed": seed}
    if lang:
        kwargs["lang"] = lang
    kwargs.update(options or {})
    result = get_builder(task)(ws, cfg, **kwargs)
    if spec.paired:
        con = connect(ws.corpus)
        try:
            con.execute("SET enable_progress_bar = false")
            result.stats["shortcuts"] = audit_items(task, read_items(ws, task), con)
        finally:
            con.close()
        write_json(ws.items(task) / STATS_FILE, {**read_stats(ws, task), "shortcuts": result.stats["shortcuts"]})
    return result
