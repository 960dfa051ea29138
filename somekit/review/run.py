"""The review stages of `somekit run`: push every task, then pull every task and stop the run
(AwaitingReview, exit 3) while items sent to people have no decision yet."""

from __future__ import annotations

from typing import Any

from ..errors import AwaitingReview
from ..workspace import Workspace


def push_all(ws: Workspace, tasks: list[str]) -> dict[str, Any]:
    from .labelstudio import connect, push

    conn = connect(ws)
    conn.check()
    return {t: push(ws, t, conn=conn).counts for t in tasks}


def pull_all(ws: Workspace, tasks: list[str], wait: bool = True) -> dict[str, Any]:
    """Pull every task; raise AwaitingReview naming the projects when `wait` and work is left."""
    from .labelstudio import connect, pull, status
    from .labelstudio.state import load_state

    conn = connect(ws)
    pulled = {t: pull(ws, t, conn=conn).counts for t in tasks}
    st = status(ws, tasks)
    left = {t: st[t]["awaiting"] for t in tasks if st[t]["awaiting"]}
    if wait and left:
        where = ", ".join(f"{conn.url}/projects/{load_state(ws, t).project_id} ({t}: {n:,})" for t, n in left.items())
        raise AwaitingReview(f"{sum(left.values()):,} tasks await review in {where}; run again to pull")
    return {"pulled": pulled, "awaiting": left}
