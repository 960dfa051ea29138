"""UEA, user emotion analysis: a user's comment on a post, labelled by a panel of three (or more)
voters.

Flow: comments (one per user and post, own text only) -> a seeded pool -> every voter labels the
pool (annotate/panel.py) -> more than 20% failed votes: stop, exit non-zero, reasons counted ->
majority per comment -> majority-voted comments fill the target class counts (SoMe's proportions
by default); comments without a majority never fill a class: up to the classes' shortfall of them
go to human review (needs_review, a suggested label), the rest are left out -> Fleiss' kappa on
the pool and on the written items, per-class agreement, the panel's quality measured on the
user's seed labels, a reliability verdict -> items. Items are written once at the end,
atomically; a killed run resumes from the LLM cache and the embedding checkpoints, and gives the
same items as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from ...annotate.aggregate import SOME_UEA_TARGETS, label_gates, quality_block, rebalance, scale_targets
from ...annotate.label_scores import for_panel, summary as quality_summary
from ...annotate.panel import PanelResult, run_panel
from ...annotate.voter_head import file_digest, load_seed_labels
from ...annotate.voters import VoteInput, default_specs, parse_spec
from ...annotate.voting import (WEIGHTED_RULE, Aggregate, kappa_from_votes, majority, per_class_agreement, quality_weights,
                                weighted_vote)
from ...errors import SomekitError
from ...schemas.task_options import UEAOptions
from ...schemas.tasks import resolve_run
from ...schemas.items import EMOTIONS, CommentInputs, EmotionAnswer, UEAItem, item_id
from ...schemas.provenance import LLMStep, Provenance, Vote
from ...schemas.review import Review
from ...store.items import write_items
from ...enrich.textview import use_post_text
from ...store.query import connect
from ..query_templates import TEMPLATES as QUERY_TEMPLATES, UEA_VERSION
from ..comment_text import is_boilerplate
from ..registry import BuildResult, register_builder
from ..reuse import ReuseGuard
from ...store.language import corpus_lang
from ...drafters.topics import LLMCounters, own_text
from ...executors.progress import BatchProgress

BUILDER = "uea@2"
VOTE_FAIL_MAX = 0.2          # more failed votes than this: the build stops with exit 1
MEASURED_ACC_MIN = 0.55      # panel accuracy on the seed labels below this: unreliable
#: Our UEA wording lives with the other query templates (builders/query_templates.py).
TEMPLATES = {lang: QUERY_TEMPLATES[("uea", lang)] for lang in ("zh", "en")}
_COMMENTS_SQL = """
SELECT i.id, i.user_id, i.post_id, i.text, coalesce(p.text, '') AS post_text,
       count(*) OVER (PARTITION BY i.user_id, i.post_id) AS per_pair
