"""Vote aggregation for crowd-style labelling: majority per item and Fleiss' kappa per run.

Voters are treated like workers in a crowd: each item gets one vote per voter (a label, or None
when the voter failed). The kept label needs a strict majority of all voters, so a failed vote
counts against agreement instead of silently shrinking the electorate.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Hashable, Iterable, Sequence

import numpy as np


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
    """Fleiss' kappa from an items x categories count table (every row sums to the same n >= 2),
    by statsmodels (statsmodels.stats.inter_rater.fleiss_kappa).

    Returns None when kappa is undefined: no items, or every rating in one category (chance
    agreement is then 1 and the formula divides by zero; statsmodels returns NaN there).
    """
    rows = [list(r) for r in table]
    if not rows:
        return None
    n = sum(rows[0])
    if n < 2 or any(sum(r) != n for r in rows):
        raise ValueError("every item needs the same number (>= 2) of ratings")
    counts = np.asarray(rows, dtype=np.int64)
    if (counts.sum(axis=0) == counts.sum()).any():
        return None
    from statsmodels.stats.inter_rater import fleiss_kappa as _fleiss

    return float(_fleiss(counts, method="fleiss"))


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


#: Provenance rule of a label the quality-weighted vote decided (a split the plain vote left open).
WEIGHTED_RULE = "label:quality-weighted-vote"


def quality_weights(accuracy: dict[str, float], n_classes: int) -> dict[str, float]:
    """Vote weights from each voter's accuracy measured on people's labels: the log-odds
    log((K-1) p / (1-p)), the optimal weights of a vote among independent voters whose errors
    spread over the other K-1 classes (Nitzan & Paroush's rule, in its K-class form). A voter at
    chance (p = 1/K) weighs nothing; a worse one is clipped to nothing rather than counted
    against the label it names."""
    out = {}
    for name, p in accuracy.items():
        p = min(max(float(p), 1e-3), 1 - 1e-3)   # a guard against log(0), not a tuned value
        out[name] = max(0.0, math.log((n_classes - 1) * p / (1 - p)))
    return out


def weighted_vote(votes: Sequence[tuple[str, Hashable | None]], weights: dict[str, float]) -> Aggregate:
    """One item's votes ((voter, label) pairs) weighed by `weights`. The label with the largest
    total weight wins when it is strictly ahead (`majority` True: the split is decided); an exact
    tie of weights (equal measured quality, or no weight at all) stays undecided, as in `majority`.
    `agreement` is the winner's share of the weight of all voters, failed ones included."""
    valid = [(n, v) for n, v in votes if v is not None]
    if not valid:
        return Aggregate(None, {}, 0.0, False, len(votes), f"no valid vote ({len(votes)} failed)")
    totals: dict[Hashable, float] = {}
    for name, value in valid:
        totals[value] = totals.get(value, 0.0) + weights.get(name, 0.0)
    ranked = sorted(totals, key=lambda lab: -totals[lab])
    decided = len(ranked) == 1 or totals[ranked[0]] - totals[ranked[1]] > 1e-9
    weight_all = sum(weights.get(n, 0.0) for n, _ in votes)
    share = totals[ranked[0]] / weight_all if weight_all > 0 else 0.0
    note = None if decided else ("no weighted winner among " + ", ".join(f"{lab}={totals[lab]:.2f}" for lab in ranked))
    return Aggregate(ranked[0], dict(Counter(v for _, v in valid)), round(share, 6), decided, len(votes) - len(valid), note)
