"""Human review in Label Studio: push items as tasks, pull annotations back as review decisions.

    from somekit.review.labelstudio import push, pull, status
    push(ws, "ubp")          # create/reuse the project '<workspace name> / ubp', import the selected items
    pull(ws, "ubp")          # annotations -> review/ubp/decisions.jsonl (items.jsonl is never rewritten)
    status(ws)               # {"ubp": {"draft": N, "pending": N, "accepted": N, ..., "audit": {...}}, ...}

Review state lives in review/<task>/ (selection.json, sync.json, decisions.jsonl, pull.json);
somekit.review joins it with the items for status and freeze.
"""

from __future__ import annotations

from .connection import ReviewError, connect
from .pull import PullResult, pull
from .push import PushResult, push
from .status import status

__all__ = ["ReviewError", "connect", "push", "pull", "status", "PushResult", "PullResult"]
