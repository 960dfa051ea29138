"""After the votes: rebalancing to target class counts and the quality gates.

The gates exist because an LLM (or an embedding voter) writes the ground truth here: a run with
low agreement, one class swallowing the labels or many failed drafts must say so plainly, in the
stats and on the command's output, instead of producing a dataset that looks fine.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from typing import Any, Callable, Hashable, Sequence, TypeVar

T = TypeVar("T")

#: SoMe's released UEA class counts (2,696 items); the default target proportions.
SOME_UEA_TARGETS: dict[str, int] = {
    "positive": 800, "angry": 184, "sad": 550, "surprise": 337, "fear": 25, "emotionless": 800,
}

KAPPA_MIN = 0.4
DOMINANT_MAX = 0.8
DRAFT_FAIL_MAX = 0.3
UNRELIABLE = "labels are unreliable and must not be published unreviewed"


def scale_targets(targets: dict[str, int], total: int | None) -> dict[str, int]:
    """Scale target counts to a new total keeping proportions (each class keeps at least 1).

    Largest-remainder rounding so the scaled counts sum exactly to `total`.
    """
    if total is None:
        return dict(targets)
    base = sum(targets.values())
    if base <= 0:
        raise ValueError("targets must have a positive total")
    exact = {k: total * v / base for k, v in targets.items()}
    out = {k: max(1, math.floor(x)) for k, x in exact.items()}
    rest = total - sum(out.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - math.floor(exact[k])), k)):
        if rest <= 0:
            break
        out[k] += 1
        rest -= 1
    return out


def rebalance(candidates: Sequence[T], label_of: Callable[[T], Hashable], targets: dict[str, int],
              seed: int, prefer: Callable[[T], bool] | None = None) -> tuple[list[T], dict[str, int]]:
    """Pick up to targets[label] candidates per label, reproducibly for a seed.

    Candidates for which `prefer` is true (e.g. majority-voted ones) are taken before the others,
    so review-needing ties only fill a class that would otherwise fall short. Returns the picks (in
    candidate order) and the shortfall per class.
    """
    rng = random.Random(seed)
    by_label: dict[Hashable, list[int]] = {}
    for i, c in enumerate(candidates):
        by_label.setdefault(label_of(c), []).append(i)
    chosen: list[int] = []
    shortfalls: dict[str, int] = {}
    for label in sorted(targets):
        pool = by_label.get(label, [])
        rng.shuffle(pool)
        if prefer is not None:
            pool.sort(key=lambda i: 0 if prefer(candidates[i]) else 1)  # stable: shuffle kept within groups
        want = targets[label]
        chosen.extend(pool[:want])
        if len(pool) < want:
            shortfalls[str(label)] = want - len(pool)
    return [candidates[i] for i in sorted(chosen)], shortfalls


def label_gates(counts: dict[str, int], kappa: float | None, kappa_min: float = KAPPA_MIN,
                dominant_max: float = DOMINANT_MAX) -> list[str]:
    """Reasons the raw (pre-rebalancing) labels are unreliable; empty when none."""
    reasons: list[str] = []
    total = sum(counts.values())
    if kappa is None:
        reasons.append("agreement could not be measured (Fleiss' kappa undefined)")
    elif kappa < kappa_min:
        reasons.append(f"low agreement: Fleiss' kappa {kappa:.2f} < {kappa_min}")
    if total:
        label, top = Counter(counts).most_common(1)[0]
        if top / total > dominant_max:
            reasons.append(f"one class dominates: {label} takes {top / total:.0%} of labels (> {dominant_max:.0%})")
    return reasons


def draft_gates(total: int, failed: int, fail_max: float = DRAFT_FAIL_MAX, what: str = "drafts") -> list[str]:
    """Reasons LLM drafts are unreliable: too large a share failed validation or their checks."""
    if total and failed / total > fail_max:
        return [f"{failed} of {total} {what} ({failed / total:.0%}) failed their checks (> {fail_max:.0%})"]
    if total == 0:
        return [f"no {what} were produced"]
    return []


def quality_block(reasons: list[str]) -> dict[str, Any]:
    """The `quality` entry of stats.json; `reliable` False always comes with a plain message."""
    if not reasons:
        return {"reliable": True, "reasons": [], "message": "quality gates passed (human review still required)"}
    return {"reliable": False, "reasons": reasons, "message": f"{UNRELIABLE}: " + "; ".join(reasons)}
