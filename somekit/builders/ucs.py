"""`ucs`: user comment simulation (did user U write this comment under post P? yes/no).

Yes: the user's real comment. No (hard negative): another user's comment under the same post whose
normalised content differs from every comment U left there; so the post is the same and only the
voice differs. SoMe's default is 2,000 of each; n counts each label. Shortfalls are reported.
"""

from __future__ import annotations

from typing import Any

from ..schemas.items import CommentInputs, UCSItem, YesNoAnswer, item_id
from ..schemas.provenance import Provenance
from .query_templates import render
from .registry import BuildResult, register_builder
from .sampling import (finish_paired_build, DEFAULT_TRIES, corpus_lang, cosine_keep, keep_first, norm_sql, open_corpus, rand_sql, rank_positives, resolve,
                       take_anchors)

BUILDER = "ucs@1"
DEFAULT_N = 2000  # per label
COMMENT_KINDS = ("comment", "reply")


def _item(user: str, post: str, comment_id: str, comment: str, yes: bool, lang: str, seed: int,
          sources: list[str], rule: str, notes: dict[str, Any]) -> UCSItem:
    inputs = CommentInputs(user_id=user, post_id=post, comment_id=comment_id, comment=comment)
    query, template_id = render("ucs", lang, user_id=user, post_id=post, comment=comment)
    return UCSItem(
        id=item_id("ucs", inputs.model_dump(mode="json")), query=query, template_id=template_id, lang=lang,
        inputs=inputs, answer=YesNoAnswer(label="yes" if yes else "no"),
        provenance=Provenance(source_ids=sources, rule=rule, seed=seed, builder=BUILDER, notes=notes),
    )


def _pairs(con, seed: int, tries: int) -> list[dict[str, Any]]:
    """Dicts (anchor, user_id, post_id, text, neg_id, neg_text) for the current `anchors` that have a valid
    hard negative, in rank order. Each anchor draws `tries` random comments of its post (by a
    seeded rank inside the post), so a post with 100k comments costs as little as one with 10."""
    kinds = ", ".join(f"'{k}'" for k in COMMENT_KINDS)
    rows = con.execute(f"""
        WITH pc AS (
            SELECT i.id, i.user_id, i.post_id, i.text,
                   row_number() OVER (PARTITION BY i.post_id ORDER BY {rand_sql(seed, 'i.id')}, i.id) - 1 AS r,
                   count(*) OVER (PARTITION BY i.post_id) AS n
            FROM interactions i
            WHERE i.kind IN ({kinds}) AND i.post_id IN (SELECT post_id FROM anchors)),
        mine AS (SELECT DISTINCT i.user_id, i.post_id, {norm_sql('i.text')} AS tn
                 FROM interactions i JOIN anchors a USING (user_id, post_id) WHERE i.kind IN ({kinds})),
        draws AS (
            SELECT a.anchor, a.user_id, a.post_id, t.k, CAST({rand_sql(seed, 'a.anchor', 't.k')} % p.n AS BIGINT) AS r
            FROM anchors a CROSS JOIN range({int(tries)}) t(k)
            JOIN (SELECT DISTINCT post_id, n FROM pc) p ON p.post_id = a.post_id),
        cand AS (
            SELECT d.anchor, d.k, o.id AS neg_id, o.text AS neg_text, {norm_sql('o.text')} AS tn, d.user_id, d.post_id
            FROM draws d JOIN pc o ON o.post_id = d.post_id AND o.r = d.r
            WHERE o.user_id <> d.user_id),
        ok AS (
            SELECT * FROM cand c WHERE c.tn <> ''
              AND NOT EXISTS (SELECT 1 FROM mine m WHERE m.user_id = c.user_id AND m.post_id = c.post_id AND m.tn = c.tn)),
        pick AS (SELECT anchor, arg_min(neg_id, k) AS neg_id, arg_min(neg_text, k) AS neg_text FROM ok GROUP BY anchor)
        SELECT a.anchor, a.user_id, a.post_id, a.text, p.neg_id, p.neg_text
        FROM anchors a JOIN pick p USING (anchor) ORDER BY a.rank""").fetchall()
    names = ("anchor", "user_id", "post_id", "text", "neg_id", "neg_text")
    return [dict(zip(names, row)) for row in rows]


@register_builder("ucs")
def build_ucs(ws, cfg, n: int | None = None, seed: int | None = None, lang: str | None = None,
              **overrides: Any) -> BuildResult:
    n, seed, options = resolve(cfg, "ucs", n, seed, DEFAULT_N)
    options.update(overrides)
    con = open_corpus(ws)
    lang = corpus_lang(con, cfg, lang)
    kinds = ", ".join(f"'{k}'" for k in COMMENT_KINDS)
    total = rank_positives(con, "ucs_pos", f"i.kind IN ({kinds}) AND trim(coalesce(i.text, '')) <> ''", seed)
    keep = None
    if options.get("max_cosine") is not None:  # embedding content rule, opt-in (it embeds every pair)
        keep = cosine_keep(ws, cfg, float(options["max_cosine"]), lambda ps: [(p["text"], p["neg_text"]) for p in ps])
    take = min(total, n * 2 + 64)
    while True:  # widen the seeded prefix until n pairs or no positives left
        take_anchors(con, "ucs_pos", take, int(options.get("per_user", 2)))
        rows = _pairs(con, seed, int(options.get("tries", DEFAULT_TRIES)))
        if keep is not None:
            rows = keep_first(rows, n, keep)
        if len(rows) >= n or take >= total:
            break
        take = min(total, take * 2)
    rows = rows[:n]
    items = []
    for r in rows:
        notes = {"cosine": r["cosine"]} if "cosine" in r else {}
        items.append(_item(r["user_id"], r["post_id"], r["anchor"], r["text"], True, lang, seed, [r["anchor"], r["post_id"]],
                           "positive:own-comment", notes))
        items.append(_item(r["user_id"], r["post_id"], r["neg_id"], r["neg_text"], False, lang, seed, [r["neg_id"], r["post_id"]],
                           "negative:other-user-same-post:content-differs", {"anchor": r["anchor"], **notes}))
    return finish_paired_build(ws, "ucs", items, n, len(rows), seed, {"lang": lang})
