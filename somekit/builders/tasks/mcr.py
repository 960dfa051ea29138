"""`mcr`: media content recommendation (should post P be recommended to user U? yes/no).

Yes: a post the user interacted with (any kind on a post), never their own. No: a post drawn from
the positives' own post distribution that the user never touched and that is no near-copy (same
event: builders/events.py) of a post the user touched (Weibo is full of re-posts of one text
with brackets, links or a sentence trimmed: such a copy would be a disguised positive). Rules: builders/pairs.py. SoMe's default is 2,000 of each; n
counts each label. Shortfalls are reported, never padded.
"""

from __future__ import annotations

from typing import Any

from ...schemas.items import MCRItem, UserPostInputs, YesNoAnswer, item_id
from ...schemas.provenance import Provenance
from ..query_templates import render
from ...enrich.textview import use_post_text
from ..registry import BuildResult, register_builder
from ..content_rule import NearCopies
from ..exposure import create_live_days
from ..pairs import (HistoryBudget, create_acts, create_negative_pool, create_post_bands,
                    rank_positives, sample_pairs)
from ...store.language import corpus_lang
from ..sampling import cosine_keep, finish_paired_build, open_corpus, post_texts_for, resolve

BUILDER = "mcr@3"
DEFAULT_N = 2000  # per label
#: Interaction kinds that mean "engaged with the post" (follow/block have no post).
ENGAGE = ("like", "repost", "comment", "quote", "reply")


def _item(user: str, post: str, yes: bool, lang: str, seed: int, sources: list[str], rule: str,
          notes: dict[str, Any]) -> MCRItem:
    inputs = UserPostInputs(user_id=user, post_id=post)
    query, template_id = render("mcr", lang, user_id=user, post_id=post)
    return MCRItem(
        id=item_id("mcr", inputs.model_dump(mode="json")), query=query, template_id=template_id, lang=lang,
        inputs=inputs, answer=YesNoAnswer(label="yes" if yes else "no"),
        provenance=Provenance(source_ids=sources, rule=rule, seed=seed, builder=BUILDER, notes=notes),
    )


@register_builder("mcr")
def build_mcr(ws, cfg, n: int | None = None, seed: int | None = None, lang: str | None = None,
              **overrides: Any) -> BuildResult:
    n, seed, options = resolve(cfg, "mcr", n, seed, DEFAULT_N, overrides)
    pool, weighting, min_history, exposure = options.pool, options.weighting, options.min_history, options.exposure_days
    con = open_corpus(ws)
    tview = use_post_text(con, ws, cfg, "mcr")  # the content rule compares body + media text
    lang = corpus_lang(con, lang, cfg)
    create_acts(con)
    if exposure is not None:
        create_live_days(con)
    create_post_bands(con, pool, options)
    keep = None
    if options.max_cosine is not None:  # embedding content rule, opt-in (it embeds every pair)
        keep = cosine_keep(ws, cfg, options.max_cosine, post_texts_for(con))
    kinds = ", ".join(f"'{k}'" for k in ENGAGE)
    rank_positives(con, "mcr_pos", f"a.kind IN ({kinds})", seed, "mcr", min_history)
    create_negative_pool(con, "mcr_pos", weighting, seed, "mcr", exposure)
    near = NearCopies(con, options.event_threshold, options.shingle)
    budget = HistoryBudget(con, min_history)
    counted = budget.preload(ws, "mcr")
    pairs = sample_pairs(con, "mcr_pos", n, seed, "mcr", budget, per_user=options.per_user,
                         tries=options.tries, exposure_days=exposure, differ_content=True, keep=keep,
                         near=near)
    items = []
    for p in pairs:
        notes = {"pool": pool, "band": p["band"], **({"cosine": p["cosine"]} if "cosine" in p else {})}
        items.append(_item(p["user_id"], p["post_id"], True, lang, seed, [p["anchor"], p["post_id"]],
                           f"positive:interaction:{p['kind']}", notes))
        items.append(_item(p["user_id"], p["neg_post"], False, lang, seed, [p["neg_post"]],
                           "negative:not-interacted:content-differs", {**notes, "anchor": p["anchor"]}))
    return finish_paired_build(ws, "mcr", tview.stamp(items), n, len(pairs), seed,
                               {"pool": pool, "weighting": weighting, "salt": "mcr", "lang": lang, "min_history": min_history,
                                "min_history_skipped": budget.skipped,
                                "min_history_counts_tasks": counted, "near_copy_negatives_rejected": near.rejected,
                                "exposure_days": exposure, **tview.stats()})
