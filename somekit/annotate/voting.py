"""Vote aggregation for crowd-style labelling: majority per item and Fleiss' kappa per run.

Voters are treated like workers in a crowd: each item gets one vote per voter (a label, or None
when the voter failed). The kept label needs a strict majority of all voters, so a failed vote
counts against agreement instead of silently shrinking the electorate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Hashable, Iterable, Sequence


@dataclass
class Aggregate:
    """Outcome of one item's votes."""

    label: Any | None                 # majority label, or the plurality pick when there is none
    counts: dict[Any, int] = field(default_factory=dict)
    agreement: float = 0.0            # share of all voters that voted for `label`
    majority: bool = False            # True when more than half of the voters agree
    failed: int = 0                   # votes that produced no label
    note: str | None = None           # why the item needs review, when it does

    @property
    def needs_review(self) -> bool:
        return not self.majority


def majority(values: Sequence[Hashable | None], order: Sequence[Hashable] | None = None) -> Aggregate:
    """Aggregate one item's votes.

    A label is kept when more than half of *all* votes (failed ones included) name it. Without a
    majority the item still gets a label (the plurality, ties broken by `order` and then by first
    appearance) so a reviewer sees a suggestion, but it is marked for review.
    """
    total = len(values)
    valid = [v for v in values if v is not None]
    failed = total - len(valid)
    counts = Counter(valid)
    if not counts:
        return Aggregate(None, {}, 0.0, False, failed, f"no valid vote ({failed} failed)")
    rank = {lab: i for i, lab in enumerate(order or ())}
    first_seen = {lab: i for i, lab in reversed(list(enumerate(valid)))}
    best = sorted(counts, key=lambda lab: (-counts[lab], rank.get(lab, len(rank)), first_seen[lab]))
    label = best[0]
    top = counts[label]
    is_majority = top * 2 > total
    note = None
    if not is_majority:
        spread = ", ".join(f"{lab}={counts[lab]}" for lab in best)
        note = f"no majority among {total} votes ({spread}{f', failed={failed}' if failed else ''})"
    return Aggregate(label, dict(counts), top / total if total else 0.0, is_majority, failed, note)


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa from an items x categories count table (every row sums to the same n >= 2).

    Returns None when kappa is undefined: no items, or every rating in one category (chance
    agreement is then 1 and the formula divides by zero).
    """
    rows = [list(r) for r in table]
    if not rows:
        return None
    n = sum(rows[0])
    if n < 2 or any(sum(r) != n for r in rows):
        raise ValueError("every item needs the same number (>= 2) of ratings")
    n_items = len(rows)
    k = len(rows[0])
    p_item = [(sum(c * c for c in r) - n) / (n * (n - 1)) for r in rows]
    p_bar = sum(p_item) / n_items
    p_cat = [sum(r[j] for r in rows) / (n_items * n) for j in range(k)]
    p_e = sum(p * p for p in p_cat)
    if p_e >= 1.0:
        return None
    return (p_bar - p_e) / (1 - p_e)


def kappa_from_votes(vote_lists: Iterable[Sequence[Hashable | None]], categories: Sequence[Hashable]) -> dict[str, Any]:
    """Fleiss' kappa over items whose votes are all valid, plus how many items were left out.

    Items with a failed vote are left out of kappa (Fleiss needs equal raters per item) and
    counted, so a run where many votes failed cannot report a flattering kappa unnoticed.
    """
    index = {c: i for i, c in enumerate(categories)}
    table: list[list[int]] = []
    skipped = 0
    raters: int | None = None
    for votes in vote_lists:
        if any(v is None or v not in index for v in votes) or len(votes) < 2:
            skipped += 1
            continue
        if raters is None:
            raters = len(votes)
        if len(votes) != raters:
            skipped += 1
            continue
        row = [0] * len(categories)
        for v in votes:
            row[index[v]] += 1
        table.append(row)
    kappa = fleiss_kappa(table) if table else None
    return {"fleiss_kappa": None if kappa is None else round(kappa, 6), "kappa_items": len(table),
            "kappa_skipped": skipped, "raters": raters}
