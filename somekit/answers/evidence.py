"""What the clause rules saw in an answer they could not decide, as features for the offline
fallback (fallback.py).

The rules leave an answer undecided when its clauses disagree ("accurate ... misleading ...
half-true") or when none names a label they know. In the first case the rules still saw which
labels were named and where: in a concluding clause, after a contrast, in the opening clause, in
the last clause that decided, under a marker. Which of those usually carries the verdict is what a
classifier trained on labelled answers can weigh and the rules, which must never guess, do not.
Each feature is "<where>=<label>", so one model serves Chinese, English and the two mixed.
"""

from __future__ import annotations

import math
from collections import Counter

from .choices import unwrap
from .clauses import clauses, clean
from .clause_rule import clause_labels


def evidence(kind: str, answer: str) -> dict[str, float]:
    """Feature counts (log-scaled): for each label of the kind the clauses named, where it was named."""
    _, plain = unwrap(answer)
    parts = clauses(clean(plain))
    found: Counter[str] = Counter()
    decided: list[str] = []
    for index, clause in enumerate(parts):
        labels, hedged = clause_labels(kind, clause)
        if hedged:
            found["hedge"] += 1
        for label in labels:
            found[f"{clause.role}={label}"] += 1
            found[f"any={label}"] += 1
            if index == 0:
                found[f"opening={label}"] += 1
        if labels and clause.role not in ("question", "reason"):
            decided.extend(labels)
    if decided:
        found[f"first={decided[0]}"] += 1
        found[f"last={decided[-1]}"] += 1
    out = {key: math.log1p(count) for key, count in found.items()}
    out["labels_named"] = float(len(set(decided)))
    return out
