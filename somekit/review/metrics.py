"""The measured error rate of a task: label accuracy on the audit sample (per task and per class,
with a Wilson 95% interval) and the shares of drafts accepted unchanged, corrected and rejected.

Accuracy counts an audited item as right when a person accepted the machine answer unchanged;
corrected and rejected audit items are errors. The class of an audit item is its machine label
(the sample is stratified by it), so per-class accuracy says how often each machine label is right.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any, Iterable

from ..store.item_rows import item_label
from .join import Joined
from .ledger import FINAL
from .remaining import estimate

Z95 = 1.959963984540054


def wilson(k: int, n: int, z: float = Z95) -> list[float] | None:
    """Wilson score interval for k successes in n trials (None when n is 0)."""
    if n == 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


def _rate(k: int, n: int) -> dict[str, Any]:
    return {"n": n, "accepted": k, "accuracy": round(k / n, 4) if n else None, "ci": wilson(k, n)}


def error_rates(joined: Iterable[Joined], selection: dict[str, Any] | None, agreement: dict[str, Any] | None = None) -> dict[str, Any]:
    """{"audit": {size, decided, complete, accuracy, ci, per_class}, "shares": {...}, "agreement": {...},
    "remaining_errors": {estimate, ci, unreviewed, bands, ...}}."""
    joined = list(joined)
    audit_ids = set((selection or {}).get("audit") or [])
    present = [j for j in joined if j.draft.id in audit_ids]
    decided = [j for j in present if j.status in FINAL]
    ok = sum(1 for j in decided if j.status == "accepted")
    per_class: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for j in decided:
        label = item_label(j.draft)
        if label is not None:
            per_class[label][1] += 1
            per_class[label][0] += j.status == "accepted"
    states = Counter(j.status for j in joined if j.status in FINAL)
    total = sum(states.values())
    flagged = set(((selection or {}).get("needs_review") or {}))
    unreviewed_flagged = sum(1 for j in joined if j.status not in FINAL and (j.draft.id in flagged or j.draft.review.needs_review))
    drafted = any(s.step != "vote" for j in joined for s in j.draft.provenance.llm)
    return {
        "audit": {"sampled": selection is not None, "size": len(present), "decided": len(decided),
                  "complete": selection is not None and len(decided) == len(present),
                  **_rate(ok, len(decided)),
                  "per_class": {k: _rate(v[0], v[1]) for k, v in sorted(per_class.items())}},
        "shares": {"llm_drafted": drafted, "decided": total,
                   **{s: round(states[s] / total, 4) if total else None for s in FINAL}},
        "agreement": agreement or None,
        "unreviewed_flagged": unreviewed_flagged,   # needed a human (tie, low agreement, check), not decided
        "remaining_errors": remaining_errors(joined, selection),
        "gate_failed": bool((selection or {}).get("gate_failed")),
        "voter_accuracy": (selection or {}).get("voter_accuracy") or {},
        "splits_decided": len((selection or {}).get("splits_decided") or {}),
    }


def remaining_errors(joined: list[Joined], selection: dict[str, Any] | None) -> dict[str, Any]:
    """Expected wrong labels among undecided items, with a 95% interval (review/remaining.py).
    Corrected and rejected items count as wrong, as in the audited accuracy."""
    scores = (selection or {}).get("scores") or {}
    audit = set((selection or {}).get("audit") or [])
    return estimate((scores.get(j.draft.id), j.draft.id in audit, j.status in FINAL, j.status != "accepted")
                    for j in joined)
