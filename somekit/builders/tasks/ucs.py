"""`ucs`: user comment simulation (did user U write this comment under post P? yes/no).

Yes: the user's real comment (never under their own post). No (hard negative): another user's
comment under the same post whose words are no near-copy (same event: builders/events.py) of
any comment U wrote anywhere, the closest in
length to U's among a seeded draw; so the post is the same and only the voice differs. Comments
with no words of their own (repost boilerplate, emoji codes, @mentions, //@ chains:
builders/comment_text.py) are neither, nor are comments shorter than `min_chars` characters of
their own words (counted in stats as dropped). Asked users keep `min_history` touched posts. SoMe's
default is 2,000 of each; n counts each label. Shortfalls are reported.
"""

from __future__ import annotations

from typing import Any

from ...schemas.items import CommentInputs, UCSItem, YesNoAnswer, item_id
from ...schemas.provenance import Provenance
from ..query_templates import render
from ..registry import BuildResult, register_builder
from ..reuse import ReuseGuard
from ..comment_text import short_comments
from ..events import near_copy
from ..pairs import HistoryBudget, create_acts, rank_positives, take_anchors
from ...store.language import corpus_lang
from ..sampling import (cosine_keep, finish_paired_build, hex_int_sql, keep_first, open_corpus,
                       rand_sql, resolve)

BUILDER = "ucs@3"
DEFAULT_N = 2000  # per label
COMMENT_KINDS = ("comment", "reply")


def comment_ref(interaction_id: str) -> str:
    """The comment id shown in inputs: the interaction id, except a Bluesky at:// URI, which names
    its author (and so would answer "did U write this?"): that becomes 'cmt:' + md5 of the URI."""
    if interaction_id.startswith("at://"):
        import hashlib

        return "cmt:" + hashlib.md5(interaction_id.encode("utf-8")).hexdigest()
    return interaction_id


def _item(user: str, post: str, comment_id: str, comment: str, yes: bool, lang: str, seed: int,
          sources: list[str], rule: str, notes: dict[str, Any]) -> UCSItem:
    inputs = CommentInputs(user_id=user, post_id=post, comment_id=comment_ref(comment_id), comment=comment)
    query, template_id = render("ucs", lang, user_id=user, post_id=post, comment=comment)
    return UCSItem(
        id=item_id("ucs", inputs.model_dump(mode="json")), query=query, template_id=template_id, lang=lang,
        inputs=inputs, answer=YesNoAnswer(label="yes" if yes else "no"),
        provenance=Provenance(source_ids=sources, rule=rule, seed=seed, builder=BUILDER, notes=notes),
    )


