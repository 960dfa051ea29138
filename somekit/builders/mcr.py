"""`mcr`: media content recommendation (should post P be recommended to user U? yes/no).

Yes: a post the user interacted with (any kind on a post). No: a post from the same band of the
negative pool that the user never interacted with and whose normalised text differs from the
positive's (a re-post of the same text under another id would be a disguised positive). SoMe's
default is 2,000 of each; n counts each label. Shortfalls are reported, never padded.
"""

from __future__ import annotations

from typing import Any

from ..schemas.items import MCRItem, UserPostInputs, YesNoAnswer, item_id
from ..schemas.provenance import Provenance
from .query_templates import render
from .enrich.textview import use_post_text
from .registry import BuildResult, register_builder
from .sampling import (finish_paired_build, DEFAULT_TRIES, corpus_lang, cosine_keep, create_post_bands, open_corpus, post_texts_for, resolve,
                       sample_pairs)

BUILDER = "mcr@1"
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
    n, seed, options = resolve(cfg, "mcr", n, seed, DEFAULT_N)
    options.update(overrides)
    pool = str(options.get("pool", "popularity"))
    con = open_corpus(ws)
    tview = use_post_text(con, ws, cfg, "mcr")  # the content rule compares body + media text
    lang = corpus_lang(con, cfg, lang)
    create_post_bands(con, pool, options, seed)
    keep = None
    if options.get("max_cosine") is not None:  # embedding content rule, opt-in (it embeds every pair)
        keep = cosine_keep(ws, cfg, float(options["max_cosine"]), post_texts_for(con))
    pairs = sample_pairs(con, ENGAGE, n, seed, per_user=int(options.get("per_user", 2)),
                         tries=int(options.get("tries", DEFAULT_TRIES)), differ_content=True, keep=keep)
    items = []
    for p in pairs:
        notes = {"pool": pool, "band": p["band"], **({"cosine": p["cosine"]} if "cosine" in p else {})}
        items.append(_item(p["user_id"], p["post_id"], True, lang, seed, [p["anchor"], p["post_id"]],
                           f"positive:interaction:{p['kind']}", notes))
        items.append(_item(p["user_id"], p["neg_post"], False, lang, seed, [p["neg_post"]],
                           "negative:not-interacted:content-differs", {**notes, "anchor": p["anchor"]}))
    return finish_paired_build(ws, "mcr", tview.stamp(items), n, len(pairs), seed, {"pool": pool, "lang": lang, **tview.stats()})
