"""Which items go to people: every item that needs a human, plus a random audit sample.

Needs a human: the builder flagged it (vote tie, conflicting sources, an LLM draft), its machine
agreement is below [review] min_agreement, its task failed a quality gate (stats.json `quality`),
or verify reported a violation on it (runs/verify.json). The audit sample is drawn from all items,
stratified by machine label with proportional allocation (so the share of accepted audit items is
an unbiased estimate of label accuracy), ordered by a seeded hash of the item id: the same items
and seed give the same sample on any machine, and a rebuild that keeps most items keeps most of
the sample.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path
from typing import Any

import orjson

from ..store.item_rows import item_label
from ..schemas.items import ItemBase
from ..store.items import read_stats

AUDIT_SIZE = 100
MIN_AGREEMENT = 0.6


def _violations(runs: Path, task: str) -> dict[str, list[str]]:
    path = runs / "verify.json"
    if not path.exists():
        return {}
    out: dict[str, list[str]] = defaultdict(list)
    for v in orjson.loads(path.read_bytes()).get("violations") or []:
        if v.get("task") == task and v.get("item"):
            out[v["item"]].append(f"failed-check:{v.get('check')}")
    return out


def review_reasons(item: ItemBase, min_agreement: float, gate_failed: bool, checks: list[str]) -> list[str]:
    reasons = []
    if item.review.needs_review:
        reasons.append("flagged:" + (item.review.note or "by the builder")[:80])
    low = [s.agreement for s in item.provenance.llm if s.agreement is not None and s.agreement < min_agreement]
    if low:
        reasons.append(f"low-agreement:{min(low):.2f}")
    if gate_failed:
        reasons.append("failed-gate")
    return reasons + sorted(set(checks))


def _order(seed: int, task: str, item_id: str) -> str:
    return hashlib.sha256(f"{seed}:{task}:audit:{item_id}".encode()).hexdigest()


def allocate(sizes: dict[str, int], target: int) -> dict[str, int]:
    """Proportional allocation by largest remainder; every non-empty stratum gets at least one
    item when the target allows it, so each class has an accuracy figure."""
    total = sum(sizes.values())
    target = min(target, total)
    if total == 0 or target == 0:
        return {k: 0 for k in sizes}
    exact = {k: target * n / total for k, n in sizes.items()}
    alloc = {k: int(v) for k, v in exact.items()}
    for k in sorted(sizes, key=lambda k: (-(exact[k] - alloc[k]), k))[:target - sum(alloc.values())]:
        alloc[k] += 1
    if target >= len(sizes):
        for k in sorted(sizes):
            if alloc[k] == 0 and sizes[k] > 0:
                donor = max(alloc, key=lambda d: (alloc[d], d))
                alloc[donor] -= 1
                alloc[k] = 1
    return alloc


def select(ws: Any, task: str, items: list[ItemBase], audit_size: int = AUDIT_SIZE, budget: int | None = None,
           min_agreement: float = MIN_AGREEMENT, seed: int = 0) -> dict[str, Any]:
    """The selection.json record: audit ids, items needing review with reasons, ids to send."""
    quality = (read_stats(ws, task).get("quality") or {})
    gate_failed = quality.get("reliable") is False
    checks = _violations(ws.runs, task)
    needs = {it.id: r for it in items if (r := review_reasons(it, min_agreement, gate_failed, checks.get(it.id, [])))}
    target = audit_size if budget is None else max(audit_size, budget - len(needs))
    strata: dict[str, list[ItemBase]] = defaultdict(list)
    for it in items:
        strata[item_label(it) or "-"].append(it)
    alloc = allocate({k: len(v) for k, v in strata.items()}, target)
    audit: list[str] = []
    for label, members in strata.items():
        members.sort(key=lambda it: _order(seed, task, it.id))
        audit += [it.id for it in members[:alloc[label]]]
    send = sorted(it.id for it in items) if budget is None else sorted(set(needs) | set(audit))
    return {"task": task, "audit_size": audit_size, "budget": budget, "seed": seed, "min_agreement": min_agreement,
            "audit": sorted(audit), "audit_by_label": {k: alloc[k] for k in sorted(alloc)},
            "needs_review": {k: needs[k] for k in sorted(needs)}, "send": send,
            "over_budget": budget is not None and len(send) > budget}
