"""Matched pairs: nearest-neighbour matching with calipers, and the balance table.

Used by mid-zh, whose two labels come from differently collected sources (CED's rumours and
non-rumours: different years, different accounts), so what an agent sees around a post (the
author's followers and badge, the post time, how fast the cascade grew) predicts the label by
itself. Each treated unit (a rumour) in seeded order takes the nearest unused control (a
non-rumour) whose every covariate lies within its caliper; a treated unit with none is lost and
counted. Distances and calipers are in units of the covariate's pooled standard deviation before
matching (the scale of the standardised mean difference), so one caliper reads the same for
followers and for seconds. A caliper of 0 asks for an exact match (a binary badge). Default
caliper 0.2 SD: Austin (2011), Pharmaceutical Statistics 10(2), found 0.2 SD of the matching
score removes most bias at little cost in variance; balance is then checked, not assumed, by the
standardised mean difference, whose usual bound for "balanced" is 0.1 (Austin 2009; verify
enforces it).
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np


def pooled_sd(treated: np.ndarray, control: np.ndarray) -> float:
    vt = float(np.var(treated, ddof=1)) if len(treated) > 1 else 0.0
    vc = float(np.var(control, ddof=1)) if len(control) > 1 else 0.0
    return math.sqrt((vt + vc) / 2)


def smd(treated: Sequence[float], control: Sequence[float]) -> float:
    """Standardised mean difference (mean_t - mean_c) / pooled SD; 0 when both sides are constant
    and equal, inf when constant and different."""
    t, c = np.asarray(treated, dtype=float), np.asarray(control, dtype=float)
    if len(t) == 0 or len(c) == 0:
        return 0.0
    diff = float(t.mean() - c.mean())
    sd = pooled_sd(t, c)
    if sd == 0:
        return 0.0 if diff == 0 else math.inf
    return diff / sd


def balance_table(names: Sequence[str], treated: np.ndarray, control: np.ndarray) -> dict[str, float]:
    """covariate -> SMD, for (units x covariates) arrays of the two groups."""
    return {name: round(smd(treated[:, j], control[:, j]), 4) for j, name in enumerate(names)}


def caliper_match(treated: np.ndarray, control: np.ndarray, calipers: Sequence[float]) -> list[tuple[int, int]]:
    """Greedy 1:1 nearest-neighbour matching without replacement, treated units in the given order.

    (treated index, control index) pairs; distance is Euclidean over covariates divided by their
    pooled SD; a pair is allowed only when |difference| <= caliper * SD on every covariate (exact
    when the caliper is 0 or the SD is 0)."""
    if len(treated) == 0 or len(control) == 0:
        return []
    k = treated.shape[1]
    sd = np.array([pooled_sd(treated[:, j], control[:, j]) for j in range(k)])
    scale = np.where(sd > 0, sd, 1.0)
    t, c = treated / scale, control / scale
    limit = np.where(sd > 0, np.asarray(calipers, dtype=float), 0.0) + 1e-12
    free = np.ones(len(c), dtype=bool)
    pairs = []
    for i in range(len(t)):
        gap = np.abs(c - t[i])
        ok = free & np.all(gap <= limit, axis=1)
        if not ok.any():
            continue
        dist = np.where(ok, np.sqrt((gap ** 2).sum(axis=1)), np.inf)
        j = int(np.argmin(dist))
        free[j] = False
        pairs.append((i, j))
    return pairs


def trim_to_balance(treated: np.ndarray, control: np.ndarray, max_smd: float) -> list[int]:
    """Indices of the matched pairs (row k of `treated` with row k of `control`) kept once pairs
    are dropped, one at a time, each time the one whose removal most lowers the largest |SMD|,
    until every covariate's |SMD| is at most `max_smd`: a greedy form of cardinality matching
    (Zubizarreta, Paredes and Rosenbaum 2014: the largest matched sample that meets the balance
    bounds). Calipers bound each pair; this bounds the sample's means."""
    def worst(idx: np.ndarray) -> float:
        return max((abs(smd(treated[idx, j], control[idx, j])) for j in range(treated.shape[1])), default=0.0)

    keep = np.arange(len(treated))
    while len(keep) > 1 and worst(keep) > max_smd:
        keep = np.delete(keep, int(np.argmin(_worst_without(treated[keep], control[keep]))))
    if len(keep) == 1 and worst(keep) > max_smd:
        keep = keep[:0]
    return [int(k) for k in keep]


def _worst_without(t: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Per pair k: the largest |SMD| over covariates once pair k is dropped (closed form from sums)."""
    m = len(t) - 1
    st, sc = t.sum(0) - t, c.sum(0) - c
    qt, qc = (t ** 2).sum(0) - t ** 2, (c ** 2).sum(0) - c ** 2
    mt, mc = st / m, sc / m
    vt = np.maximum(qt - m * mt ** 2, 0) / max(m - 1, 1)
    vc = np.maximum(qc - m * mc ** 2, 0) / max(m - 1, 1)
    sd = np.sqrt((vt + vc) / 2)
    diff = np.abs(mt - mc)
    out = np.where(sd > 0, diff / np.where(sd > 0, sd, 1), np.where(diff > 0, np.inf, 0.0))
    return out.max(axis=1)


def stump_accuracy(pairs: list[tuple[float, int]]) -> float:
    """Accuracy of the best one-threshold rule on (value, 0/1 label) pairs, in-sample, either
    direction, thresholds only between distinct values: the audit figure of a balance table."""
    if not pairs:
        return 0.5
    x = np.array([p[0] for p in pairs], dtype=float)
    y = np.array([p[1] for p in pairs], dtype=float)
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    ends = np.append(x[1:] != x[:-1], True)
    below_pos = np.cumsum(y)[ends]
    below = (np.arange(1, len(x) + 1))[ends]
    correct = (below - below_pos) + (y.sum() - below_pos)  # values above the threshold -> label 1
    best = max(float(correct.max()), float((len(x) - correct).max()), float(y.sum()), float(len(x) - y.sum()))
    return best / len(x)
