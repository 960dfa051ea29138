"""`review pull`: annotations -> one ReviewDecision per item -> review state of items/<task>.

Decisions are recomputed from all annotations on every pull, so a late second annotator (or an
edited annotation) is reflected, and pulling twice changes nothing. A corrected item keeps the
machine answer in review.original_answer; SMQ question edits go into the item's inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import orjson

from ...schemas.items import ItemBase
from ...schemas.review import ReviewDecision
from ...store.atomic import atomic_path, write_json
from ...store.items import read_items, write_items
from ...workspace import Workspace
from .agreement import agreement
from .connection import Connection, ReviewError, connect
from .decisions import Vote, with_question, decide, machine_answer, machine_question, vote_of
from .project import export_tasks, get_project
from .state import DECISIONS_FILE, PULL_FILE, load_state


@dataclass
class PullResult:
    project_id: int
    annotated_tasks: int = 0
    counts: dict[str, int] = field(default_factory=dict)      # decisions by state
    agreement: dict[str, Any] = field(default_factory=dict)
    unknown_tasks: int = 0                                     # tasks without one of our item ids


def pull(ws: Workspace, task: str, conn: Connection | None = None) -> PullResult:
    cfg = ws.config()
    conn = conn or connect(ws)
    state = load_state(ws, task)
    if state.project_id is None:
        raise ReviewError(f"task {task} was never pushed; run `somekit review push {ws.root} {task}` first")
    get_project(conn, state.project_id, task)
    exported = export_tasks(conn, state.project_id, all_tasks=False)
    items = read_items(ws, task)
    by_id = {it.id: it for it in items}
    reviewers = _reviewer_names(conn)
    votes: dict[str, list[Vote]] = {}
    result = PullResult(state.project_id, annotated_tasks=len(exported))
    for t in exported:
        iid = (t.get("data") or {}).get("somekit_id")
        if iid not in by_id:
            result.unknown_tasks += 1   # counted, not dropped silently: reported to the user
            continue
        for ann in t.get("annotations") or []:
            who = reviewers.get(_user_id(ann.get("completed_by")), str(ann.get("completed_by")))
            votes.setdefault(iid, []).append(vote_of(by_id[iid], ann, who))
    decisions: list[ReviewDecision] = []
    now = datetime.now(timezone.utc)
    out = []
    for item in items:
        if item.id in votes:
            decision, note = decide(item, votes[item.id], cfg.review.min_annotators)
            decisions.append(decision)
            result.counts[decision.state] = result.counts.get(decision.state, 0) + 1
            item = apply_decision(item, decision, note, now)
        out.append(item)
    write_items(ws, task, out)
    result.agreement = agreement([v.key for v in vs if v.state in ("accepted", "corrected", "rejected")]
                                 for vs in votes.values())
    _save(ws, task, decisions, result, now)
    return result


def apply_decision(item: ItemBase, d: ReviewDecision, note: str | None, now: datetime) -> ItemBase:
    """The item with the decision applied; the machine answer is restored first, so re-applying
    (or a decision that went back to pending) is exact."""
    base = machine_answer(item)
    answer_cls = type(item.answer)
    update: dict[str, Any] = {"answer": answer_cls.model_validate(base)}
    question0 = machine_question(item)
    if question0 is not None and question0 != item.inputs.question:
        update.update(with_question(item, item.inputs.question, question0))
    review = {"reviewers": d.reviewers, "at": now, "note": note, "original_answer": None}
    if d.state in ("accepted", "rejected"):
        review["state"] = d.state
    elif d.state == "corrected":
        new = dict(d.answer)
        question = new.pop("question", None)
        update["answer"] = answer_cls.model_validate(new)
        original = dict(base)
        if question is not None and question != question0:
            update.update(with_question(item, item.inputs.question, question, query_from=question0))
            original["question"] = question0   # so the machine draft stays recoverable
        review.update(state="corrected", original_answer=original)
    else:  # pending, skipped: waiting for (more) people
        review["state"] = "pending"
    update["review"] = item.review.model_copy(update=review)
    return item.model_copy(update=update)


def _user_id(completed_by: Any) -> Any:
    return completed_by.get("id") if isinstance(completed_by, dict) else completed_by


def _reviewer_names(conn: Connection) -> dict[Any, str]:
    with conn.errors("listing users"):
        return {u.id: (u.email or u.username or str(u.id)) for u in conn.client.users.list()}


def _save(ws: Workspace, task: str, decisions: list[ReviewDecision], result: PullResult, now: datetime) -> None:
    folder = ws.review(task)
    with atomic_path(folder / DECISIONS_FILE) as tmp:
        with open(tmp, "wb") as fh:
            for d in decisions:
                fh.write(orjson.dumps(d.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS) + b"\n")
    write_json(folder / PULL_FILE, {"at": now.isoformat(), "project_id": result.project_id,
                                    "annotated_tasks": result.annotated_tasks, "decisions": result.counts,
                                    "agreement": result.agreement, "unknown_tasks": result.unknown_tasks})
