"""verify's own reading of events (near-duplicate posts), apart from the builder's.

The builder proposes pairs with MinHash LSH (datasketch) and confirms them by exact Jaccard; here
every pair of posts sharing at least one shingle is scored exactly, in DuckDB SQL (an inverted
index: a self-join on the shingle), and events are the connected components from scipy's graph
routine (`exact_pairs` gives the pairs alone, for checks of a negative against a user's own
posts or comments, where the builders apply the relation pairwise). Both sides read text through the one normalisation (somekit/textnorm.py), so they can
only disagree through a clustering bug or a pair LSH missed; either fails verify.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ..textnorm import normalise


def exact_pairs(con, texts: dict[str, str | None], threshold: float, shingle: int) -> set[tuple[str, str]]:
    """Every pair (a, b), a < b, of ids whose texts have exact Jaccard of character
    `shingle`-gram sets >= threshold (texts without words pair with nothing)."""
    ids = sorted(texts)
    return {(ids[a], ids[b]) for a, b in _similar(con, ids, texts, threshold, shingle)}


def exact_events(con, texts: dict[str, str | None], threshold: float, shingle: int) -> dict[str, str]:
    """post id -> event id (smallest post id of its connected component under exact Jaccard of
    character `shingle`-gram sets >= threshold). Empty keys stay alone."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ids = sorted(texts)
    index = {pid: k for k, pid in enumerate(ids)}
    pairs = _similar(con, ids, texts, threshold, shingle)
    rows = np.array([p[0] for p in pairs], dtype=np.int64)
    cols = np.array([p[1] for p in pairs], dtype=np.int64)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ids), len(ids)))
    _, label = connected_components(graph, directed=False)
    first: dict[int, str] = {}
    for pid in ids:  # ids are sorted, so the first member seen is the smallest
        first.setdefault(int(label[index[pid]]), pid)
    return {pid: first[int(label[index[pid]])] for pid in ids}


def _similar(con, ids: list[str], texts: dict[str, str | None], threshold: float, shingle: int) -> list[tuple[int, int]]:
    """Index pairs (into `ids`) at or above the threshold, scored exactly in SQL."""
    con.register("_ev_keys", pa.table({"k": pa.array(range(len(ids)), pa.int64()),
                                       "key": pa.array([normalise(texts[p]) for p in ids], pa.string())}))
    n = int(shingle)
    try:
        pairs = con.execute(f"""
            WITH s AS (
                SELECT DISTINCT k, CASE WHEN length(key) <= {n} THEN key ELSE substr(key, i + 1, {n}) END AS sh
                FROM _ev_keys, LATERAL (SELECT unnest(range(0, greatest(length(key) - {n} + 1, 1))) AS i)
                WHERE key <> ''),
            size AS (SELECT k, count(*) AS c FROM s GROUP BY k),
            shared AS (SELECT a.k AS a, b.k AS b, count(*) AS inter FROM s a JOIN s b ON a.sh = b.sh AND a.k < b.k GROUP BY a.k, b.k)
            SELECT x.a, x.b FROM shared x JOIN size sa ON sa.k = x.a JOIN size sb ON sb.k = x.b
            WHERE x.inter >= {float(threshold)} * (sa.c + sb.c - x.inter)""").fetchall()
    finally:
        con.unregister("_ev_keys")
    return [(int(a), int(b)) for a, b in pairs]
