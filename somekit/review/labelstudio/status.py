"""`review status`: review states per task (items joined with the pulled decisions), the measured
error rate from the audit sample, the wrong labels expected among unreviewed items, and annotator
agreement from the last pull."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ...review.join import join_items
from ...review.ledger import pull_summary, read_selection
from ...review.metrics import error_rates
from ...store.items import built_tasks
from ...workspace import Workspace

STATES = ("draft", "pending", "accepted", "corrected", "rejected")


def status(ws: Workspace, tasks: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """{task: {"draft": N, "pending": N, "accepted": N, "corrected": N, "rejected": N, "stale": N,
    "unselected": N, "items": N, "awaiting": N, "audit": {...}, "shares": {...}, "agreement": {...},
    "remaining_errors": {"estimate": x, "ci": [lo, hi], ...}, "gate_failed": bool,
    "voter_accuracy": {voter: accuracy on people's decisions}, "splits_decided": N}}
    for every built task (or the given ones). `pending` includes stale items (they are back in
    review); `awaiting` is what a person still has to decide before freeze: pending items that
    were sent."""
    out: dict[str, dict[str, Any]] = {}
    for task in tasks or built_tasks(ws):
        joined = join_items(ws, task)
        by = Counter(j.status for j in joined)
        counts: dict[str, Any] = {s: by.get(s, 0) for s in STATES}
        counts["pending"] += by.get("stale", 0)
        counts["draft"] += by.get("unselected", 0)
        counts.update(stale=by.get("stale", 0), unselected=by.get("unselected", 0), items=len(joined),
                      awaiting=by.get("pending", 0) + by.get("stale", 0))
        pulled = pull_summary(ws, task)
        rates = error_rates(joined, read_selection(ws, task), pulled.get("agreement"))
        counts.update(audit=rates["audit"], shares=rates["shares"], agreement=rates["agreement"],
                      remaining_errors=rates["remaining_errors"], gate_failed=rates["gate_failed"],
                      voter_accuracy=rates["voter_accuracy"], splits_decided=rates["splits_decided"])
        out[task] = counts
    return out
