"""Items shown in the report: a few per label and task, picked reproducibly.

The pick is by a hash of the item id (not the file order, which sorts by id and would always show
the same corner of the id space), so it is stable across runs and spread over the items.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..publish.facts import ReleaseFacts, item_labels
from ..schemas.items import ItemBase

PER_LABEL = 5
#: Free-text tasks have no label: this many items are shown for them.
FREE_TEXT = 5


def _order(item: ItemBase) -> str:
    return hashlib.sha256(item.id.encode()).hexdigest()


def pick(facts: ReleaseFacts, per_label: int = PER_LABEL) -> dict[str, dict[str, list[tuple[str, ItemBase]]]]:
    """task -> label (or "items") -> [(split, item)], at most `per_label` each."""
    out: dict[str, dict[str, list[tuple[str, ItemBase]]]] = {}
    for task, f in facts.tasks.items():
        pool = sorted(((split, i) for split, items in f.splits.items() for i in items), key=lambda si: _order(si[1]))
        groups: dict[str, list[tuple[str, ItemBase]]] = {}
        for split, item in pool:
            for label in item_labels(item)[:1] or ["items"]:
                bucket = groups.setdefault(label, [])
                if len(bucket) < (per_label if label != "items" else FREE_TEXT):
                    bucket.append((split, item))
        out[task] = dict(sorted(groups.items()))
    return out


def provenance_rows(item: ItemBase) -> list[tuple[str, Any]]:
    """The provenance as (key, value) rows, LLM steps and their votes unfolded."""
    p = item.provenance
    rows: list[tuple[str, Any]] = [("rule", p.rule), ("builder", p.builder), ("seed", p.seed),
                                   ("source ids", ", ".join(p.source_ids) or "-")]
    for n, step in enumerate(p.llm, 1):
        rows.append((f"step {n}", f"{step.step} by {step.model} ({step.backend})"
                     + (f", prompt {step.prompt_id}" if step.prompt_id else "")
                     + (f", agreement {step.agreement:.2f}" if step.agreement is not None else "")))
        for vote in step.votes:
            rows.append((f"  vote {vote.voter}", f"{vote.value!r}" + (f" (error: {vote.error})" if vote.error else "")
                         + (f" raw: {vote.raw[:300]}" if vote.raw else "")))
    for key, value in sorted(p.notes.items()):
        rows.append((f"note {key}", value))
    review = item.review
    rows.append(("review", f"{review.state}" + (f" by {', '.join(review.reviewers)}" if review.reviewers else "")
                 + (f" ({review.note})" if review.note else "")))
    return rows
