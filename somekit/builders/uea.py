"""UEA, user emotion analysis: a user's comment on a post, labelled by three (or more) voters.

Flow: comments (one per user and post, own text only) -> a seeded pool -> every voter labels the
pool -> majority per comment (no majority: needs_review) -> Fleiss' kappa and quality gates over
the raw labels -> rebalancing to target class counts (SoMe's proportions by default) -> items.
Items are written once at the end, atomically; a killed run resumes from the LLM cache and the
embedding checkpoints, and gives the same items as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from typing import Any, Sequence

from ..annotate.aggregate import SOME_UEA_TARGETS, label_gates, quality_block, rebalance, scale_targets
from ..annotate.voters import (EmbeddingVoter, LLMVoter, VoteInput, VoterSpec, default_specs,
                               embed_checkpointed, get_embedder_for, make_llm_client, parse_spec)
from ..annotate.voting import kappa_from_votes, majority
from ..errors import SomekitError
from ..schemas.task_options import options_for
from ..schemas.items import EMOTIONS, CommentInputs, EmotionAnswer, UEAItem, item_id
from ..schemas.provenance import LLMStep, Provenance, Vote
from ..schemas.review import Review
from ..store.items import write_items
from .enrich.textview import use_post_text
from ..store.query import connect
from .query_templates import TEMPLATES as QUERY_TEMPLATES, UEA_VERSION
from .registry import BuildResult, register_builder
from .topics import LLMCounters, own_text, pick_lang, progress

BUILDER = "uea@1"
#: Our UEA wording lives with the other query templates (builders/query_templates.py).
TEMPLATES = {lang: QUERY_TEMPLATES[("uea", lang)] for lang in ("zh", "en")}
_COMMENTS_SQL = """
SELECT i.id, i.user_id, i.post_id, i.text, coalesce(p.text, '') AS post_text,
       count(*) OVER (PARTITION BY i.user_id, i.post_id) AS per_pair