FROM interactions i JOIN posts p ON p.id = i.post_id
WHERE i.kind IN ('comment', 'reply', 'quote') AND i.text <> ''
ORDER BY i.id
"""


def load_comments(con: Any, min_chars: int) -> tuple[list[dict[str, Any]], Counter]:
    """Candidate comments and the count of those left out, by reason."""
    dropped: Counter = Counter()
    out = []
    for cid, uid, pid, text, post_text, per_pair in con.execute(_COMMENTS_SQL).fetchall():
        if per_pair > 1:
            dropped["several-comments-same-user-post"] += 1   # the (user, post) query would be ambiguous
            continue
        mine = own_text(text)
        if is_boilerplate(mine):
            dropped["repost-boilerplate"] += 1   # 转发微博 and friends: Weibo's words, not the user's
            continue
        if len(mine) < min_chars:
            dropped["too-short-own-text"] += 1
            continue
        out.append({"id": cid, "user_id": uid, "post_id": pid, "text": mine, "post": post_text})
    return out, dropped


def _sample(rows: list[dict[str, Any]], size: int, seed: int) -> list[dict[str, Any]]:
    key = lambda r: hashlib.sha256(f"{seed}:{r['id']}".encode()).hexdigest()  # noqa: E731
    return sorted(sorted(rows, key=key)[:size], key=lambda r: r["id"])


class VoteFailureError(SomekitError):
    """Too many votes failed for the labels to mean anything."""


def _vote_step(votes: list[Vote], specs: Sequence[Any], models: dict[str, str], agreement: float,
               quality: tuple[float | None, str, dict[str, float]] = (None, "", {})) -> LLMStep:
    kinds = {s.kind for s in specs}
    backend = "llm" if kinds == {"llm"} else ("mixed" if "llm" in kinds else "offline")
    prompts = sorted({s.prompt for s in specs if s.kind == "llm"})
    return LLMStep(step="vote", model=",".join(sorted(set(models.values()))), backend=backend,
                   prompt_id=",".join(prompts) or None, votes=votes, agreement=round(agreement, 4),
                   label_quality=quality[0], label_quality_method=quality[1] or None, voter_quality=quality[2])


def _make_item(row: dict[str, Any], votes: list[Vote], agg: Any, step: LLMStep, lang: str, seed: int,
               rule: str | None = None) -> UEAItem:
    inputs = CommentInputs(user_id=row["user_id"], post_id=row["post_id"], comment_id=row["id"], comment=row["text"])
    return UEAItem(
        id=item_id("uea", inputs.model_dump()),
        query=TEMPLATES[lang].format(user_id=row["user_id"], post_id=row["post_id"]),
        template_id=f"uea.{lang}@{UEA_VERSION}", lang=lang, inputs=inputs,
        answer=EmotionAnswer(emotion=agg.label),
        provenance=Provenance(source_ids=[row["id"], row["post_id"], row["user_id"]],
                              rule=rule or ("label:majority-vote" if agg.majority else "label:no-majority"),
                              seed=seed, builder=BUILDER, llm=[step]),
        review=Review(needs_review=agg.needs_review, note=agg.note),
    )


def _seed_labels(ws: Any, opts: UEAOptions) -> tuple[list[tuple[str, str]] | None, dict[str, Any]]:
    """The user's seed labels (`seed_labels`, a path relative to the workspace) and what they are."""
    name = opts.seed_labels
    if not name:
        return None, {}
    path = Path(str(name))
    path = path if path.is_absolute() else ws.root / path
    seeds = load_seed_labels(path)
    counts = Counter(lab for _, lab in seeds)
    return seeds, {"file": str(name), "n": len(seeds), "sha256": file_digest(seeds),
                   "label_counts": {k: counts.get(k, 0) for k in EMOTIONS}}


def _reason(error: str | None) -> str:
    """A failure message as a countable reason: numbers and endpoints out, first clause kept."""
    text = re.sub(r"https?://\S*[^\s:]", "URL", error or "no label")
    text = re.sub(r"\d+", "N", text)
    return text.split(": ")[0].strip()[:80] or "unknown"


def vote_failures(votes_per_row: Sequence[Sequence[Vote]]) -> dict[str, Any]:
    """How many votes failed, out of how many, and why (counted)."""
    reasons: Counter = Counter()
    total = 0
    for votes in votes_per_row:
        for vote in votes:
            total += 1
            if vote.value is None:
                reasons[_reason(vote.error)] += 1
    failed = sum(reasons.values())
    return {"total": total, "failed": failed, "failure_rate": round(failed / total, 4) if total else 0.0,
            "failure_reasons": dict(reasons.most_common())}


def weigh_splits(panel: PanelResult, aggs: list[Any]) -> tuple[list[Any], set[int], dict[str, Any]]:
    """When the seed labels measured every voter and the voters differ in accuracy there, the
    quality-weighted vote (annotate/voting.py) decides the splits the plain vote left open: such an
    item is no longer a tie and keeps the weighted vote's label. Returns the aggregates, the indexes
    it decided, and the stats block saying so."""
    measured = (panel.measured or {}).get("voters") or {}
    accuracy = {n: v["accuracy"] for n, v in measured.items() if v.get("accuracy") is not None}
    names = [v.voter for v in panel.votes[0]] if panel.votes and panel.votes[0] else []
    if not names or set(names) - set(accuracy) or len(set(accuracy.values())) < 2:
        return aggs, set(), {"applied": False, "why": "needs every voter measured on seed labels, with different accuracies"}
    weights = quality_weights({n: accuracy[n] for n in names}, len(EMOTIONS))
    out, decided = list(aggs), set()
    for i, (votes, agg) in enumerate(zip(panel.votes, aggs)):
        if agg.majority or agg.label is None:
            continue
        won = weighted_vote([(v.voter, v.value) for v in votes], weights)
        if won.majority:
            share = agg.counts.get(won.label, 0) / len(votes)
            out[i] = Aggregate(won.label, agg.counts, share, True, agg.failed, None)
            decided.add(i)
    return out, decided, {"applied": True, "weights": {n: round(w, 4) for n, w in weights.items()},
                          "measured_accuracy": {n: accuracy[n] for n in names}, "splits_decided": len(decided),
                          "labels_changed": sum(out[i].label != aggs[i].label for i in decided)}


