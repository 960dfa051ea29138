"""Checks that the offline drafts (red and ses `extractive`) say what a reviewer would keep, and
that every RED event answers the window it is listed for.

Recomputed here with verify's own reading (never the drafters' code, drafters/draft_text.py):

- red-key-terms, ses-key-terms: every key term is a hashtag (`#…#`), an English word, or a
  word of jieba's own dictionary whose dictionary part of speech is a content one (a noun of any
  kind, a verbal or adjectival noun); none names a media tag (ocr, caption, transcript) or holds a bracket; each
  occurs in 2+ of the posts; the item's notes record the same terms;
- red-titles: a RED title is its place, a separator, then a hashtag of 2+ of its posts or a
  clause of one of its posts (a stretch between punctuation, line breaks or text ends; a long one
  may be cut, marked `…`), and no summary shows a media view tag (`[OCR]` ...);
- ses-quotes: no SES summary or plot shows a media view tag;
- red-window-time (every RED item, LLM-drafted too): an event's `time` is the first to last of
  its posts inside the item's window, so it lies inside the window; its `span` (when given) is the
  first to last of all its posts; it has at least `min_window_posts` posts in the window.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Iterator

from . import CheckContext, Violation, register_check

MEDIA_TAG_WORDS = ("ocr", "caption", "transcript")
_MEDIA_TAG = re.compile(r"\[(?:ocr|caption|transcript)\]", re.I)
_TAG_AT_LINE = re.compile(r"^\[(?:OCR|caption|transcript)\] ?", re.M)
_ENGLISH_WORD = re.compile(r"[a-z][a-z0-9']{2,}")
_HASHTAG_TERM = re.compile(r"#[^#\n]+#")
_MINUTE = "%Y-%m-%d %H:%M"


@lru_cache(maxsize=1)
def _dictionary_tags() -> dict[str, str]:
    """jieba's dictionary: word -> its part of speech as the dictionary file gives it."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.posseg.dt.tokenizer.check_initialized()
    return jieba.posseg.dt.word_tag_tab


def _content_tag(tag: str) -> bool:
    # jieba's tag set: n* are nouns (common, person, place, organisation, other proper names);
    # vn and an are verbs and adjectives used as nouns. Function words, numerals, measure
    # words, pronouns and time words are none of these.
    return tag.startswith("n") or tag in ("vn", "an")


def term_problem(term: str, texts: list[str]) -> str | None:
    """Why a key term is not acceptable for posts with these texts (None: it is)."""
    low = term.lower()
    if any(w in low for w in MEDIA_TAG_WORDS) or any(b in term for b in "[]【】"):
        return "names a media tag or holds a bracket"
    if _HASHTAG_TERM.fullmatch(term):
        kind = "hashtag"
    elif _ENGLISH_WORD.fullmatch(term):
        kind = "english"
    else:
        tag = _dictionary_tags().get(term)
        if tag is None:
            return "is not a word of jieba's dictionary, a hashtag or an English word"
        if not _content_tag(tag):
            return f"is a function word (dictionary part of speech {tag!r})"
        kind = "word"
    if sum(low in t.lower() for t in texts) < 2:
        return f"({kind}) occurs in fewer than two of the posts"
    return None


def _boundary(ch: str | None) -> bool:
    return ch is None or ch == "\n" or unicodedata.category(ch)[0] in "PS"


def _neighbour(text: str, i: int, step: int) -> str | None:
    """The first non-space character from index i going by step (None past either end)."""
    while 0 <= i < len(text):
        if text[i] != "\n" and text[i].isspace():
            i += step
            continue
        return text[i]
    return None


def is_clause_of(head: str, text: str) -> bool:
    """True when head is a clause of text: it occurs with punctuation, a symbol, a line break or an
    end of text on both sides (before only, when it ends with '…': a cut clause)."""
    cut = head.endswith("…")
    body = head[:-1].rstrip() if cut else head
    if not body:
        return False
    start = text.find(body)
    while start >= 0:
        end = start + len(body)
        if _boundary(_neighbour(text, start - 1, -1)) and (cut or _boundary(_neighbour(text, end, 1))):
            return True
        start = text.find(body, start + 1)
    return False


def title_problem(title: str, location: str, texts: list[str]) -> str | None:
    """Why a RED title is not 'place + clause of one of its posts (or its hashtag)'."""
    if _MEDIA_TAG.search(title) or any(w in title.lower() for w in MEDIA_TAG_WORDS):
        return "names a media tag"
    for sep in ("：", ": "):
        if title.startswith(location + sep):
            head = title[len(location) + len(sep):].strip()
            break
    else:
        return f"does not start with its place {location!r}"
    if _HASHTAG_TERM.fullmatch(head):
        ok = sum(head in t for t in texts) >= 2
    else:
        ok = any(is_clause_of(head, _TAG_AT_LINE.sub("\n", t)) for t in texts)
    return None if ok else f"{head!r} is neither a clause of one of its posts nor a hashtag of two"


