"""`ubp`: user behaviour prediction (will user U like / repost / comment on post P? yes/no).

Per action type, n items: n/2 real interactions (yes) and as many posts the same user never
touched in any way (no), drawn from the positives' own post distribution (builders/pairs.py). A
plain repost would give away a "will they comment?" answer, hence "any way" by default (option
`negative_kinds = "same"` relaxes it to the asked kind). Shortfalls are reported, never padded.

Every item of an action carries the same fields whatever its label: comment items show a comment
text on both labels (SoMe does; a text only on "yes" items answered them), the negative's being a
real comment by another user under the negative post, the closest in length to the positive's;
like and repost items show none. Weibo's auto-filled repost text makes a repost, not a comment.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from ...schemas.items import UBPInputs, UBPItem, YesNoAnswer, item_id
from ...schemas.provenance import Provenance
from ...store.items import write_items
from ..comment_text import short_comments
from ..exposure import create_live_days
from ..pairs import (HistoryBudget, create_acts, create_negative_pool, create_post_bands,
                    rank_positives, sample_pairs)
from ..query_templates import render
from ..registry import BuildResult, register_builder
from ..reuse import ReuseGuard
from ...store.language import corpus_lang
from ..sampling import open_corpus, rand_sql, resolve, seeded_order, shortfall

BUILDER = "ubp@3"
ACTIONS = ("like", "repost", "comment")
DEFAULT_N = 1000  # items per action type (SoMe: 500 yes + 500 no each)
#: Which acts make a positive for each action: a comment needs words of its own.
POSITIVE_WHERE = {"like": "a.kind = 'like'", "repost": "a.kind = 'repost'",
                  "comment": "a.kind = 'comment' AND length(a.clean) >= {min_chars}"}


def _item(user: str, post: str, action: str, text: str | None, yes: bool, lang: str, seed: int,
          sources: list[str], rule: str, notes: dict[str, Any]) -> UBPItem:
    inputs = UBPInputs(user_id=user, post_id=post, action=action, text=text)
    query, template_id = render(f"ubp.{action}", lang, user_id=user, post_id=post)
    return UBPItem(
        id=item_id("ubp", inputs.model_dump(mode="json")), query=query, template_id=template_id, lang=lang,
        inputs=inputs, answer=YesNoAnswer(label="yes" if yes else "no"),
        provenance=Provenance(source_ids=sources, rule=rule, seed=seed, builder=BUILDER, notes=notes),
    )


def negative_texts(con: duckdb.DuckDBPyConnection, seed: int, min_history: int, min_chars: int):
    """A `keep` filter for comment pairs: attaches to each pair a real comment (id, text) by
    another user under the negative post, the closest in length to the positive's text (ties: a
    seeded draw); pairs whose negative post has no such comment are dropped. Authors who could
    never be asked come first: the export hides a shown text from every history, so taking an
    askable user's comment would cost that user history."""

    #: Candidate comments per post, drawn once (a viral post's 100k comments cost no more than 64).
    per_post = 64
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ubp_text_pool AS
        SELECT post_id, id, user_id, text, length(text) AS len,
               user_id IN (SELECT user_id FROM history WHERE n > {int(min_history)}) AS askable,
               row_number() OVER (PARTITION BY post_id ORDER BY {rand_sql(seed, 'id', salt='ubp:text')}, id) AS r
        FROM acts WHERE kind = 'comment' AND length(clean) >= {int(min_chars)}
        QUALIFY r <= {per_post}""")

    def keep(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not pairs:
            return pairs
        con.register("_ubp_pairs", pa.table({
            "anchor": pa.array([p["anchor"] for p in pairs], pa.string()),
            "user_id": pa.array([p["user_id"] for p in pairs], pa.string()),
            "neg_post": pa.array([p["neg_post"] for p in pairs], pa.string()),
            "pos_len": pa.array([len(p["text"] or "") for p in pairs], pa.int64())}))
        rows = con.execute("""
            SELECT p.anchor, a.id, a.text FROM _ubp_pairs p JOIN ubp_text_pool a ON a.post_id = p.neg_post
            WHERE a.user_id <> p.user_id
            QUALIFY row_number() OVER (PARTITION BY p.anchor ORDER BY a.askable, abs(a.len - p.pos_len), a.r) = 1
            """).fetchall()
        con.unregister("_ubp_pairs")
        found = {anchor: (cid, text) for anchor, cid, text in rows}
        return [{**p, "neg_text_id": found[p["anchor"]][0], "neg_text": found[p["anchor"]][1]}
                for p in pairs if p["anchor"] in found]

    return keep


def _no_reuse(keep, reuse: ReuseGuard):
    """Comment pairs whose texts (positive and negative) no other task labels or shows."""
    return lambda pairs: reuse.keep(keep(pairs), labelled=("text", "neg_text"), shown=("text", "neg_text"))


@register_builder("ubp")
def build_ubp(ws, cfg, n: int | None = None, seed: int | None = None, lang: str | None = None,
              actions: tuple[str, ...] = ACTIONS, **overrides: Any) -> BuildResult:
    n, seed, options = resolve(cfg, "ubp", n, seed, DEFAULT_N, overrides)
    pool, weighting, min_history, exposure = options.pool, options.weighting, options.min_history, options.exposure_days
    same_kind = options.negative_kinds == "same"
    con = open_corpus(ws)
    lang = corpus_lang(con, lang, cfg)
    comments = create_acts(con)
    if exposure is not None:
        create_live_days(con)
    create_post_bands(con, pool, options, with_text=False)  # UBP has no content rule
    stats: dict[str, Any] = {"pool": pool, "weighting": weighting, "seed": seed, "salt": "ubp", "lang": lang,
                             "min_history": min_history, "comments": comments, "duckdb": duckdb.__version__, "buckets": {}}
    items, warnings = [], []
    min_chars = options.min_chars
    stats["comments"]["short_dropped"] = short_comments(con, "'comment'", min_chars)
    stats["min_chars"] = min_chars
    where = " OR ".join(f"(a.kind = '{a}' AND {POSITIVE_WHERE[a].format(min_chars=min_chars)})" for a in actions)
    rank_positives(con, "ubp_ranked", where, seed, "ubp", min_history, by_kind=True)  # one pass for all actions
    budget = HistoryBudget(con, min_history)
    counted = budget.preload(ws, "ubp")
    reuse = ReuseGuard(ws, "ubp")  # no comment text another task labels or shows (issue 32)
    for action in actions:
        half = n // 2
        con.execute(f"CREATE OR REPLACE TEMP TABLE ubp_pos AS SELECT * EXCLUDE (kind) FROM ubp_ranked WHERE kind = '{action}'")
        create_negative_pool(con, "ubp_pos", weighting, seed, f"ubp:{action}", exposure)
        pairs = sample_pairs(con, "ubp_pos", half, seed, f"ubp:{action}", budget, per_user=options.per_user,
                             tries=options.tries, exposure_days=exposure,
                             negative_kinds=[action] if same_kind else None,
                             keep=_no_reuse(negative_texts(con, seed, min_history, min_chars), reuse) if action == "comment" else None)
        for p in pairs:
            notes = {"pool": pool, "band": p["band"]}
            with_text = action == "comment"
            items.append(_item(p["user_id"], p["post_id"], action, p["text"] if with_text else None, True, lang, seed,
                               [p["anchor"], p["post_id"]], "positive:interaction", notes))
            neg_sources = [p["neg_post"]] + ([p["neg_text_id"]] if with_text else [])
            items.append(_item(p["user_id"], p["neg_post"], action, p.get("neg_text") if with_text else None, False, lang, seed,
                               neg_sources, "negative:not-interacted" + (f":{action}" if same_kind else ""),
                               {**notes, "anchor": p["anchor"], **({"text": "other-user-comment"} if with_text else {})}))
        for label in ("yes", "no"):
            missing = shortfall(half, len(pairs))
            stats["buckets"][f"{action}/{label}"] = {"wanted": half, "built": len(pairs), "shortfall": missing}
            if missing:
                warnings.append(f"ubp {action}/{label}: corpus supplied {len(pairs)} of {half} ({missing} short)")
    stats["min_history_skipped"] = budget.skipped
    stats["min_history_counts_tasks"] = counted
    stats["cross_task_reuse"] = reuse.stats()
    items = seeded_order(items, seed)
    stats["items"] = len(items)
    write_items(ws, "ubp", items, stats={**stats, "warnings": warnings})
    return BuildResult("ubp", len(items), stats, warnings)
