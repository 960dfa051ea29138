"""Checks for the drafts made without an LLM (smq `data`, red `extractive`).

The builders keep what they computed in each item's provenance notes; these checks recompute it
from the corpus with their own queries (never the builders' code) and compare:

- smq-facts: the fact behind a computed QA pair (a count, the top poster, the first post, a
  topic's time span, a user's top topic or latest post) has the recorded value, and the answer
  text states it;
- ses-extractive: an extracted topic summary's representative post is one of the topic's posts
  and is quoted, and its time span is the posts' first and last time;
- red-extractive: an extracted event's representative post is one of its posts and its text
  (body + media text, as every consumer reads it) is in the summary, the time span is its posts' first and last time, every key term occurs in at
  least two of its posts, and it has at least two authors.
"""

from __future__ import annotations

from typing import Any, Iterator

from . import CheckContext, Violation, register_check

_FMT = "strftime(timezone('UTC', created_at), '%Y-%m-%d %H:%M')"
#: Posts of a topic: named in `topics` or carrying the hashtag in the text (as the builder defines it).
_IN_TOPIC = "(list_position(coalesce(topics, []::VARCHAR[]), $s) IS NOT NULL OR position('#' || $s || '#' IN coalesce(text, '')) > 0)"


def _single(rows: list[tuple]) -> Any:
    """The first row's first value when it is strictly ahead of the second row (else None)."""
    if not rows or (len(rows) > 1 and rows[0][1] == rows[1][1]):
        return None
    return rows[0][0]


def recompute(con: Any, kind: str, sid: str) -> Any:
    """The value of a fact, from the corpus."""
    p = {"s": sid}
    if kind == "topic.count":
        return con.execute(f"SELECT count(*) FROM posts WHERE {_IN_TOPIC}", p).fetchall()[0][0]
    if kind == "user.count":
        return con.execute("SELECT count(*) FROM posts WHERE author_id = $s", p).fetchall()[0][0]
    if kind == "topic.top_user":
        return _single(con.execute(f"SELECT author_id, count(*) FROM posts WHERE {_IN_TOPIC} AND author_id IS NOT NULL "
                                   "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 2", p).fetchall())
    if kind in ("topic.first_post", "topic.span"):
        row = con.execute(f"SELECT min(created_at), max(created_at) FROM posts WHERE {_IN_TOPIC}", p).fetchall()[0]
        if row[0] is None:
            return None
        first = con.execute(f"SELECT author_id, {_FMT} FROM posts WHERE {_IN_TOPIC} AND created_at = $t",
                            {**p, "t": row[0]}).fetchall()
        span = con.execute(f"SELECT {_FMT.replace('created_at', '$a')}, {_FMT.replace('created_at', '$b')}",
                           {"a": row[0], "b": row[1]}).fetchall()[0]
        if kind == "topic.span":
            return list(span)
        return list(first[0]) if len(first) == 1 else None
    if kind == "user.last_post":
        rows = con.execute(f"SELECT {_FMT}, count(*) FROM posts WHERE author_id = $s AND created_at IS NOT NULL "
                           "GROUP BY created_at ORDER BY created_at DESC LIMIT 1", p).fetchall()
        return rows[0][0] if rows and rows[0][1] == 1 else None
    if kind == "user.top_topic":
        return _single(con.execute("""
            SELECT tag, count(DISTINCT id) FROM (
                SELECT id, unnest(coalesce(topics, []::VARCHAR[])) AS tag FROM posts WHERE author_id = $s
                UNION ALL
                SELECT id, trim(unnest(regexp_extract_all(coalesce(text, ''), '#([^#\\n]{1,40})#', 1))) FROM posts
                WHERE author_id = $s)
            WHERE tag <> '' GROUP BY tag ORDER BY 2 DESC, 1 LIMIT 2""", p).fetchall())
    raise ValueError(f"unknown fact kind {kind!r}")


def _stated(value: Any, answer: str) -> bool:
    parts = value if isinstance(value, list) else [value]
    return all(str(v) in answer for v in parts)


