"""Integrity checks added by issue 13: no shortcut, no own-post positive, no empty comment, the
same fields on every label, enough visible history, no input naming the asked user.

Every check re-derives what it needs from the corpus with its own SQL (posts, interactions) and
verify's own text rules (textrules.py); nothing comes from the builders.
"""

from __future__ import annotations

import collections
from typing import Iterator

from . import CheckContext, Violation, register_check
from ..schemas.tasks import task_codes
from .shortcut_rows import rows_from_items
from .shortcuts import audit, report, violations
from .textrules import backs_action, own_words

YESNO = task_codes(paired=True)
LABELLED = task_codes(audited=True)


def _settings(ctx: CheckContext):
    return ctx.ws.config().verify


@register_check("shortcut", LABELLED)
def shortcut(ctx: CheckContext) -> Iterator[Violation]:
    """The shortcut audit (verify/shortcuts.py); its figures go to report['shortcuts'][task]."""
    s = _settings(ctx)
    results = audit(rows_from_items(ctx.task, ctx.items, ctx.con))
    ctx.notes["shortcuts"] = report(results)
    for rule, detail in violations(results, s.max_shortcut_margin, s.shortcut_min_items):
        yield Violation(f"shortcut:{rule}", ctx.task, "", detail)


@register_check("own-post", YESNO)
def own_post(ctx: CheckContext) -> Iterator[Violation]:
    """A positive about the user's own post: the history shows they wrote it, and negatives never
    use own posts, so 'own post => yes' would always be right."""
    for item_id, user, post in ctx.con.execute("""
            SELECT t.id, t.user_id, t.post_id FROM items t JOIN posts p ON p.id = t.post_id
            WHERE t.label = 'yes' AND p.author_id = t.user_id ORDER BY t.id""").fetchall():
        yield Violation("own-post", ctx.task, item_id, f"user {user} wrote post {post} and is asked about it (answer yes)")


def _field_set(item) -> tuple[str, ...]:
    inputs = item.inputs.model_dump(mode="json")
    return tuple(sorted(k for k, v in inputs.items() if v not in (None, "", [])))


@register_check("label-fields", YESNO)
def label_fields(ctx: CheckContext) -> Iterator[Violation]:
    """Every item of a task (of a UBP action) carries the same input fields whatever its label."""
    seen: dict[str, dict[tuple[str, ...], collections.Counter]] = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
    example: dict[tuple[str, tuple[str, ...], str], str] = {}
    for item in ctx.items:
        label = getattr(item.answer, "label", None) or getattr(item.answer, "emotion", None)
        bucket = getattr(item.inputs, "action", "") or ""
        fields = _field_set(item)
        seen[bucket][fields][label] += 1
        example.setdefault((bucket, fields, label), item.id)
    for bucket, by_fields in sorted(seen.items()):
        labels = set().union(*by_fields.values())
        for fields, counts in sorted(by_fields.items()):
            missing = sorted(labels - set(counts))
            if missing:
                first = sorted(counts)[0]
                where = f" ({bucket})" if bucket else ""
                yield Violation("label-fields", ctx.task, example[(bucket, fields, first)],
                                f"inputs with fields {list(fields)}{where} occur only with label(s) {sorted(counts)}, never {missing}")


@register_check("empty-comment", task_codes(comment_input=True))
def empty_comment(ctx: CheckContext) -> Iterator[Violation]:
    """A shown comment with no words of its own (boilerplate, emoji codes, mentions, //@ chain,
    links), or with fewer than the task's `min_chars`."""
    from ..schemas.tasks import options_for

    min_chars = options_for(ctx.ws.config(), ctx.task).min_chars
    for item in ctx.items:
        # the asked comment (ucs), or the text of a comment action (ubp); other actions show none
        text = item.inputs.comment if hasattr(item.inputs, "comment") else item.inputs.text
        if getattr(item.inputs, "action", "comment") != "comment":
            continue
        words = own_words(text)
        if not words:
            yield Violation("empty-comment", ctx.task, item.id, f"comment {text!r} has no words of its own")
        elif len(words) < min_chars:
            yield Violation("short-comment", ctx.task, item.id, f"comment {text!r} has fewer than {min_chars} characters of its own")


@register_check("positive-kind", ("ubp",))
def positive_kind(ctx: CheckContext) -> Iterator[Violation]:
    """A UBP 'yes' is backed by an act of the asked kind as verify reads it: a comment with words
    of its own for 'comment'; a repost or a comment holding only repost boilerplate for 'repost'."""
    rows = ctx.con.execute("""
        SELECT t.id, t.action, list(CAST(i.kind AS VARCHAR)), list(i.text)
        FROM items t JOIN interactions i ON i.user_id = t.user_id AND i.post_id = t.post_id
        WHERE t.label = 'yes' GROUP BY t.id, t.action ORDER BY t.id""").fetchall()
    for item_id, action, kinds, texts in rows:
        if not any(backs_action(action, k, t) for k, t in zip(kinds, texts)):
            yield Violation("positive-kind", ctx.task, item_id, f"no {action} by the user backs this yes (acts: {sorted(set(kinds))})")


