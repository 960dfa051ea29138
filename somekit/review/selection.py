"""Which items go to people, in which order, within a budget.

Needs a human (a rule flags it): the builder flagged it (vote tie, conflicting sources, an LLM
draft), its machine agreement is below [review] min_agreement, or verify reported a violation on it
(runs/verify.json). A split vote is a tie only while nothing can break it: once voters have a
measured quality (people's decisions, review/scores.py), the quality-weighted vote decides most
splits; a decided split whose label is the item's own is no longer flagged, one that names another
label stays flagged and says which. A failed quality gate (stats.json `quality`) flags no item: it
is a reason to review more, said in the selection and on the card, never a reason to ignore the
budget.

With a budget N, at most N items go (unless allow_over_budget), in this order:
1. the random audit sample (audit_size, at most half the budget): drawn from all items, stratified
   by machine label with proportional allocation, ordered by a seeded hash of the item id. Scores
   never touch it, so the share of accepted audit items stays an unbiased estimate of label
   accuracy, and the same items and seed give the same sample on any machine;
2. items already sent by an earlier push (they are in Label Studio whatever this push decides);
3. items a rule flags, lowest label-quality score first (all of them when they fit);
4. the rest, lowest label-quality score first: where the labels are most likely wrong. Items
   without a score come last, in seeded-hash order.
Without a budget every item is sent, in the same order.
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
from .scores import ItemScores, item_scores

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


def review_reasons(item: ItemBase, min_agreement: float, checks: list[str], decided: Any = None) -> list[str]:
    """Why a rule sends the item to people. `decided`: the label the quality-weighted vote gives
    the item's split vote (None: not decided); the builder's tie flag and the low agreement of a
    voted item both come from that split, so a decision replaces them."""
    reasons = []
    if decided is not None:
        if decided != item_label(item):
            reasons.append(f"split:weighted-vote-says-{decided}")
        return reasons + sorted(set(checks))
    if item.review.needs_review:
        reasons.append("flagged:" + (item.review.note or "by the builder")[:80])
    low = [s.agreement for s in item.provenance.llm if s.agreement is not None and s.agreement < min_agreement]
    if low:
        reasons.append(f"low-agreement:{min(low):.2f}")
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


def audit_sample(task: str, items: list[ItemBase], target: int, seed: int) -> tuple[list[str], dict[str, int]]:
    """The audit ids, in sample order (label strata in turn), and the allocation per label."""
    strata: dict[str, list[ItemBase]] = defaultdict(list)
    for it in items:
        strata[item_label(it) or "-"].append(it)
    alloc = allocate({k: len(v) for k, v in strata.items()}, target)
    audit: list[str] = []
    for label in sorted(strata):
        members = sorted(strata[label], key=lambda it: _order(seed, task, it.id))
        audit += [it.id for it in members[:alloc[label]]]
    return sorted(audit, key=lambda iid: _order(seed, task, iid)), {k: alloc[k] for k in sorted(alloc)}


def select(ws: Any, task: str, items: list[ItemBase], audit_size: int = AUDIT_SIZE, budget: int | None = None,
           min_agreement: float = MIN_AGREEMENT, seed: int = 0, allow_over_budget: bool = False,
           already_sent: set[str] | None = None, scores: ItemScores | dict[str, float | None] | None = None,
           people: dict[str, Any] | None = None) -> dict[str, Any]:
    """The selection.json record: audit ids, items needing review with reasons, ids to send and
    the order to send them in (see the module docstring). `people`: labels people already decided
    (item id -> label), which weigh the voters before scoring; `scores`: scores made elsewhere
    (review/scores.py `item_scores` makes them when None; a plain dict decides no split)."""
    quality = (read_stats(ws, task).get("quality") or {})
    gate_failed = quality.get("reliable") is False
    checks = _violations(ws.runs, task)
    scored = item_scores(items, people, ws) if scores is None else (
        scores if isinstance(scores, ItemScores) else ItemScores(dict(scores), "given"))
    score_of, how = scored.scores, scored.method
    needs = {it.id: r for it in items
             if (r := review_reasons(it, min_agreement, checks.get(it.id, []), scored.decided.get(it.id)))}
    target = audit_size if budget is None else min(audit_size, budget // 2)
    audit, by_label = audit_sample(task, items, target, seed)

    def rank(iid: str) -> tuple:
        score = score_of.get(iid)
        return (score is None, score if score is not None else 0.0, _order(seed, task, iid))

    in_audit = set(audit)
    ids = {it.id for it in items}
    # same priority as a fresh pick (flagged first), so a repeated push writes the same order
    sent_before = ((already_sent or set()) & ids) - in_audit
    sticky = sorted(sent_before, key=lambda iid: (iid not in needs, rank(iid)))
    flagged = sorted((iid for iid in needs if iid not in in_audit and iid not in sent_before), key=rank)
    taken = in_audit | sent_before | set(flagged)
    rest = sorted((iid for iid in ids if iid not in taken), key=rank)
    if budget is None:
        order = audit + sticky + flagged + rest
    else:
        room = max(0, budget - len(audit) - len(sticky))
        picks = (flagged + rest)[:room]
        if allow_over_budget:
            picks += flagged[len(picks):] if len(picks) < len(flagged) else []
        order = audit + sticky + picks
    advice = None
    if gate_failed:
        advice = ("the task failed its quality gate (" + "; ".join(quality.get("reasons") or []) + "): review more "
                  "than usual; the ranking sends the likeliest wrong labels first, the remaining-error estimate says how many are left")
    return {"task": task, "audit_size": audit_size, "budget": budget, "seed": seed, "min_agreement": min_agreement,
            "audit": sorted(audit), "audit_by_label": by_label,
            "needs_review": {k: needs[k] for k in sorted(needs)}, "send": sorted(order), "order": order,
            "over_budget": budget is not None and len(order) > budget, "allow_over_budget": allow_over_budget,
            "flagged_unsent": sorted(set(flagged).difference(order)),
            "gate_failed": gate_failed, "gate_advice": advice, "score_method": how,
            "splits_decided": {k: scored.decided[k] for k in sorted(scored.decided)},
            "voter_accuracy": scored.voters,
            "scores": {k: score_of.get(k) for k in sorted(ids)}}
