"""Events: posts grouped by near-duplicate text (MinHash LSH over character n-grams).

Weibo holds many copies of one post: the same rumour with 【】 added, a sentence trimmed, a link
or an emoji appended, spaces or zero-width characters pasted in. Exact text identity counts them
as different events, so copies of one rumour land in different splits and a corpus with many
copies is over-counted. Here two posts are one event when the Jaccard similarity of the
character n-gram sets of their content keys (textnorm.normalise) reaches `threshold`; events are
the connected components of that relation (so A~B and B~C make one event even if A and C differ
more). An event's id is the smallest post id in it. Where a builder only needs to know whether a
given text is a near-copy of a few others (MCR's negative against the user's posts, UCS's
negative comment against the user's comments), it applies the same relation pairwise
(`near_copy`): clustering every post of a 1M-post corpus with MinHash costs minutes, the pairs
it needs cost milliseconds.

MinHash LSH (datasketch) only proposes candidate pairs, tuned for recall (its banding is chosen
for a lower threshold than the one applied); every candidate is then confirmed with the exact
Jaccard of the two shingle sets. So the relation is exact, and the only approximation left is a
true pair LSH never proposes (vanishingly rare below the recall threshold; verify recomputes
events exactly, all pairs, its own way, and fails on any disagreement).

Defaults (documented in bench/events.py, measured on the shared CED data): 5-character shingles,
threshold 0.5 (Broder et al., "Syntactic clustering of the Web", 1997: resemblance of at least
50% as "roughly the same"; Lee et al. 2022 dedup with 5-gram MinHash at 0.8 for documents much
longer than a Weibo post, where a trimmed sentence costs less of the set).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from ..textnorm import normalise, shingles

DEFAULT_THRESHOLD = 0.5
DEFAULT_SHINGLE = 5
#: MinHash permutations: 128 keeps the estimator's standard error near 0.04 at J = 0.5.
NUM_PERM = 128
#: LSH banding is tuned for this much below the applied threshold, so true pairs are proposed.
RECALL_SLACK = 0.2


@lru_cache(maxsize=1 << 18)
def shingle_set(text: str | None, shingle: int) -> frozenset[str]:
    return frozenset(shingles(normalise(text), shingle))


def near_copy(a: str | None, b: str | None, threshold: float = DEFAULT_THRESHOLD, shingle: int = DEFAULT_SHINGLE) -> bool:
    """The event relation between two texts, pairwise: their n-gram sets reach `threshold`
    Jaccard. Texts without words are no near-copy of anything here (callers decide what two
    empty texts mean). Used where a builder compares a few known pairs (a negative against the
    user's own posts or comments), which costs far less than clustering a whole corpus."""
    sa, sb = shingle_set(a, shingle), shingle_set(b, shingle)
    return bool(sa) and bool(sb) and jaccard(sa, sb) >= threshold


def jaccard(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


class _Components:
    """Union-find whose root is always the smallest id (the event id)."""

    def __init__(self, ids: Iterable[str]):
        self.parent = {i: i for i in ids}

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def near_duplicate_events(texts: dict[str, str | None], threshold: float = DEFAULT_THRESHOLD,
                          shingle: int = DEFAULT_SHINGLE) -> dict[str, str]:
    """post id -> event id (smallest post id of its component). Posts whose content key is empty
    (no words: a bare link, only emoji) are events of their own: nothing says they are copies."""
    from datasketch import MinHash, MinHashLSH

    if not 0 < threshold <= 1:
        raise ValueError(f"event threshold must be in (0, 1], got {threshold}")
    comp = _Components(texts)
    # Identical keys are one event without any sketching (most copies are exact after normalising).
    by_key: dict[str, list[str]] = {}
    for pid in sorted(texts):
        key = normalise(texts[pid])
        if key:
            by_key.setdefault(key, []).append(pid)
    for members in by_key.values():
        for other in members[1:]:
            comp.union(members[0], other)
    if threshold >= 1:  # identical content keys only: the exact-text rule, no sketching
        return {pid: comp.find(pid) for pid in texts}
    keys = sorted(by_key)
    sets = [shingles(k, shingle) for k in keys]
    sketches = MinHash.bulk([[s.encode("utf-8") for s in sorted(ss)] for ss in sets], num_perm=NUM_PERM, seed=1)
    lsh = MinHashLSH(threshold=max(0.05, threshold - RECALL_SLACK), num_perm=NUM_PERM)
    for k, sketch in enumerate(sketches):
        lsh.insert(k, sketch, check_duplication=False)
    for k, sketch in enumerate(sketches):
        for other in lsh.query(sketch):
            if other > k and jaccard(sets[k], sets[other]) >= threshold:
                comp.union(by_key[keys[k]][0], by_key[keys[other]][0])
    return {pid: comp.find(pid) for pid in texts}
