"""From annotations to one ReviewDecision per item: parse, compare with the machine answer, vote.

Policy for several annotators: every submitted (not skipped) annotation is one vote for a
(state, answer) outcome; the strict majority wins; a tie stays pending with a note naming the
split, so nobody's work is silently overridden. Fewer votes than [review] min_annotators stay
pending too.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ...schemas.items import ITEM_CLASSES, ItemBase
from ...schemas.review import ReviewDecision
from .configs import FORMS, parse_result


@dataclass
class Vote:
    reviewer: str
    state: str                  # accepted, corrected, rejected, skipped, invalid
    answer: Any = None          # new answer (dict) when corrected/accepted
    detail: str | None = None   # why a vote is invalid

    @property
    def key(self) -> str:
        return self.state if self.state == "rejected" else "answer:" + json.dumps(self.answer, sort_keys=True, ensure_ascii=False)


def machine_answer(item: ItemBase) -> dict[str, Any]:
    """The answer the machine proposed (kept in review.original_answer once a human corrected it).
    For SMQ, original_answer also keeps the machine's question under 'question'; it is not part
    of the answer."""
    if item.review.state == "corrected" and item.review.original_answer is not None:
        return {k: v for k, v in item.review.original_answer.items() if k != "question"}
    return item.answer.model_dump(mode="json")


def machine_question(item: ItemBase) -> str | None:
    """SMQ: the drafted question (an annotator may have edited inputs.question since)."""
    if item.task != "smq":
        return None
    original = item.review.original_answer if item.review.state == "corrected" else None
    return (original or {}).get("question", item.inputs.question)


def _candidate(item: ItemBase, values: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    return FORMS.lookup(item.task).answer(values, base)


def vote_of(item: ItemBase, annotation: dict[str, Any], reviewer: str) -> Vote:
    """One annotation as a vote; smq answers carry an edited question under 'question'."""
    if annotation.get("was_cancelled"):
        return Vote(reviewer, "skipped")
    values = parse_result(item.task, annotation.get("result") or [])
    if values.pop("_reject"):
        return Vote(reviewer, "rejected")
    base = machine_answer(item)
    try:
        candidate = _candidate(item, values, base)
        answer_cls = ITEM_CLASSES[item.task].model_fields["answer"].annotation
        candidate = answer_cls.model_validate(candidate).model_dump(mode="json")
    except (ValueError, ValidationError, json.JSONDecodeError) as exc:
        return Vote(reviewer, "invalid", detail=str(exc).splitlines()[0][:200])
    same = candidate == base
    if item.task == "smq":
        question = values["question"].strip()
        same = same and question == machine_question(item)
        candidate = {**candidate, "question": question}
    return Vote(reviewer, "accepted" if same else "corrected", candidate)


def decide(item: ItemBase, votes: list[Vote], min_annotators: int = 1) -> tuple[ReviewDecision, str | None]:
    """The decision for one item and a note (tie, skipped, invalid votes) when there is one."""
    counted = [v for v in votes if v.state in ("accepted", "corrected", "rejected")]
    notes = [f"invalid annotation by {v.reviewer}: {v.detail}" for v in votes if v.state == "invalid"]
    if not counted:
        skipped = [v.reviewer for v in votes if v.state == "skipped"]
        state = "skipped" if skipped else "pending"
        if skipped:
            notes.append("skipped by " + ", ".join(skipped))
        return ReviewDecision(item_id=item.id, state=state, reviewers=skipped), "; ".join(notes) or None
    if len(counted) < min_annotators:
        notes.append(f"{len(counted)} of {min_annotators} annotations so far")
        return ReviewDecision(item_id=item.id, state="pending"), "; ".join(notes)
    tally = Counter(v.key for v in counted)
    (top, n_top), *rest = tally.most_common()
    if rest and rest[0][1] == n_top:
        split = ", ".join(f"{n} x {'reject' if k == 'rejected' else k[7:]}" for k, n in tally.most_common())
        notes.append(f"tie between annotators: {split}")
        return ReviewDecision(item_id=item.id, state="pending", reviewers=[v.reviewer for v in counted]), "; ".join(notes)
    winners = [v for v in counted if v.key == top]
    state = winners[0].state
    answer = winners[0].answer if state == "corrected" else None
    return ReviewDecision(item_id=item.id, state=state, answer=answer,
                          reviewers=sorted({v.reviewer for v in winners})), "; ".join(notes) or None
