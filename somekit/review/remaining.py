"""How many wrong labels are left among the items nobody has reviewed, with a 95% interval.

Estimated from the random audit sample, post-stratified by label-quality band (the standard
stratified estimator of a total): the items are cut into bands by score quantiles; in band h with
N_h items, the decided audit items (n_h, of which a_h wrong) estimate the band's error total as
N_h * a_h / n_h. Errors people already found in the band (audit or ranked items) are known, so
the band's remaining errors are that total minus the known ones. This stays unbiased although the
ranking took the lowest-scored items of a band out of it, which estimating the error rate of the
unreviewed rest from the audit items alone would not. A band with nothing left unreviewed adds
zero, exactly. The variance is the textbook one, N_h^2 (1 - n_h/N_h) s_h^2 / n_h, with the error
share smoothed by half an error (so a band whose audit items were all right still has a width).
Bands with fewer than MIN_PER_BAND decided audit items are merged with a neighbour.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

import numpy as np

Z95 = 1.959963984540054
MIN_PER_BAND = 8
MAX_BANDS = 6


def _edges(scores: Sequence[float], bands: int) -> list[float]:
    """Inner cut points of `bands` equal-count bands."""
    if bands <= 1 or not scores:
        return []
    return [float(x) for x in np.quantile(np.asarray(scores), [k / bands for k in range(1, bands)])]


def _band(score: float | None, edges: list[float]) -> int:
    if score is None:
        return -1
    return sum(score > e for e in edges)


def estimate(rows: Iterable[tuple[float | None, bool, bool, bool | None]], bands: int | None = None) -> dict[str, Any]:
    """rows: (score, in_audit, decided, wrong) per item; `wrong` counts only when decided.

    Returns {"estimate", "ci", "unreviewed", "known_wrong", "bands": [...], "method"}; estimate None
    when no audit item is decided yet."""
    rows = list(rows)
    unreviewed = sum(1 for _, _, decided, _ in rows if not decided)
    known = sum(1 for _, _, decided, wrong in rows if decided and wrong)
    audited = [r for r in rows if r[1] and r[2]]
    base = {"unreviewed": unreviewed, "known_wrong": known, "audit_decided": len(audited),
            "method": "audit sample post-stratified by label-quality band (stratified estimator of a total)"}
    if not audited:
        return {**base, "estimate": None, "ci": None, "bands": []}
    scored = [r[0] for r in rows if r[0] is not None]
    if bands is None:
        bands = max(1, min(MAX_BANDS, len(audited) // (2 * MIN_PER_BAND)))
    edges = _edges(scored, bands)
    groups = _merge(rows, edges)
    total, var, out = 0.0, 0.0, []
    for members in groups:
        est, v, info = _band_estimate(members)
        total += est
        var += v
        out.append(info)
    se = math.sqrt(var)
    lo, hi = max(0.0, total - Z95 * se), min(float(unreviewed), total + Z95 * se)
    return {**base, "estimate": round(total, 2), "ci": [round(lo, 2), round(hi, 2)], "se": round(se, 3), "bands": out}


def _merge(rows: list, edges: list[float]) -> list[list]:
    """Items grouped by band (unscored items apart), merging a band with too few decided audit
    items into its neighbour."""
    by: dict[int, list] = {}
    for r in rows:
        by.setdefault(_band(r[0], edges), []).append(r)
    groups = [by[k] for k in sorted(by)]
    merged: list[list] = []
    for g in groups:
        if merged and sum(1 for r in merged[-1] if r[1] and r[2]) < MIN_PER_BAND:
            merged[-1] = merged[-1] + g
        else:
            merged.append(g)
    while len(merged) > 1 and sum(1 for r in merged[-1] if r[1] and r[2]) < MIN_PER_BAND:
        last = merged.pop()
        merged[-1] = merged[-1] + last
    return merged


def _band_estimate(members: list) -> tuple[float, float, dict[str, Any]]:
    n_items = len(members)
    left = sum(1 for r in members if not r[2])
    known = sum(1 for r in members if r[2] and r[3])
    audit = [r for r in members if r[1] and r[2]]
    n = len(audit)
    wrong = sum(1 for r in audit if r[3])
    scores = [r[0] for r in members if r[0] is not None]
    info = {"items": n_items, "unreviewed": left, "audit_decided": n, "audit_wrong": wrong, "known_wrong": known,
            "score_range": [round(min(scores), 4), round(max(scores), 4)] if scores else None}
    if left == 0:
        return 0.0, 0.0, {**info, "estimate": 0.0}
    if n == 0:   # cannot happen after merging unless no audit item is decided at all
        return float(left), 0.0, {**info, "estimate": float(left), "note": "no decided audit item: all counted wrong"}
    est = min(float(left), max(0.0, n_items * wrong / n - known))
    share = (wrong + 0.5) / (n + 1.0)
    s2 = share * (1 - share) * (n / (n - 1) if n > 1 else 1.0)
    var = n_items ** 2 * (1 - n / n_items) * s2 / n
    return est, var, {**info, "estimate": round(est, 2)}