@register_check("smq-facts", ("smq",))
def smq_facts(ctx: CheckContext) -> Iterator[Violation]:
    for item in ctx.items:
        if item.provenance.notes.get("drafter") != "data":
            continue
        fact = item.provenance.notes.get("fact") or {}
        kind, sid, value = fact.get("kind"), fact.get("scope_id"), fact.get("value")
        if not kind or sid != item.inputs.scope_id:
            yield Violation("smq-facts", ctx.task, item.id, f"computed QA pair without its fact for {item.inputs.scope_id!r}")
            continue
        actual = recompute(ctx.con, kind, sid)
        if actual is None or actual != value:
            yield Violation("smq-facts", ctx.task, item.id, f"{kind} of {sid!r} is {actual!r} in the corpus, item says {value!r}")
        elif not _stated(value, item.answer.answer):
            yield Violation("smq-facts", ctx.task, item.id, f"answer does not state the computed value {value!r}")


def _norm(text: str) -> str:
    return " ".join((text or "").split())


@register_check("ses-extractive", ("ses",))
def ses_extractive(ctx: CheckContext) -> Iterator[Violation]:
    from ..enrich.textview import post_texts   # what a post's text is (body + media text)

    todo = [item for item in ctx.items if item.provenance.notes.get("drafter") == "extractive"]
    texts = post_texts(ctx.ws, {p for it in todo for p in it.inputs.post_ids}, ctx.ws.config(), "ses") if todo else {}
    for item in todo:
        note = item.provenance.notes
        bad = lambda detail: Violation("ses-extractive", ctx.task, item.id, detail)  # noqa: E731
        rep = note.get("representative")
        if rep not in item.inputs.post_ids or rep not in texts:
            yield bad(f"representative post {rep!r} is not one of the topic's posts")
        elif _norm(texts[rep])[:30] not in _norm(item.answer.summary):
            yield bad("summary does not quote its representative post")
        span = ctx.con.execute(f"SELECT {_FMT.replace('created_at', 'min(created_at)')}, "
                               f"{_FMT.replace('created_at', 'max(created_at)')} FROM posts WHERE list_contains($ids, id)",
                               {"ids": list(item.inputs.post_ids)}).fetchall()[0]
        if note.get("span") != list(span):
            yield bad(f"time span {note.get('span')} but its posts run {list(span)}")


@register_check("red-extractive", ("red",))
def red_extractive(ctx: CheckContext) -> Iterator[Violation]:
    from ..enrich.textview import post_texts   # what a post's text is (body + media text)

    todo = [item for item in ctx.items if item.provenance.notes.get("drafter") == "extractive"]
    ids = {p for item in todo for ev in item.answer.events for p in ev.post_ids}
    texts = post_texts(ctx.ws, ids, ctx.ws.config(), "red") if ids else {}
    for item in todo:
        notes = item.provenance.notes.get("events") or []
        if len(notes) != len(item.answer.events):
            yield Violation("red-extractive", ctx.task, item.id, f"{len(item.answer.events)} events, {len(notes)} extraction notes")
            continue
        for ev, note in zip(item.answer.events, notes):
            yield from _check_event(ctx, item.id, ev, note, texts)


def _check_event(ctx: CheckContext, item_id: str, ev: Any, note: dict[str, Any],
                 all_texts: dict[str, str]) -> Iterator[Violation]:
    bad = lambda detail: Violation("red-extractive", ctx.task, item_id, f"event {ev.title!r}: {detail}")  # noqa: E731
    rows = ctx.con.execute(f"SELECT id, author_id, text, {_FMT}, created_at FROM posts WHERE list_contains($ids, id) "
                           "ORDER BY created_at, id", {"ids": list(ev.post_ids)}).fetchall()
    if len(rows) != len(set(ev.post_ids)):
        yield bad("some of its posts are not in the corpus")
        return
    texts = {p: all_texts.get(p, "") for p in ev.post_ids}
    rep = note.get("representative")
    if rep not in texts:
        yield bad(f"representative post {rep!r} is not one of its posts")
    elif _norm(texts[rep])[:30] not in _norm(ev.summary):
        yield bad("summary does not quote its representative post")
    span = [rows[0][3], rows[-1][3]]
    if note.get("span") != span:
        yield bad(f"time span {note.get('span')} but its posts run {span}")
    authors = {r[1] for r in rows if r[1] is not None}
    if len(authors) < 2 or note.get("authors") != len(authors):
        yield bad(f"{len(authors)} distinct authors (notes say {note.get('authors')}); an event needs 2+")
    for term in note.get("terms") or []:
        if sum(term in t.lower() for t in texts.values()) < 2:
            yield bad(f"key term {term!r} is in fewer than two of its posts")