def _extractive(ctx: CheckContext) -> list[Any]:
    return [item for item in ctx.items if item.provenance.notes.get("drafter") == "extractive"]


def _full_texts(ctx: CheckContext, ids: set[str]) -> dict[str, str]:
    from ..enrich.textview import post_texts   # what a post's text is (body + media text)

    return post_texts(ctx.ws, ids, ctx.ws.config(), ctx.task) if ids else {}


def _padded(notes: Any, n: int) -> list[dict[str, Any]]:
    """One note per event (red-extractive reports a count mismatch; here a missing note is empty)."""
    notes = [x if isinstance(x, dict) else {} for x in (notes or [])]
    return (notes + [{}] * n)[:n]


def _terms_violations(ctx: CheckContext, check: str, groups: list[tuple[Any, list[str], list[str], dict]]
                      ) -> Iterator[Violation]:
    """groups: (item, key terms, post ids, extraction note) per event or topic."""
    texts = _full_texts(ctx, {p for g in groups for p in g[2]})
    for item, terms, ids, note in groups:
        if list(terms) != list(note.get("terms") or []):
            yield Violation(check, ctx.task, item.id, f"key terms {terms} but the notes say {note.get('terms')}")
        mine = [texts.get(p, "") for p in ids]
        for term in terms:
            if (why := term_problem(term, mine)) is not None:
                yield Violation(check, ctx.task, item.id, f"key term {term!r} {why}")


@register_check("red-key-terms", ("red",))
def red_key_terms(ctx: CheckContext) -> Iterator[Violation]:
    yield from _terms_violations(ctx, "red-key-terms", [
        (item, ev.key_terms, ev.post_ids, note) for item in _extractive(ctx)
        for ev, note in zip(item.answer.events, _padded(item.provenance.notes.get("events"), len(item.answer.events)))])


@register_check("ses-key-terms", ("ses",))
def ses_key_terms(ctx: CheckContext) -> Iterator[Violation]:
    yield from _terms_violations(ctx, "ses-key-terms", [(item, item.answer.key_terms, item.inputs.post_ids, item.provenance.notes)
                                       for item in _extractive(ctx)])


@register_check("ses-quotes", ("ses",))
def ses_quotes(ctx: CheckContext) -> Iterator[Violation]:
    for item in _extractive(ctx):
        if any(_MEDIA_TAG.search(x or "") for x in (item.answer.summary, item.answer.plot)):
            yield Violation("ses-quotes", ctx.task, item.id, "summary or plot shows a media tag ([OCR] ...)")


@register_check("red-titles", ("red",))
def red_titles(ctx: CheckContext) -> Iterator[Violation]:
    todo = _extractive(ctx)
    texts = _full_texts(ctx, {p for item in todo for ev in item.answer.events for p in ev.post_ids})
    for item in todo:
        for ev in item.answer.events:
            if _MEDIA_TAG.search(ev.summary):
                yield Violation("red-titles", ctx.task, item.id, f"event {ev.title!r}: summary shows a media tag")
            if (why := title_problem(ev.title, ev.location, [texts.get(p, "") for p in ev.post_ids])) is not None:
                yield Violation("red-titles", ctx.task, item.id, f"title {ev.title!r} {why}")


def _window_rule(ctx: CheckContext) -> int:
    from ..schemas.tasks import options_for

    return int(options_for(ctx.ws.config(), "red").model_dump().get("min_window_posts", 1))


@register_check("red-window-time", ("red",))
def red_window_time(ctx: CheckContext) -> Iterator[Violation]:
    need = _window_rule(ctx)
    for item in ctx.items:
        begin = datetime.strptime(item.inputs.window_start, "%Y-%m-%d %H:%M:%S")
        for ev in item.answer.events:
            rows = ctx.con.execute("SELECT timezone('UTC', created_at) FROM posts WHERE list_contains($ids, id) "
                                   "AND created_at IS NOT NULL ORDER BY 1", {"ids": list(ev.post_ids)}).fetchall()
            times = [r[0].replace(tzinfo=None) for r in rows]
            inside = [t for t in times if begin <= t < begin + timedelta(hours=1)]
            bad = lambda detail: Violation("red-window-time", ctx.task, item.id, f"event {ev.title!r}: {detail}")  # noqa: E731
            if len(inside) < need:
                yield bad(f"{len(inside)} of its posts in the window; the rule asks {need}")
                continue
            want = f"{inside[0]:{_MINUTE}} ~ {inside[-1]:{_MINUTE}}"
            if ev.time != want:
                yield bad(f"time {ev.time!r}, but its posts in {item.inputs.window_start} + 1h run {want!r}")
            if ev.span is not None and ev.span != f"{times[0]:{_MINUTE}} ~ {times[-1]:{_MINUTE}}":
                yield bad(f"span {ev.span!r}, but its posts run {times[0]:{_MINUTE}} ~ {times[-1]:{_MINUTE}}")
