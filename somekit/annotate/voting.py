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


def majority(values: Sequence[Hashable | None], order: Sequence[Hashable] | None = None,
             trust: Sequence[int] | None = None) -> Aggregate:
    """Aggregate one item's votes.

    A label is kept when more than half of *all* votes (failed ones included) name it. Without a
    majority the item still gets a suggested label for the reviewer, but it is marked for review
    and must never count as a labelled item before a person decides. The suggestion is the
    plurality; among tied pluralities, the vote of the most trusted voter (`trust`: voter indexes,
    most trusted first, e.g. the one with the best measured accuracy), then `order`, then first
    appearance. Class order alone used to decide a three-way tie, which filled `positive`.
    """
    total = len(values)
    valid = [v for v in values if v is not None]
    failed = total - len(valid)
    counts = Counter(valid)
    if not counts:
        return Aggregate(None, {}, 0.0, False, failed, f"no valid vote ({failed} failed)")
    rank = {lab: i for i, lab in enumerate(order or ())}
    first_seen = {lab: i for i, lab in reversed(list(enumerate(valid)))}
    trusted: dict[Hashable, int] = {}
    for pos, voter in enumerate(trust or ()):
        if 0 <= voter < total and values[voter] is not None:
            trusted.setdefault(values[voter], pos)
    best = sorted(counts, key=lambda lab: (-counts[lab], trusted.get(lab, total + 1),
                                           rank.get(lab, len(rank)), first_seen[lab]))
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


def per_class_agreement(vote_lists: Iterable[Sequence[Hashable | None]], categories: Sequence[Hashable]) -> dict[str, Any]:
    """Agreement per class over items whose votes are all valid (same raters per item).

    - `kappa`: Fleiss' category-wise kappa (how much better than chance the raters agree on
      using this class; None when nobody used it or everybody always did);
    - `agreement`: among the votes for this class, the share whose fellow raters on that item
      voted the same (specific agreement: 1.0 means the class is only ever used unanimously);
    - `votes`: how many votes named the class.
    """
    index = {c: i for i, c in enumerate(categories)}
    rows = [[sum(1 for v in votes if v == c) for c in categories] for votes in vote_lists
            if len(votes) >= 2 and all(v is not None and v in index for v in votes)]
    rows = [r for r in rows if sum(r) == sum(rows[0])] if rows else []
    out: dict[str, Any] = {}
    if not rows:
        return {str(c): {"kappa": None, "agreement": None, "votes": 0} for c in categories}
    n = sum(rows[0])
    n_items = len(rows)
    for j, c in enumerate(categories):
        votes = sum(r[j] for r in rows)
        p = votes / (n_items * n)
        pairs = sum(r[j] * (r[j] - 1) for r in rows)
        kappa = None
        if 0 < p < 1:
            disagree = sum(r[j] * (n - r[j]) for r in rows)
            kappa = round(1 - disagree / (n_items * n * (n - 1) * p * (1 - p)), 6)
        agreement = round(pairs / (votes * (n - 1)), 6) if votes else None
        out[str(c)] = {"kappa": kappa, "agreement": agreement, "votes": votes}
    return out