def _pick_ties(ties: list[tuple], shortfalls: dict[str, int], seed: int) -> list[tuple]:
    """Ties sent to human review: as many as the classes still miss, those suggested for a short
    class first. They never count towards a class until a person has decided their label."""
    want = sum(shortfalls.values())
    key = lambda c: (c[2].label not in shortfalls, hashlib.sha256(f"{seed}:tie:{c[0]['id']}".encode()).hexdigest())  # noqa: E731
    return sorted(ties, key=key)[:want]


def _agreement(panel: PanelResult, picked: list[tuple]) -> dict[str, Any]:
    pool_votes = [[v.value for v in votes] for votes in panel.votes]
    shipped_votes = [[v.value for v in c[1]] for c in picked]
    pool = kappa_from_votes(pool_votes, EMOTIONS)
    shipped = kappa_from_votes(shipped_votes, EMOTIONS)
    return {**pool, "kappa": {"pool": pool["fleiss_kappa"], "shipped": shipped["fleiss_kappa"],
                              "shipped_items": shipped["kappa_items"]},
            "per_class_agreement": per_class_agreement(pool_votes, EMOTIONS),
            "per_class_agreement_shipped": per_class_agreement(shipped_votes, EMOTIONS)}


def _gates(raw_counts: Counter, agreement: dict[str, Any], measured: dict[str, Any]) -> list[str]:
    reasons = label_gates(dict(raw_counts), agreement["kappa"]["pool"])
    shipped = agreement["kappa"]["shipped"]
    if shipped is not None and shipped < 0.4:
        reasons.append(f"low agreement on the written items: Fleiss' kappa {shipped:.2f} < 0.4")
    acc = (measured.get("panel") or {}).get("accuracy")
    if acc is not None and acc < MEASURED_ACC_MIN:
        reasons.append(f"measured accuracy against the seed labels {acc:.2f} < {MEASURED_ACC_MIN}")
    return reasons