_TOUCHED = """
    SELECT user_id, post_id FROM interactions WHERE post_id IS NOT NULL
    UNION SELECT i.user_id, i.parent_id FROM interactions i WHERE i.parent_id IN (SELECT id FROM posts)
    UNION SELECT author_id, id FROM posts WHERE author_id IS NOT NULL"""


@register_check("min-history", YESNO)
def min_history(ctx: CheckContext) -> Iterator[Violation]:
    """An asked user keeps at least `min_history` posts they touched once every post this task
    asks about them is hidden (replies count against root and parent; own posts count)."""
    need = _settings(ctx).min_history
    for user, left, example in ctx.con.execute(f"""
            WITH t AS ({_TOUCHED}),
            users AS (SELECT DISTINCT user_id FROM items),
            asked AS (SELECT DISTINCT user_id, post_id FROM items),
            mine AS (SELECT t.user_id, t.post_id FROM t JOIN users u USING (user_id))
            SELECT u.user_id, count(m.post_id) FILTER (WHERE NOT EXISTS (
                       SELECT 1 FROM asked a WHERE a.user_id = m.user_id AND a.post_id = m.post_id)),
                   (SELECT min(id) FROM items x WHERE x.user_id = u.user_id)
            FROM users u LEFT JOIN mine m USING (user_id) GROUP BY u.user_id
            HAVING count(m.post_id) FILTER (WHERE NOT EXISTS (
                       SELECT 1 FROM asked a WHERE a.user_id = m.user_id AND a.post_id = m.post_id)) < {int(need)}
            ORDER BY u.user_id""").fetchall():
        yield Violation("min-history", ctx.task, example, f"user {user} keeps {left} visible posts (< {need}) once asked posts are hidden")


@register_check("negative-touched", task_codes(negative="not-interacted"))
def negative_touched(ctx: CheckContext) -> Iterator[Violation]:
    """A 'no' post the user replied to directly (its thread root is another post) is a touched post."""
    for item_id, user, post in ctx.con.execute("""
            SELECT DISTINCT t.id, t.user_id, t.post_id FROM items t JOIN interactions i
              ON i.user_id = t.user_id AND i.parent_id = t.post_id
            WHERE t.label = 'no' ORDER BY t.id""").fetchall():
        yield Violation("negative-touched", ctx.task, item_id, f"user {user} replied to post {post} but the answer is no")


@register_check("negative-content", ("mcr",))
def negative_content(ctx: CheckContext) -> Iterator[Violation]:
    """A 'no' post that is a near-copy of a post the user touched (exact Jaccard of character
    n-grams at the event threshold, recomputed by verify/events.py) is a disguised yes; two posts
    without words count as the same content too."""
    from ..schemas.tasks import options_for
    from ..textnorm import normalise
    from .events import exact_pairs

    rows = ctx.con.execute(f"""
        WITH t AS ({_TOUCHED})
        SELECT x.id, x.post_id, p.text, list(q.id), list(q.text) FROM items x
        JOIN posts p ON p.id = x.post_id
        JOIN t ON t.user_id = x.user_id JOIN posts q ON q.id = t.post_id AND q.id <> x.post_id
        WHERE x.label = 'no' GROUP BY x.id, x.post_id, p.text ORDER BY x.id""").fetchall()
    texts = {pid: text for _, post, text, ids, others in rows for pid, text in [(post, text), *zip(ids, others)]}
    options = options_for(ctx.ws.config(), ctx.task)
    similar = exact_pairs(ctx.con, texts, options.event_threshold, options.shingle)
    for item_id, post, text, ids, _ in rows:
        if not normalise(text):
            same = [q for q in ids if not normalise(texts[q])]
        else:
            same = [q for q in ids if tuple(sorted((q, post))) in similar]
        if same:
            yield Violation("negative-content", ctx.task, item_id,
                            f"the no post {post} is a near-copy of post {same[0]}, which the user touched")


@register_check("input-names-user", YESNO)
def input_names_user(ctx: CheckContext) -> Iterator[Violation]:
    """No input other than user_id may contain the asked user's id (a Bluesky at:// URI names its
    author): a hidden test split would answer 'did U write this?' through `inputs`."""
    for item in ctx.items:
        user = item.inputs.user_id
        if len(user) < 8:
            continue  # short ids occur inside unrelated ids by chance
        for name, value in item.inputs.model_dump(mode="json").items():
            if name != "user_id" and isinstance(value, str) and user in value and name not in ("comment", "text"):
                yield Violation("input-names-user", ctx.task, item.id, f"input {name} ({value}) names the asked user")
