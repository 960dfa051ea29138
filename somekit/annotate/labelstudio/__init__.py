"""Human review in Label Studio: push items as tasks, pull annotations back as review decisions.

    from somekit.annotate.labelstudio import push, pull, status
    push(ws, "ubp")          # create/reuse the project '<workspace name> / ubp', import new items
    pull(ws, "ubp")          # annotations -> ReviewDecision -> items/ubp/items.jsonl review states
    status(ws)               # {"ubp": {"draft": N, "pending": N, "accepted": N, ...}, ...}

Sync state lives in review/<task>/ (sync.json, decisions.jsonl, pull.json).
"""

from __future__ import annotations

from .connection import ReviewError, connect
from .pull import PullResult, pull
from .push import PushResult, push
from .status import status

__all__ = ["ReviewError", "connect", "push", "pull", "status", "PushResult", "PullResult"]