@register_builder("uea")
def build(ws: Any, cfg: Any, n: int | None = None, seed: int | None = None, lang: str | None = None,
          show_progress: bool = True, **overrides: Any) -> BuildResult:
    """Build items/uea. `n`: total items (SoMe's 2,696 by default), split by the target proportions.
    `overrides` (voters=..., targets=...) beat [tasks.uea.options], through `UEAOptions`."""
    run = resolve_run(cfg, "uea", n, seed, overrides)
    opts, seed, n = run.options, run.seed, run.n
    seeds, seed_info = _seed_labels(ws, opts)
    specs = [parse_spec(v) for v in opts.voters] or default_specs(cfg, seeded=bool(seeds))
    if len(specs) < 2:
        raise SomekitError("uea needs at least 2 voters (3 recommended) to measure agreement")
    goal = scale_targets(dict(opts.targets or SOME_UEA_TARGETS), n)
    unknown = set(goal) - set(EMOTIONS)
    if unknown:
        raise SomekitError(f"uea targets name unknown classes: {sorted(unknown)}")
    con = connect(ws.corpus)
    tview = use_post_text(con, ws, cfg, "uea")  # the post shown as context includes its media text
    lang = corpus_lang(con, lang, cfg)
    rows, dropped = load_comments(con, opts.min_chars)
    con.close()
    reuse = ReuseGuard(ws, "uea")  # a comment another task shows would answer this item there
    rows = reuse.keep(rows, labelled=("text",))
    if reuse.refused:
        dropped["text-shown-by-another-task"] += reuse.refused
    pool_size = min(len(rows), math.ceil(opts.pool_factor * sum(goal.values())))
    pool = _sample(rows, pool_size, seed)
    if seeds:
        # a pool comment that is also a seed text is voted on by a head that saw its label
        known = {text for text, _ in seeds}
        seed_info["overlap_with_pool"] = sum(1 for r in pool if r["text"] in known)
    counters = LLMCounters()
    bar = (lambda desc, total: BatchProgress(total, desc, None if show_progress else False, unit="texts"))
    panel = run_panel(ws, cfg, specs, [VoteInput(r["id"], r["text"], r["post"]) for r in pool], lang,
                      seeds=seeds, counters=counters, progress=bar, cv_seed=seed)
    failures = vote_failures(panel.votes)
    if failures["failure_rate"] > VOTE_FAIL_MAX:
        reasons = ", ".join(f"{k} x{v}" for k, v in failures["failure_reasons"].items())
        raise VoteFailureError(f"uea: {failures['failed']} of {failures['total']} votes failed "
                               f"({failures['failure_rate']:.0%} > {VOTE_FAIL_MAX:.0%}); nothing written. Reasons: {reasons}")

    majorities, ties = [], []
    aggs = [majority([v.value for v in votes], order=EMOTIONS, trust=panel.trust) for votes in panel.votes]
    aggs, weighed, weighting = weigh_splits(panel, aggs)
    weighed_ids = {pool[i]["id"] for i in weighed}
    # scored on the whole pool: CROWDLAB's voter estimates need every voted comment, not the written few
    scored = for_panel(panel.votes, [a.label for a in aggs], EMOTIONS, panel.measured)
    voter_quality = {n: v.get("measured_accuracy", v.get("crowdlab_quality")) for n, v in scored.voters.items()}
    quality_of = {row["id"]: (score, scored.method, voter_quality) for row, score in zip(pool, scored.scores)}
    for row, votes, agg in zip(pool, panel.votes, aggs):
        if agg.label is None:
            dropped["no-valid-vote"] += 1
        else:
            (majorities if agg.majority else ties).append((row, votes, agg))
    picked, shortfalls = rebalance(majorities, lambda c: c[2].label, goal, seed)
    for_review = _pick_ties(ties, shortfalls, seed)
    written = picked + for_review
    agreement = _agreement(panel, written)
    raw_counts = Counter(c[2].label for c in majorities)
    reasons = _gates(raw_counts, agreement, panel.measured)
    items = sorted((_make_item(row, votes, agg, _vote_step(votes, specs, panel.models, agg.agreement, quality_of[row["id"]]),
                               lang, seed, WEIGHTED_RULE if row["id"] in weighed_ids else None)
                    for row, votes, agg in written), key=lambda it: it.id)
    label_counts = Counter(c[2].label for c in picked)
    stats = {
        "task": "uea", "builder": BUILDER, "seed": seed, "lang": lang, "items": len(items),
        "voters": [s.name for s in specs], "voter_methods": panel.methods, "candidates": len(rows), "pool": len(pool),
        "dropped": dict(dropped.most_common()), "llm": counters.to_dict(), "votes": failures, **agreement,
        "majority": len(majorities), "no_majority": len(ties), "ties": len(ties), "ties_to_review": len(for_review),
        "ties_left_out": len(ties) - len(for_review),
        "raw_label_counts": {k: raw_counts.get(k, 0) for k in EMOTIONS},
        "targets": goal, "label_counts": {k: label_counts.get(k, 0) for k in EMOTIONS},
        "review_suggestions": dict(Counter(c[2].label for c in for_review).most_common()),
        "needs_review": sum(1 for it in items if it.review.needs_review),
        "shortfalls": shortfalls, "cross_task_reuse": reuse.stats(), "seed_labels": seed_info, "head_cv": panel.head_cv,
        "measured_quality": panel.measured, "quality": quality_block(reasons), "label_quality": quality_summary(scored),
        "weighted_vote": weighting,
    }
    write_items(ws, "uea", tview.stamp(items), {**stats, **tview.stats()})
    warnings = [stats["quality"]["message"]] if reasons else []
    warnings += [f"shortfall: {k} has {goal[k] - v} of {goal[k]} majority-voted items" for k, v in shortfalls.items()]
    if for_review:
        warnings.append(f"{len(for_review)} items without a vote majority need human review before they count")
    return BuildResult(task="uea", items=len(items), stats=stats, warnings=warnings)
