"""Integrity checks for the templated tasks (ubp ucs mcr mid) and generic ones for every task.

Generic: provenance on 100% of items with stable ids, no duplicate ids or queries, no answer-order
pattern (a runs test on the labels in file order). Templated: positives are real interactions,
negatives were never interacted with, UCS negatives are another user's different comment under the
same post, labels are balanced per bucket, MID labels follow the 6->3 mapping. Corpus checks are
single SQL queries against the `items` table the runner provides.
"""

from __future__ import annotations

import collections
import math
from typing import Iterator

from ..schemas.items import item_id
from ..schemas.tasks import task_codes
from . import CheckContext, Violation, register_check
from .textrules import own_words

YESNO = task_codes(paired=True)
NOT_INTERACTED = task_codes(negative="not-interacted")
#: docs/architecture.md, "Evaluation"'s 6 -> 3 mapping, written here again so the check does not share the builder's
#: table (RAWFC's own 3-way labels map to themselves).
TO3 = {"pants-fire": "false", "false": "false", "barely-true": "half", "half-true": "half",
       "mostly-true": "true", "true": "true", "half": "half"}
#: |z| of the runs test above which an answer order counts as patterned (random order: p < 1e-6).
RUNS_Z = 5.0


def _rows(ctx: CheckContext, check: str, sql: str) -> Iterator[Violation]:
    """Violations from a query returning (item id, detail) rows."""
    for item, detail in ctx.con.execute(sql).fetchall():
        yield Violation(check, ctx.task, item, detail)


@register_check("provenance")
def provenance(ctx: CheckContext) -> Iterator[Violation]:
    for item in ctx.items:
        prov = item.provenance
        if not prov.rule or not prov.builder:
            yield Violation("provenance", ctx.task, item.id, "provenance lacks a rule or builder")
        elif not prov.source_ids and not prov.llm:
            yield Violation("provenance", ctx.task, item.id, "provenance names no source record and no LLM step")
        expected = item_id(item.task, item.inputs.model_dump(mode="json"))
        # A reviewer's correction may edit inputs (an SMQ question); the id stays the draft's so
        # that Label Studio sync keeps mapping to it.
        if item.id != expected and item.review.state != "corrected":
            yield Violation("provenance", ctx.task, item.id, f"id does not match its inputs (expected {expected})")


@register_check("duplicates")
def duplicates(ctx: CheckContext) -> Iterator[Violation]:
    for column, what in (("id", "id"), ("query", "query")):
        yield from _rows(ctx, f"duplicate-{what}", f"""
            SELECT id, 'same {what} as item ' || first_id FROM (
                SELECT id, {column}, first(id) OVER (PARTITION BY {column} ORDER BY pos) AS first_id,
                       row_number() OVER (PARTITION BY {column} ORDER BY pos) AS k FROM items)
            WHERE k > 1 ORDER BY id""")


def runs_z(labels: list[str], target: str) -> float:
    """Wald-Wolfowitz runs test z-score of `target` vs the rest in sequence order."""
    seq = [label == target for label in labels]
    n1, n = sum(seq), len(seq)
    n2 = n - n1
    if n1 == 0 or n2 == 0 or n < 3:
        return 0.0
    runs = 1 + sum(1 for a, b in zip(seq, seq[1:]) if a != b)
    mu = 2 * n1 * n2 / n + 1
    var = 2 * n1 * n2 * (2 * n1 * n2 - n) / (n * n * (n - 1))
    return (runs - mu) / math.sqrt(var) if var > 0 else 0.0


@register_check("answer-order")
def answer_order(ctx: CheckContext) -> Iterator[Violation]:
    labels = [r[0] for r in ctx.con.execute("SELECT label FROM items WHERE label IS NOT NULL ORDER BY pos").fetchall()]
    for target, count in sorted(collections.Counter(labels).items()):
        if count < 10 or len(labels) - count < 10:
            continue
        z = runs_z(labels, target)
        if abs(z) > RUNS_Z:
            kind = "alternates too regularly" if z > 0 else "is clustered"
            yield Violation("answer-order", ctx.task, "", f"order of {target!r} answers {kind} (runs test z={z:.1f})")
            return


@register_check("label-balance", YESNO)
def label_balance(ctx: CheckContext) -> Iterator[Violation]:
    bucket = "coalesce(action, '')"
    yield from _rows(ctx, "label-balance", f"""
        SELECT '', 'bucket ' || b || ': ' || y || ' yes vs ' || n || ' no' FROM (
            SELECT {bucket} AS b, count(*) FILTER (WHERE label = 'yes') AS y, count(*) FILTER (WHERE label = 'no') AS n
            FROM items GROUP BY b) WHERE y <> n ORDER BY b""")


def _kind_filter(ctx: CheckContext) -> str:
    """For UBP negatives built with `negative_kinds = "same"` only the asked kind counts."""
    if ctx.task == "ubp":
        return "AND (NOT ends_with(t.rule, ':' || t.action) OR i.kind = t.action)"
    return ""


