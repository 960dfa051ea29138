"""Clustering posts by embedding for event detection.

`single_pass` is what SoMe describes: visit posts in time order, join the most similar existing
cluster when its centroid is at least `threshold` cosine-similar, else open a new cluster.
`agglomerative` is the stronger option (scikit-learn, average linkage on cosine distance), which
does not depend on the visiting order.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

METHODS: dict[str, Callable[..., list[int]]] = {}


def _register(name: str) -> Callable:
    def deco(func: Callable[..., list[int]]) -> Callable[..., list[int]]:
        METHODS[name] = func
        return func

    return deco


@_register("single-pass")
def single_pass(vectors: np.ndarray, threshold: float = 0.5) -> list[int]:
    """Cluster label per row (rows must be L2-normalised and in visiting order)."""
    labels: list[int] = []
    sums: list[np.ndarray] = []
    for vec in np.asarray(vectors, dtype=np.float32):
        best, best_sim = -1, -2.0
        if sums:
            cents = np.stack(sums)
            cents = cents / np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-12)
            sims = cents @ vec
            best = int(np.argmax(sims))
            best_sim = float(sims[best])
        if best >= 0 and best_sim >= threshold:
            sums[best] = sums[best] + vec
            labels.append(best)
        else:
            sums.append(vec.copy())
            labels.append(len(sums) - 1)
    return labels


@_register("agglomerative")
def agglomerative(vectors: np.ndarray, threshold: float = 0.5) -> list[int]:
    """Average-linkage clustering cut where mean pairwise similarity falls below `threshold`."""
    from sklearn.cluster import AgglomerativeClustering

    vectors = np.asarray(vectors, dtype=np.float32)
    if len(vectors) < 2:
        return [0] * len(vectors)
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                    distance_threshold=1.0 - threshold)
    raw = model.fit_predict(vectors)
    # Renumber by first appearance so labels are stable across sklearn versions.
    order: dict[int, int] = {}
    return [order.setdefault(int(r), len(order)) for r in raw]


def cluster(vectors: np.ndarray, method: str = "single-pass", threshold: float = 0.5) -> list[int]:
    if method not in METHODS:
        raise ValueError(f"unknown clustering method {method!r}; choose from {', '.join(METHODS)}")
    return METHODS[method](vectors, threshold=threshold)


def groups(labels: list[int]) -> list[list[int]]:
    """Row indices per cluster, clusters ordered by their first row."""
    out: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        out.setdefault(lab, []).append(i)
    return list(out.values())
