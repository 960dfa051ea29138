"""`review pull`: annotations -> one DecisionRecord per item -> review/<task>/decisions.jsonl.

Pull never touches items/<task>/items.jsonl: decisions are data of their own, joined with the
items when they are read (somekit.review.join). Every request to the server is made before
anything is written, and the decisions file is replaced in one atomic rename, so a server that
dies mid-pull leaves the previous decisions exactly as they were. Decisions are recomputed from
all annotations on every pull (a late second annotator or an edited annotation is reflected) and
carry only the server's own timestamps, so pulling twice gives identical bytes.

An annotation counts only for the content it was made on: each task carries the content hash of
the item it showed (data.somekit_content); annotations on a task showing older content of a
rebuilt item are counted as stale and left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ...review.ledger import PULL_FILE, content_hash, write_decisions
from ...schemas.review import AnnotationRef, DecisionRecord
from ...store.atomic import write_json
from ...store.items import read_items
from ...workspace import Workspace
from .agreement import agreement
from .connection import Connection, ReviewError, connect
from .decisions import Vote, decide, vote_of
from .project import export_tasks, get_project
from .state import load_state

COUNTED = ("accepted", "corrected", "rejected")


@dataclass
class PullResult:
    project_id: int
    annotated_tasks: int = 0
    counts: dict[str, int] = field(default_factory=dict)      # decisions by state
    agreement: dict[str, Any] = field(default_factory=dict)
    unknown_tasks: int = 0                                     # tasks without one of our item ids
    stale_annotations: int = 0                                 # annotations on content since rebuilt


def pull(ws: Workspace, task: str, conn: Connection | None = None,
         progress: Callable[[str], None] | None = None) -> PullResult:
    """Read every annotation of the task's project and write the decisions (see module docstring).
    `progress` is called with the name of each server step once it finished."""
    cfg = ws.config()
    conn = conn or connect(ws)
    state = load_state(ws, task)
    if state.project_id is None:
        raise ReviewError(f"task {task} was never pushed; run `somekit review push {ws.root} {task}` first")
    get_project(conn, state.project_id, task)
    exported = export_tasks(conn, state.project_id, all_tasks=False)
    if progress:
        progress("exported")
    reviewers = _reviewer_names(conn)
    if progress:
        progress("users")
    # Nothing below talks to the server.
    by_id = {it.id: it for it in read_items(ws, task)}
    current = {iid: content_hash(it) for iid, it in by_id.items()}
    result = PullResult(state.project_id, annotated_tasks=len(exported))
    votes: dict[str, list[tuple[Vote, AnnotationRef]]] = {}
    for t in exported:
        data = t.get("data") or {}
        iid = data.get("somekit_id")
        if iid not in by_id:
            result.unknown_tasks += 1   # counted, not dropped silently: reported to the user
            continue
        shown = data.get("somekit_content")
        if shown is not None and shown != current[iid]:
            result.stale_annotations += len(t.get("annotations") or [])
            continue
        for ann in t.get("annotations") or []:
            who = reviewers.get(_user_id(ann.get("completed_by")), str(ann.get("completed_by")))
            vote = vote_of(by_id[iid], ann, who)
            votes.setdefault(iid, []).append((vote, AnnotationRef(
                annotator=who, annotation_id=int(ann["id"]), task_id=int(t["id"]), outcome=vote.state,
                created_at=ann.get("created_at"), updated_at=ann.get("updated_at"))))
    records = [_record(by_id[iid], current[iid], pairs, cfg.review.min_annotators) for iid, pairs in votes.items()]
    for rec in records:
        result.counts[rec.state] = result.counts.get(rec.state, 0) + 1
    result.counts = dict(sorted(result.counts.items()))
    result.agreement = agreement([v.key for v, _ in pairs if v.state in COUNTED] for pairs in votes.values())
    write_decisions(ws, task, records)
    write_json(ws.review(task) / PULL_FILE, {
        "project_id": result.project_id, "annotated_tasks": result.annotated_tasks, "decisions": result.counts,
        "agreement": result.agreement, "unknown_tasks": result.unknown_tasks,
        "stale_annotations": result.stale_annotations})
    return result


def _record(item, chash: str, pairs: list[tuple[Vote, AnnotationRef]], min_annotators: int) -> DecisionRecord:
    decision, note = decide(item, [v for v, _ in pairs], min_annotators)
    refs = sorted((r for _, r in pairs), key=lambda r: r.annotation_id)
    behind = [r for r in refs if r.annotator in decision.reviewers and r.outcome in COUNTED] or refs
    stamps = [s for r in behind if (s := r.updated_at or r.created_at)]
    return DecisionRecord(item_id=item.id, content_hash=chash, state=decision.state, answer=decision.answer,
                          reviewers=decision.reviewers, note=note, decided_at=max(stamps) if stamps else None,
                          annotations=refs)


def _user_id(completed_by: Any) -> Any:
    return completed_by.get("id") if isinstance(completed_by, dict) else completed_by


def _reviewer_names(conn: Connection) -> dict[Any, str]:
    with conn.errors("listing users"):
        return {u.id: (u.email or u.username or str(u.id)) for u in conn.client.users.list()}
