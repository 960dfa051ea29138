"""95% intervals for the reported scores (deterministic: no resampling)."""

from __future__ import annotations

import math
from typing import Sequence

Z95 = 1.959964


def wilson(successes: int, n: int) -> list[float]:
    """Wilson score interval of a proportion, x 100 (accuracy, TCR)."""
    if n <= 0:
        return [0.0, 0.0]
    p = successes / n
    denom = 1 + Z95 ** 2 / n
    centre = (p + Z95 ** 2 / (2 * n)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n)) / denom
    return [round(100 * max(0.0, centre - half), 4), round(100 * min(1.0, centre + half), 4)]


def mean_interval(values: Sequence[float], low: float = 0.0, high: float = 100.0) -> list[float]:
    """Normal-approximation interval of a mean (judge scores on 0-100), clipped to the scale."""
    n = len(values)
    if n == 0:
        return [0.0, 0.0]
    mean = sum(values) / n
    if n == 1:
        return [round(mean, 4), round(mean, 4)]
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = Z95 * sd / math.sqrt(n)
    return [round(max(low, mean - half), 4), round(min(high, mean + half), 4)]
