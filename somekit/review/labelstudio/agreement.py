"""Agreement between annotators on items that two or more people decided.

Outcomes are compared whole (reject, or the exact answer), which is what decides an item.
Fleiss' kappa is computed in its form for a varying number of raters per item.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable


def agreement(outcomes_per_item: Iterable[list[str]]) -> dict[str, float | int | None]:
    """{"items": n items with >= 2 votes, "pairwise": observed share of agreeing pairs,
    "fleiss_kappa": chance-corrected agreement (None when undefined)}."""
    rows = [Counter(o) for o in outcomes_per_item if len(o) >= 2]
    if not rows:
        return {"items": 0, "pairwise": None, "fleiss_kappa": None}
    p_items = []
    totals: Counter = Counter()
    for row in rows:
        n = sum(row.values())
        p_items.append(sum(c * (c - 1) for c in row.values()) / (n * (n - 1)))
        totals.update(row)
    p_bar = sum(p_items) / len(p_items)
    grand = sum(totals.values())
    p_e = sum((c / grand) ** 2 for c in totals.values())
    kappa = None if p_e >= 1.0 else (p_bar - p_e) / (1.0 - p_e)
    return {"items": len(rows), "pairwise": round(p_bar, 4), "fleiss_kappa": None if kappa is None else round(kappa, 4)}
