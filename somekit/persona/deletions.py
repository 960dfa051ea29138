"""Account deletions announced on the Jetstream firehose, honoured as takedowns.

Jetstream sends `{"kind": "account", "account": {"did", "active", "status", "seq", "time"}}` when
an account changes state and `{"kind": "identity", "identity": {"did", "handle", ...}}` when its
identity does. An account whose latest account event is inactive with status `deleted` or
`takendown` is gone from the network: its data must go from our datasets too. `deactivated` and
`suspended` are reversible and are reported, not removed; a later `active: true` event cancels
an earlier removal state (events are taken in `seq` order, file order on ties). Identity events
alone never remove anyone (a handle change is not a departure); the handle they carried is in
the corpus's users table, so the takedown finds and removes it with the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import orjson

REMOVE_STATUSES = ("deleted", "takendown")


def scan_events(paths: Iterable[str | Path]) -> dict[str, dict[str, Any]]:
    """DID -> {"status", "active", "seq"} of its latest account event in the files (JSON lines)."""
    latest: dict[str, dict[str, Any]] = {}
    order = 0
    for path in paths:
        with open(path, "rb") as fh:
            for line in fh:
                if b'"account"' not in line:
                    continue  # the cheap test: most lines are commits
                try:
                    ev = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                if not isinstance(ev, dict):
                    continue
                order += 1
                if ev.get("kind") == "account" and isinstance(ev.get("account"), dict):
                    acc = ev["account"]
                    did = acc.get("did") or ev.get("did")
                    if not isinstance(did, str):
                        continue
                    key = (acc.get("seq") or 0, order)
                    if did not in latest or key >= latest[did]["_key"]:
                        latest[did] = {"active": bool(acc.get("active")), "status": acc.get("status"), "_key": key}
    return {d: {k: v for k, v in s.items() if k != "_key"} for d, s in latest.items()}


def deleted_dids(paths: Iterable[str | Path]) -> tuple[list[str], list[str]]:
    """(DIDs to remove, DIDs only deactivated or suspended) from Jetstream files."""
    states = scan_events(paths)
    remove = sorted(d for d, s in states.items() if not s["active"] and s["status"] in REMOVE_STATUSES)
    paused = sorted(d for d, s in states.items() if not s["active"] and s["status"] not in REMOVE_STATUSES)
    return remove, paused


def honour_deletions(ws: Any, paths: Iterable[str | Path]) -> dict[str, Any]:
    """Remove from the workspace every account the events say is deleted or taken down and
    that the corpus holds. Returns counts only (no DIDs: the report must not list who left)."""
    from ..store.query import connect
    from .takedown import remove_user

    remove, paused = deleted_dids(paths)
    con = connect(ws.corpus)
    try:
        present = {d for d in remove if con.execute("SELECT 1 FROM users WHERE id = ? LIMIT 1", [d]).fetchone()}
    finally:
        con.close()
    rows = files = 0
    for did in sorted(present):
        report = remove_user(ws, did)
        rows += report["rows_removed"]
        files += report["files_changed"]
    return {"accounts_deleted": len(remove), "accounts_removed": len(present), "accounts_paused": len(paused),
            "rows_removed": rows, "file_changes": files}
