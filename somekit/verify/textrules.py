"""verify's own reading of comment texts (deliberately not the builders' SQL, so a bug in one
is caught by the other).

A comment's own words: the text without a `//@a: ...` repost chain, `回复@x:` reply prefixes,
@mentions and bracketed emoji codes (`[哈哈]`), compared without case, whitespace, punctuation
or symbols (the shared normalisation, somekit/textnorm.py). Weibo's auto-filled repost text
(`转发微博`, `微博转发`, `轉發微博`, in any order and punctuation) or a bare link is no words at all:
a "comment" holding only that is a plain repost.
"""

from __future__ import annotations

import re

from ..textnorm import normalise

#: Repost boilerplate once squashed: only these words, any number, in any order.
AUTO_REPOST = re.compile(r"(?:转发|轉發|微博|repost)+")
#: Only links (whole or cut off) and spaces.
_LINKS_ONLY = re.compile(r"\s*(?:(?:https?:(?://)?|www\.)[A-Za-z0-9./?%&=+#~:_-]*\s*)+", re.I)
_CHAIN = re.compile(r"//\s*@.*", re.S)
_REPLY = re.compile(r"(?:回复|回覆|reply)\s*@[^:：\s]+\s*[:：]?", re.I)
_MENTION = re.compile(r"@[^\s@:：,，。!！?？/]+")
_EMOJI_CODE = re.compile(r"\[[^\[\]\s]{1,12}\]")


def squash(text: str | None) -> str:
    """The one content normalisation (somekit/textnorm.py: NFKC, zero-width and full-width
    spaces, links, case, punctuation and symbols)."""
    return normalise(text)


def own_words(text: str | None) -> str:
    """The words a comment adds (squashed); '' for repost boilerplate, chains, emoji, mentions."""
    t = _CHAIN.sub("", (text or "").lower())
    t = _REPLY.sub("", t)
    t = _MENTION.sub("", t)
    t = _EMOJI_CODE.sub("", t)
    words = squash(t)
    return "" if AUTO_REPOST.fullmatch(words) else words


def is_auto_repost(text: str | None) -> bool:
    """True when a comment's text is only Weibo's repost boilerplate or a //@ chain."""
    raw = (text or "").strip()
    if _LINKS_ONLY.fullmatch(raw):
        return True
    if raw.startswith("//"):
        return bool(re.match(r"//\s*@", raw))
    t = _EMOJI_CODE.sub("", _MENTION.sub("", _REPLY.sub("", _CHAIN.sub("", raw.lower()))))
    return bool(AUTO_REPOST.fullmatch(squash(t)))


def backs_action(action: str, kind: str, text: str | None) -> bool:
    """Whether an act of `kind` with `text` is the asked UBP action as verify reads it: a like for
    'like'; a repost, or a comment holding only repost boilerplate, for 'repost'; a comment with
    words of its own for 'comment'."""
    if action == "like":
        return kind == "like"
    if action == "repost":
        return kind == "repost" or (kind == "comment" and is_auto_repost(text))
    return kind == "comment" and not is_auto_repost(text) and bool(own_words(text))