FROM interactions i JOIN posts p ON p.id = i.post_id
WHERE i.kind IN ('comment', 'reply', 'quote') AND i.text <> ''
ORDER BY i.id
"""


def _options(cfg: Any) -> dict[str, Any]:
    return options_for(cfg, "uea").model_dump()


def load_comments(con: Any, min_chars: int) -> tuple[list[dict[str, Any]], Counter]:
    """Candidate comments and the count of those left out, by reason."""
    dropped: Counter = Counter()
    out = []
    for cid, uid, pid, text, post_text, per_pair in con.execute(_COMMENTS_SQL).fetchall():
        if per_pair > 1:
            dropped["several-comments-same-user-post"] += 1   # the (user, post) query would be ambiguous
            continue
        mine = own_text(text)
        if len(mine) < min_chars:
            dropped["too-short-own-text"] += 1
            continue
        out.append({"id": cid, "user_id": uid, "post_id": pid, "text": mine, "post": post_text})
    return out, dropped


def _sample(rows: list[dict[str, Any]], size: int, seed: int) -> list[dict[str, Any]]:
    key = lambda r: hashlib.sha256(f"{seed}:{r['id']}".encode()).hexdigest()  # noqa: E731
    return sorted(sorted(rows, key=key)[:size], key=lambda r: r["id"])


def run_voters(ws: Any, cfg: Any, specs: Sequence[VoterSpec], rows: list[dict[str, Any]], lang: str,
               counters: LLMCounters, show: bool = True) -> tuple[list[list[Vote]], dict[str, str]]:
    """Votes per row (one per voter, in voter order) and voter name -> model name."""
    per_voter: list[list[Vote]] = []
    models: dict[str, str] = {}
    embed_specs = [s for s in specs if s.kind == "embed"]
    if embed_specs:
        embedder = get_embedder_for(ws, cfg)
        with progress("uea: embedding comments", len(rows), show) as advance:
            vectors = embed_checkpointed(ws, embedder, [r["text"] for r in rows], kind="query", progress=advance)
    clients: dict[tuple[Any, Any], Any] = {}
    for index, spec in enumerate(specs):
        if spec.kind == "embed":
            voter = EmbeddingVoter(spec, embedder)
            per_voter.append(voter.vote_vectors(vectors) if rows else [])
            models[voter.name] = getattr(embedder, "model", "embedder")
            continue
        key = (spec.model, spec.base_url)
        if key not in clients:
            clients[key] = make_llm_client(ws, cfg, spec)
        voter = LLMVoter(spec, clients[key], index=index, counters=counters)
        inputs = [VoteInput(r["id"], r["text"], r["post"]) for r in rows]
        per_voter.append(voter.vote(inputs, lang=lang, desc=f"uea: {voter.name}"))
        models[voter.name] = getattr(clients[key], "model", spec.model or "")
    return [list(v) for v in zip(*per_voter)] if per_voter else [], models


def _vote_step(votes: list[Vote], specs: Sequence[VoterSpec], models: dict[str, str], agreement: float) -> LLMStep:
    kinds = {s.kind for s in specs}
    backend = "embedding" if kinds == {"embed"} else ("llm" if kinds == {"llm"} else "mixed")
    prompts = sorted({s.prompt for s in specs if s.kind == "llm"})
    return LLMStep(step="vote", model=",".join(sorted(set(models.values()))), backend=backend,
                   prompt_id=",".join(prompts) or None, votes=votes, agreement=round(agreement, 4))


def _make_item(row: dict[str, Any], votes: list[Vote], agg: Any, step: LLMStep, lang: str, seed: int) -> UEAItem:
    inputs = CommentInputs(user_id=row["user_id"], post_id=row["post_id"], comment_id=row["id"], comment=row["text"])
    return UEAItem(
        id=item_id("uea", inputs.model_dump()),
        query=TEMPLATES[lang].format(user_id=row["user_id"], post_id=row["post_id"]),
        template_id=f"uea.{lang}@{UEA_VERSION}", lang=lang, inputs=inputs,
        answer=EmotionAnswer(emotion=agg.label),
        provenance=Provenance(source_ids=[row["id"], row["post_id"], row["user_id"]],
                              rule="label:majority-vote" if agg.majority else "label:no-majority",
                              seed=seed, builder=BUILDER, llm=[step]),
        review=Review(needs_review=agg.needs_review, note=agg.note),
    )


@register_builder("uea")
def build(ws: Any, cfg: Any, n: int | None = None, seed: int | None = None, lang: str | None = None,
          voters: Sequence[str | dict] | None = None, targets: dict[str, int] | None = None,
          show_progress: bool = True, **_: Any) -> BuildResult:
    """Build items/uea. `n`: total items (SoMe's 2,696 by default), split by the target proportions."""
    opts = _options(cfg)
    section = cfg.tasks.get("uea")
    seed = seed if seed is not None else (section.seed if section and section.seed is not None else cfg.seed)
    n = n if n is not None else (section.n if section else None)
    specs = [parse_spec(v) for v in (voters or opts.get("voters") or [])] or default_specs(cfg)
    if len(specs) < 2:
        raise SomekitError("uea needs at least 2 voters (3 recommended) to measure agreement")
    goal = scale_targets({k: int(v) for k, v in (targets or opts.get("targets") or SOME_UEA_TARGETS).items()}, n)
    unknown = set(goal) - set(EMOTIONS)
    if unknown:
        raise SomekitError(f"uea targets name unknown classes: {sorted(unknown)}")
    con = connect(ws.corpus)
    tview = use_post_text(con, ws, cfg, "uea")  # the post shown as context includes its media text
    lang = pick_lang(con, lang or cfg.workspace.lang)
    rows, dropped = load_comments(con, int(opts.get("min_chars", 2)))
    con.close()
    pool_size = min(len(rows), math.ceil(float(opts.get("pool_factor", 3.0)) * sum(goal.values())))
    pool = _sample(rows, pool_size, seed)
    counters = LLMCounters()
    votes_per_row, models = run_voters(ws, cfg, specs, pool, lang, counters, show_progress)

    candidates = []
    for row, votes in zip(pool, votes_per_row):
        agg = majority([v.value for v in votes], order=EMOTIONS)
        if agg.label is None:
            dropped["no-valid-vote"] += 1
            continue
        candidates.append((row, votes, agg))
    agreement = kappa_from_votes([[v.value for v in votes] for votes in votes_per_row], EMOTIONS)
    raw_counts = Counter(agg.label for _, _, agg in candidates)
    reasons = label_gates(dict(raw_counts), agreement["fleiss_kappa"])
    picked, shortfalls = rebalance(candidates, lambda c: c[2].label, goal, seed, prefer=lambda c: c[2].majority)
    items = sorted((_make_item(row, votes, agg, _vote_step(votes, specs, models, agg.agreement), lang, seed)
                    for row, votes, agg in picked), key=lambda it: it.id)
    label_counts = Counter(it.answer.emotion for it in items)
    stats = {
        "task": "uea", "builder": BUILDER, "seed": seed, "lang": lang, "items": len(items),
        "voters": [s.name for s in specs], "candidates": len(rows), "pool": len(pool),
        "dropped": dict(dropped.most_common()), "llm": counters.to_dict(), **agreement,
        "majority": sum(1 for c in candidates if c[2].majority),
        "no_majority": sum(1 for c in candidates if not c[2].majority),
        "raw_label_counts": {k: raw_counts.get(k, 0) for k in EMOTIONS},
        "targets": goal, "label_counts": {k: label_counts.get(k, 0) for k in EMOTIONS},
        "needs_review": sum(1 for it in items if it.review.needs_review),
        "shortfalls": shortfalls, "quality": quality_block(reasons),
    }
    write_items(ws, "uea", tview.stamp(items), {**stats, **tview.stats()})
    warnings = [stats["quality"]["message"]] if reasons else []
    warnings += [f"shortfall: {k} has {goal[k] - v} of {goal[k]} items" for k, v in shortfalls.items()]
    return BuildResult(task="uea", items=len(items), stats=stats, warnings=warnings)
