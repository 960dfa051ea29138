"""mid-zh's matched design: which rumour pairs with which non-rumour, and the balance it reaches.

Covariates (what an agent sees of a post besides its words): log(1 + the author's followers),
the author's verified badge, the post time (epoch seconds), log(1 + seconds from the post to its
last visible cascade record). Before matching they describe every eligible event (the delay at
min(cascade size, visible) records); after matching they describe the items as built (the delay
to the item's own cut-off). The balance table (standardised mean differences) and the best
one-threshold rule per covariate, before and after, go to stats.json and the card.
"""

from __future__ import annotations

import calendar
import math
import time
from typing import Any, Sequence

import numpy as np

from ..matching import balance_table, caliper_match, stump_accuracy, trim_to_balance

COVARIATES = ("followers", "verified", "post_time", "delay")
#: Column of each covariate in a candidate row (mid_zh._candidates); column 12 holds the epoch
#: times of the post's first `visible` cascade records.
_COLUMN = {"followers": 8, "verified": 9, "post_time": 10, "delay": 11}
_LABEL = 7


def _matrix(rows: Sequence[tuple], names: Sequence[str]) -> np.ndarray:
    return np.array([[float(r[_COLUMN[n]]) for n in names] for r in rows], dtype=float).reshape(len(rows), len(names))


def _audit(rumours: np.ndarray, others: np.ndarray) -> dict[str, float]:
    """Best one-threshold accuracy per covariate, in-sample (verify recomputes its own)."""
    out = {}
    for j, name in enumerate(COVARIATES):
        pairs = [(float(x), 1) for x in rumours[:, j]] + [(float(x), 0) for x in others[:, j]]
        out[name] = round(stump_accuracy(pairs), 4)
    return out


def _as_shown(a: tuple, b: tuple, visible: int) -> tuple[list[float], list[float]]:
    """Covariates of both members of a pair as their items show them: the delay is read at the
    pair's common number of records, k = min(both cascade sizes, visible)."""
    k = min(a[4], b[4], visible)
    out = []
    for row in (a, b):
        delay = row[12][k - 1] - row[10] if k > 0 else 0.0
        out.append([float(row[8]), float(row[9]), float(row[10]), math.log1p(max(0.0, delay))])
    return out[0], out[1]


def match_pairs(rows: list[tuple], match: list[str], calipers: Any, n: int, visible: int,
                max_smd: float) -> tuple[list[tuple[tuple, tuple]], dict]:
    """(rumour row, non-rumour row) pairs, at most n, in the rumours' seeded order: matched on the
    `match` covariates within `calipers` (a dict or model of SD units), then trimmed until every
    covariate's standardised mean difference, as the items show it, is within `max_smd`; or,
    with match = [], the i-th rumour with the i-th non-rumour. Returns the pairs and the
    before-matching figures."""
    rumours = [r for r in rows if r[_LABEL] == "rumor"]
    others = [r for r in rows if r[_LABEL] == "non-rumor"]
    caliper = calipers if isinstance(calipers, dict) else calipers.model_dump()
    if match:
        found = caliper_match(_matrix(rumours, match), _matrix(others, match), [caliper[m] for m in match])
        pairs = [(rumours[i], others[j]) for i, j in found]
        shown = [_as_shown(a, b, visible) for a, b in pairs]
        kept = trim_to_balance(np.array([t for t, _ in shown]).reshape(-1, 4),
                               np.array([c for _, c in shown]).reshape(-1, 4),
                               max_smd * 0.95)  # a margin: verify recomputes these in SQL
        trimmed = len(pairs) - len(kept)
        pairs = [pairs[k] for k in kept]
    else:
        pairs = list(zip(rumours, others))
    if not match:
        trimmed = 0
    possible = min(len(rumours), len(others))
    unmatched = list(zip(rumours, others))  # the design without matching, for the audit before
    before = {
        "design": "matched" if match else "unmatched", "match": list(match),
        "calipers": {m: caliper[m] for m in match},
        "events": {"rumor": len(rumours), "non-rumor": len(others)},
        "pairs_possible": possible, "pairs_matched": len(pairs), "pairs_lost": possible - len(pairs),
        "pairs_trimmed_for_balance": trimmed, "max_smd": max_smd,
        "smd_before": balance_table(COVARIATES, _matrix(rumours, COVARIATES), _matrix(others, COVARIATES)),
        "audit_before": _audit(_matrix([a for a, _ in unmatched], COVARIATES), _matrix([b for _, b in unmatched], COVARIATES)),
    }
    return pairs[:n], before


def _epoch(text: str) -> float:
    return float(calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M:%S")))


def item_balance(items: list[Any], rows_by_post: dict[str, tuple]) -> dict[str, Any]:
    """Balance table and audit of the built items, the delay read to each item's own cut-off."""
    by_label: dict[str, list[list[float]]] = {"rumor": [], "non-rumor": []}
    for item in items:
        row = rows_by_post[item.inputs.post_id]
        delay = max(0.0, _epoch(item.inputs.cutoff) - _epoch(row[6]))
        by_label[item.answer.label].append([float(row[8]), float(row[9]), float(row[10]), math.log1p(delay)])
    rum = np.array(by_label["rumor"], dtype=float).reshape(-1, len(COVARIATES))
    non = np.array(by_label["non-rumor"], dtype=float).reshape(-1, len(COVARIATES))
    return {"smd_after": balance_table(COVARIATES, rum, non), "audit_after": _audit(rum, non)}
