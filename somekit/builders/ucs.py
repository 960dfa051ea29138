"""`ucs`: user comment simulation (did user U write this comment under post P? yes/no).

Yes: the user's real comment. No (hard negative): another user's comment under the same post whose
normalised content differs from every comment U left there; so the post is the same and only the
voice differs. SoMe's default is 2,000 of each; n counts each label. Shortfalls are reported.
"""

from __future__ import annotations

from typing import Any

from ..schemas.items import CommentInputs, UCSItem, YesNoAnswer, item_id
from ..schemas.provenance import Provenance
from ..store.items import write_items
from ..store.query import connect
from .query_templates import render
from .registry import BuildResult, register_builder
from .sampling import corpus_lang, norm_sql, rand_sql, resolve, seeded_order, shortfall

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


def _rank_positives(con, seed: int, per_user: int) -> int:
    kinds = ", ".join(f"'{k}'" for k in COMMENT_KINDS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ucs_pos AS
        WITH c AS (
            SELECT i.id, i.user_id, i.post_id, i.text FROM interactions i JOIN posts p ON p.id = i.post_id
            WHERE i.kind IN ({kinds}) AND trim(coalesce(i.text, '')) <> ''
            QUALIFY row_number() OVER (PARTITION BY i.user_id, i.post_id ORDER BY {rand_sql(seed, 'i.id')}, i.id) = 1),
        pu AS (SELECT * FROM c QUALIFY row_number() OVER (PARTITION BY user_id ORDER BY {rand_sql(seed, 'id')}, id) <= {per_user})
        SELECT *, row_number() OVER (ORDER BY {rand_sql(seed, 'id')}, id) AS rank FROM pu""")
    return con.execute("SELECT count(*) FROM ucs_pos").fetchall()[0][0]


def _pairs(con, seed: int, take: int) -> list[tuple]:
    """(anchor, user, post, text, neg_id, neg_text) for the first `take` ranked positives that
    have a valid hard negative, in rank order. Only comments under those posts are normalised."""
    kinds = ", ".join(f"'{k}'" for k in COMMENT_KINDS)
    return con.execute(f"""
        WITH a AS (SELECT * FROM ucs_pos WHERE rank <= {take}),
        c AS (
            SELECT i.id, i.user_id, i.post_id, i.text, {norm_sql('i.text')} AS tn FROM interactions i
            WHERE i.kind IN ({kinds}) AND i.post_id IN (SELECT post_id FROM a)),
        mine AS (SELECT DISTINCT c.user_id, c.post_id, c.tn FROM c JOIN a USING (user_id, post_id)),
        cand AS (
            SELECT a.id AS anchor, o.id AS neg_id, o.text AS neg_text, {rand_sql(seed, 'a.id', 'o.id')} AS h
            FROM a JOIN c o ON o.post_id = a.post_id AND o.user_id <> a.user_id AND o.tn <> ''
            WHERE NOT EXISTS (SELECT 1 FROM mine m WHERE m.user_id = a.user_id AND m.post_id = a.post_id AND m.tn = o.tn)),
        pick AS (SELECT anchor, arg_min(neg_id, h) AS neg_id FROM cand GROUP BY anchor)
        SELECT a.id, a.user_id, a.post_id, a.text, p.neg_id, o.text
        FROM a JOIN pick p ON p.anchor = a.id JOIN interactions o ON o.id = p.neg_id
        QUALIFY row_number() OVER (PARTITION BY a.id ORDER BY o.source) = 1
        ORDER BY a.rank""").fetchall()


@register_builder("ucs")
def build_ucs(ws, cfg, n: int | None = None, seed: int | None = None, lang: str | None = None,
              **overrides: Any) -> BuildResult:
    n, seed, options = resolve(cfg, "ucs", n, seed, DEFAULT_N)
    options.update(overrides)
    con = connect(ws.corpus)
    lang = corpus_lang(con, cfg, lang)
    total = _rank_positives(con, seed, int(options.get("per_user", 2)))
    take = min(total, n * 2 + 64)
    while True:  # widen the seeded prefix until n pairs or no positives left
        rows = _pairs(con, seed, take)
        if len(rows) >= n or take >= total:
            break
        take = min(total, take * 2)
    rows = rows[:n]
    items = []
    for anchor, user, post, text, neg_id, neg_text in rows:
        items.append(_item(user, post, anchor, text, True, lang, seed, [anchor, post], "positive:own-comment", {}))
        items.append(_item(user, post, neg_id, neg_text, False, lang, seed, [neg_id, post],
                           "negative:other-user-same-post:content-differs", {"anchor": anchor}))
    missing = shortfall(n, len(rows))
    stats = {"seed": seed, "lang": lang,
             "buckets": {label: {"wanted": n, "built": len(rows), "shortfall": missing} for label in ("yes", "no")}}
    warnings = [f"ucs {label}: corpus supplied {len(rows)} of {n} ({missing} short)" for label in ("yes", "no") if missing]
    items = seeded_order(items, seed)
    stats["items"] = len(items)
    write_items(ws, "ucs", items, stats={**stats, "warnings": warnings})
    return BuildResult("ucs", len(items), stats, warnings)