def _pairs(con, seed: int, tries: int, min_history: int, min_chars: int, near) -> list[dict[str, Any]]:
    """Dicts (anchor, user_id, post_id, text, neg_id, neg_text) for the current `anchors` that have a valid
    hard negative, in rank order. Each anchor draws `tries` random comments of its post (by a
    seeded rank inside the post), so a post with 100k comments costs as little as one with 10;
    a draw is valid when its words are no near-copy (builders/events.py, pairwise) of any
    comment the user wrote; of the valid ones it keeps the closest in length to the positive, so
    length says nothing, preferring authors who can never be asked (the export hides a shown
    text from every history, which would cost an askable author history)."""
    kinds = ", ".join(f"'{k}'" for k in COMMENT_KINDS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ucs_draws AS
        WITH pc AS (
            SELECT a.id, a.user_id, a.post_id, a.text, a.clean,
                   row_number() OVER (PARTITION BY a.post_id ORDER BY {rand_sql(seed, 'a.id', salt='ucs:rank')}, a.id) - 1 AS r,
                   count(*) OVER (PARTITION BY a.post_id) AS n
            FROM acts a
            WHERE a.kind IN ({kinds}) AND length(a.clean) >= {int(min_chars)} AND a.post_id IN (SELECT post_id FROM anchors)),
        d0 AS (SELECT a.anchor, a.user_id, a.post_id, length(a.text) AS pos_len, t.k,
                      {rand_sql(seed, 'a.anchor', 't.k', salt='ucs:neg')} AS h
               FROM anchors a CROSS JOIN range({int(tries)}) t(k)),
        draws AS (SELECT d0.*, {hex_int_sql('d0.h')} % p.n AS r
                  FROM d0 JOIN (SELECT DISTINCT post_id, n FROM pc) p ON p.post_id = d0.post_id)
        SELECT d.anchor, d.user_id, d.k, o.id AS neg_id, o.text AS neg_text, o.clean, abs(length(o.text) - d.pos_len) AS dl,
               o.user_id IN (SELECT user_id FROM history WHERE n > {int(min_history)}) AS askable
        FROM draws d JOIN pc o ON o.post_id = d.post_id AND o.r = d.r
        WHERE o.user_id <> d.user_id""")
    mine: dict[str, set[str]] = {}
    for user, clean in con.execute(f"""
            SELECT DISTINCT a.user_id, a.clean FROM acts a
            WHERE a.user_id IN (SELECT user_id FROM anchors) AND a.kind IN ({kinds}) AND a.clean <> ''""").fetchall():
        mine.setdefault(user, set()).add(clean)
    draws = con.execute("SELECT anchor, user_id, k, neg_id, neg_text, clean, dl, askable FROM ucs_draws").fetchall()
    best: dict[str, tuple] = {}
    for anchor, user, k, neg_id, neg_text, clean, dl, askable in draws:
        if any(clean == c or near(clean, c) for c in mine.get(user, ())):
            continue
        key = (askable, dl, k)
        if anchor not in best or key < best[anchor][0]:
            best[anchor] = (key, neg_id, neg_text)
    rows = con.execute("SELECT anchor, user_id, post_id, text FROM anchors ORDER BY rank").fetchall()
    return [{"anchor": a, "user_id": u, "post_id": p, "text": t, "neg_id": best[a][1], "neg_text": best[a][2]}
            for a, u, p, t in rows if a in best]


def _within_budget(rows: list[dict[str, Any]], budget: HistoryBudget) -> list[dict[str, Any]]:
    trial = budget.copy()
    budget.load(r["user_id"] for r in rows)
    kept = []
    for r in rows:
        if trial.allows(r["user_id"], r["post_id"]):
            trial.take(r["user_id"], r["post_id"])
            kept.append(r)
        else:
            trial.skipped += 1
    budget.skipped = trial.skipped
    return kept


@register_builder("ucs")
def build_ucs(ws, cfg, n: int | None = None, seed: int | None = None, lang: str | None = None,
              **overrides: Any) -> BuildResult:
    n, seed, options = resolve(cfg, "ucs", n, seed, DEFAULT_N, overrides)
    min_history = options.min_history
    con = open_corpus(ws)
    lang = corpus_lang(con, lang, cfg)
    comments = create_acts(con)
    kinds = ", ".join(f"'{k}'" for k in COMMENT_KINDS)
    min_chars = options.min_chars
    total = rank_positives(con, "ucs_pos", f"a.kind IN ({kinds}) AND length(a.clean) >= {min_chars}", seed, "ucs", min_history)
    threshold, shingle = options.event_threshold, options.shingle

    def near(a: str, b: str) -> bool:
        return near_copy(a, b, threshold, shingle)

    keep = None
    if options.max_cosine is not None:  # embedding content rule, opt-in (it embeds every pair)
        keep = cosine_keep(ws, cfg, options.max_cosine, lambda ps: [(p["text"], p["neg_text"]) for p in ps])
    take = min(total, n * 2 + 64)
    budget = HistoryBudget(con, min_history)
    counted = budget.preload(ws, "ucs")
    reuse = ReuseGuard(ws, "ucs")  # no comment another task labels or shows (issue 32)
    while True:  # widen the seeded prefix until n pairs or no positives left
        take_anchors(con, "ucs_pos", take, options.per_user)
        rows = reuse.keep(_pairs(con, seed, options.tries, min_history, min_chars, near),
                          labelled=("text", "neg_text"), shown=("text", "neg_text"))
        rows = _within_budget(rows, budget)
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
    return finish_paired_build(ws, "ucs", items, n, len(rows), seed,
                               {"lang": lang, "salt": "ucs", "min_history": min_history, "min_history_skipped": budget.skipped,
                                "min_history_counts_tasks": counted,
                                "comments": comments, "cross_task_reuse": reuse.stats(), "min_chars": min_chars,
                                "short_comments_dropped": short_comments(con, kinds, min_chars),
                                "empty_comment_share": round(comments["empty_comments"] / comments["comments"], 4)
                                if comments["comments"] else 0.0})
