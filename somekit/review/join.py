"""Lay the human decisions (review/<task>/decisions.jsonl) over the built items (items.jsonl).

The build output stays the machine draft; this join is the only place a decision changes an
item, for `review status` and `freeze` alike. Each joined item gets a status:

    accepted, corrected, rejected   a decision on exactly this content
    stale                           a decision on other content under the same id (rebuilt):
                                    back to review, never applied
    pending                         sent to Label Studio, no decision yet (or a tie, a skip)
    unselected                      not sent: push ran with a budget and the item neither needed
                                    a human nor fell in the audit sample (covered by the audit)
    draft                           never sent
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from ..schemas.items import ItemBase
from ..schemas.review import DecisionRecord
from ..store.items import iter_items
from ..workspace import Workspace
from .ledger import FINAL, content_hash, pushed_ids, read_decisions, read_selection


@dataclass
class Joined:
    item: ItemBase        # the item as it will be frozen (decision applied)
    draft: ItemBase       # the machine draft from items.jsonl
    status: str
    audit: bool = False


def with_question(item: ItemBase, old: str, new: str, query_from: str | None = None) -> dict[str, Any]:
    """SMQ inputs (and the rendered query, which embeds the question) with the question replaced."""
    query = item.query
    for q in dict.fromkeys([old, query_from]):
        if q and q in query:
            query = query.replace(q, new)
            break
    return {"inputs": item.inputs.model_copy(update={"question": new}), "query": query}


def _at(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def apply_record(item: ItemBase, rec: DecisionRecord) -> ItemBase:
    """The draft with a fresh decision applied; the machine answer stays in review.original_answer."""
    update: dict[str, Any] = {}
    review = {"state": rec.state if rec.state in FINAL else "pending", "reviewers": rec.reviewers,
              "at": _at(rec.decided_at), "note": rec.note, "original_answer": None}
    if rec.state == "corrected":
        new = dict(rec.answer)
        question = new.pop("question", None)
        update["answer"] = type(item.answer).model_validate(new)
        original = item.answer.model_dump(mode="json")
        if item.task == "smq" and question is not None and question != item.inputs.question:
            update.update(with_question(item, item.inputs.question, question))
            original["question"] = item.inputs.question   # so the machine draft stays recoverable
        review["original_answer"] = original
    update["review"] = item.review.model_copy(update=review)
    return item.model_copy(update=update)


def _noted(item: ItemBase, state: str, note: str) -> ItemBase:
    return item.model_copy(update={"review": item.review.model_copy(update={"state": state, "note": note})})


def join_items(ws: Workspace, task: str, items: Iterable[ItemBase] | None = None) -> list[Joined]:
    """Every built item of a task with its review status (see the module docstring)."""
    decisions = read_decisions(ws, task)
    pushed = pushed_ids(ws, task)
    selection = read_selection(ws, task) or {}
    audit = set(selection.get("audit") or [])
    budgeted = selection.get("budget") is not None
    sent = set(selection.get("send") or [])
    out = []
    for item in (items if items is not None else iter_items(ws, task)):
        rec = decisions.get(item.id)
        if rec is not None and rec.content_hash != content_hash(item):
            status, joined = "stale", _noted(item, "pending", "content changed since it was reviewed: back to review")
        elif rec is not None and (rec.state in FINAL or item.id in pushed):
            joined = apply_record(item, rec)
            status = rec.state if rec.state in FINAL else "pending"
        elif item.id in pushed:
            status, joined = "pending", _noted(item, "pending", item.review.note or "awaiting review in Label Studio")
        elif budgeted and item.id not in sent and item.review.state == "draft":
            status, joined = "unselected", _noted(item, "draft", "not sent for review (budget); covered by the audit sample")
        else:
            status, joined = item.review.state, item
        out.append(Joined(joined, item, status, item.id in audit))
    return out