@register_check("negative-valid", NOT_INTERACTED)
def negative_valid(ctx: CheckContext) -> Iterator[Violation]:
    yield from _rows(ctx, "negative-valid", f"""
        SELECT t.id, 'user ' || t.user_id || ' did ' || string_agg(DISTINCT i.kind, '/' ORDER BY i.kind)
                     || ' post ' || t.post_id || ' (interaction ' || min(i.id) || ') but the answer is no'
        FROM items t JOIN interactions i ON i.user_id = t.user_id AND i.post_id = t.post_id
        WHERE t.label = 'no' {_kind_filter(ctx)} GROUP BY t.id, t.user_id, t.post_id ORDER BY t.id""")
    yield from _rows(ctx, "negative-valid", """
        SELECT t.id, 'user ' || t.user_id || ' wrote post ' || t.post_id || ' but the answer is no'
        FROM items t JOIN posts p ON p.id = t.post_id AND p.author_id = t.user_id
        WHERE t.label = 'no' ORDER BY t.id""")


@register_check("positive-valid", NOT_INTERACTED)
def positive_valid(ctx: CheckContext) -> Iterator[Violation]:
    # The kind of a UBP positive (a boilerplate "comment" is a repost) is checked by positive-kind.
    yield from _rows(ctx, "positive-valid", """
        SELECT t.id, 'no interaction of user ' || t.user_id || ' with post ' || t.post_id || ' backs this yes'
        FROM items t WHERE t.label = 'yes' AND NOT EXISTS (
            SELECT 1 FROM interactions i WHERE i.user_id = t.user_id AND i.post_id = t.post_id)
        ORDER BY t.id""")


@register_check("post-exists", YESNO)
def post_exists(ctx: CheckContext) -> Iterator[Violation]:
    yield from _rows(ctx, "post-exists", """
        SELECT t.id, 'post ' || t.post_id || ' is not in the corpus' FROM items t
        WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = t.post_id) ORDER BY t.id""")


@register_check("ucs-comment", ("ucs",))
def ucs_comment(ctx: CheckContext) -> Iterator[Violation]:
    """The shown comment is a real comment under the asked post; yes: by the asked user; no: by
    another user, with content that differs from everything the asked user wrote there."""
    yield from _rows(ctx, "ucs-comment-source", """
        SELECT t.id, 'comment ' || t.comment_id || ' is not a comment with this text under post ' || t.post_id
        FROM items t LEFT JOIN interactions i ON (CASE WHEN starts_with(i.id, 'at://') THEN 'cmt:' || md5(i.id) ELSE i.id END) = t.comment_id
        WHERE i.id IS NULL OR i.post_id IS DISTINCT FROM t.post_id OR i.text IS DISTINCT FROM t.comment
        ORDER BY t.id""")
    yield from _rows(ctx, "ucs-positive-author", """
        SELECT t.id, 'the yes comment is by user ' || i.user_id || ', not ' || t.user_id
        FROM items t JOIN interactions i ON ((CASE WHEN starts_with(i.id, 'at://') THEN 'cmt:' || md5(i.id) ELSE i.id END) = t.comment_id)
        WHERE t.label = 'yes' AND i.user_id <> t.user_id ORDER BY t.id""")
    yield from _rows(ctx, "ucs-negative-same-user", """
        SELECT t.id, 'the no comment ' || t.comment_id || ' was written by the asked user ' || t.user_id
        FROM items t JOIN interactions i ON ((CASE WHEN starts_with(i.id, 'at://') THEN 'cmt:' || md5(i.id) ELSE i.id END) = t.comment_id)
        WHERE t.label = 'no' AND i.user_id = t.user_id ORDER BY t.id""")
    # The no comment's words must differ from every comment the asked user wrote, anywhere.
    rows = ctx.con.execute("""
        SELECT t.id, t.comment, list(m.id ORDER BY m.id), list(m.text ORDER BY m.id)
        FROM items t JOIN interactions m ON m.user_id = t.user_id
        WHERE t.label = 'no' AND m.text IS NOT NULL AND m.text <> '' GROUP BY t.id, t.comment ORDER BY t.id""").fetchall()
    for item_id, comment, ids, texts in rows:
        words = own_words(comment)
        same = [i for i, text in zip(ids, texts) if words and own_words(text) == words]
        if same:
            yield Violation("ucs-negative-content", ctx.task, item_id, f"the no comment matches comment {same[0]} of the asked user")


@register_check("mid-labels", ("mid",))
def mid_labels(ctx: CheckContext) -> Iterator[Violation]:
    for item in ctx.items:
        expected = TO3.get(item.answer.original_label.strip().lower())
        if expected != item.answer.label:
            yield Violation("mid-labels", ctx.task, item.id,
                            f"label {item.answer.label!r} does not follow {item.answer.original_label!r} -> {expected!r}")


@register_check("mid-reports", ("mid",))
def mid_reports(ctx: CheckContext) -> Iterator[Violation]:
    yield from _rows(ctx, "mid-reports", """
        WITH r AS (SELECT t.id, unnest(CAST(json_extract(t.inputs_json, '$.report_ids') AS VARCHAR[])) AS rid FROM items t)
        SELECT r.id, 'report ' || r.rid || ' is not in the knowledge base' FROM r
        WHERE NOT EXISTS (SELECT 1 FROM reports p WHERE p.id = r.rid) ORDER BY r.id""")
