"""`ubp`: user behaviour prediction (will user U like / repost / comment on post P? yes/no).

Per action type, n items: n/2 real interactions (yes) and as many posts the same user never
touched in any way (no), drawn from the positive post's band of the negative pool. A plain repost
would give away a "will they comment?" answer, hence "any way" by default (option
`negative_kinds = "same"` relaxes it to the asked kind). Shortfalls are reported, never padded.
"""

from __future__ import annotations

from typing import Any

import duckdb

from ..schemas.items import UBPInputs, UBPItem, YesNoAnswer, item_id
from ..schemas.provenance import Provenance
from ..store.items import write_items
from .query_templates import render
from .registry import BuildResult, register_builder
from .sampling import (DEFAULT_TRIES, corpus_lang, create_post_bands, open_corpus, rank_positives, resolve,
                       sample_pairs, seeded_order, shortfall)

BUILDER = "ubp@1"
ACTIONS = ("like", "repost", "comment")
DEFAULT_N = 1000  # items per action type (SoMe: 500 yes + 500 no each)


def _item(user: str, post: str, action: str, text: str | None, yes: bool, lang: str, seed: int,
          sources: list[str], rule: str, notes: dict[str, Any]) -> UBPItem:
    inputs = UBPInputs(user_id=user, post_id=post, action=action, text=text if yes and text else None)
    query, template_id = render(f"ubp.{action}", lang, user_id=user, post_id=post)
    return UBPItem(
        id=item_id("ubp", inputs.model_dump(mode="json")), query=query, template_id=template_id, lang=lang,
        inputs=inputs, answer=YesNoAnswer(label="yes" if yes else "no"),
        provenance=Provenance(source_ids=sources, rule=rule, seed=seed, builder=BUILDER, notes=notes),
    )


@register_builder("ubp")
def build_ubp(ws, cfg, n: int | None = None, seed: int | None = None, lang: str | None = None,
              actions: tuple[str, ...] = ACTIONS, **overrides: Any) -> BuildResult:
    n, seed, options = resolve(cfg, "ubp", n, seed, DEFAULT_N)
    options.update(overrides)
    pool = str(options.get("pool", "popularity"))
    same_kind = options.get("negative_kinds", "any") == "same"
    con = open_corpus(ws)
    lang = corpus_lang(con, cfg, lang)
    create_post_bands(con, pool, options, seed, with_text=False)  # UBP has no content rule
    items, stats, warnings = [], {"pool": pool, "seed": seed, "lang": lang, "duckdb": duckdb.__version__, "buckets": {}}, []
    kinds = ", ".join(f"'{a}'" for a in actions)
    rank_positives(con, "ubp_ranked", f"i.kind IN ({kinds})", seed, by_kind=True)  # one pass for all actions
    for action in actions:
        half = n // 2
        pairs = sample_pairs(con, [action], half, seed, per_user=int(options.get("per_user", 1)),
                             tries=int(options.get("tries", DEFAULT_TRIES)),
                             negative_kinds=[action] if same_kind else None, ranked="ubp_ranked")
        for p in pairs:
            notes = {"pool": pool, "band": p["band"]}
            items.append(_item(p["user_id"], p["post_id"], action, p["text"], True, lang, seed,
                               [p["anchor"], p["post_id"]], "positive:interaction", notes))
            items.append(_item(p["user_id"], p["neg_post"], action, None, False, lang, seed, [p["neg_post"]],
                               "negative:not-interacted" + (f":{action}" if same_kind else ""),
                               {**notes, "anchor": p["anchor"]}))
        for label in ("yes", "no"):
            missing = shortfall(half, len(pairs))
            stats["buckets"][f"{action}/{label}"] = {"wanted": half, "built": len(pairs), "shortfall": missing}
            if missing:
                warnings.append(f"ubp {action}/{label}: corpus supplied {len(pairs)} of {half} ({missing} short)")
    items = seeded_order(items, seed)
    stats["items"] = len(items)
    write_items(ws, "ubp", items, stats={**stats, "warnings": warnings})
    return BuildResult("ubp", len(items), stats, warnings)
