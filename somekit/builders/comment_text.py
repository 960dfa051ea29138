"""What counts as a comment's own words, for the builders (SQL, run inside DuckDB).

Weibo fills a repost's text box for the user: `转发微博` / `轉發微博` / `微博转发` ("repost", in any
order, with or without punctuation), a link to the post (sometimes cut off: `http:`), or the
`//@a: ...` chain of the reposts before it. Such a text is not a comment: a record whose text is only that
is a plain repost. Emoji codes (`[哈哈]`), @mentions and `回复@x:` prefixes are not words either;
a comment left empty once they are removed can make no UCS or UBP-comment item (its length and
look would give the answer away), though it still counts as an interaction with the post.

verify has its own implementation of these rules (somekit/verify/textrules.py) on purpose.
"""

from __future__ import annotations

#: Auto-filled repost text once normalised: any sequence of these words, in any order and with
#: any punctuation between them (`转发微博`, `微博转发`, `转发 微博 转发`, `轉發微博！`), is no comment.
BOILERPLATE_WORDS = ("转发", "轉發", "微博", "repost")
#: Interaction kinds whose text is the user's own words.
COMMENT_KINDS = ("comment", "reply", "quote")

# RE2 patterns, applied in this order: the //@ chain quotes earlier reposts (all of it goes), a
# reply prefix names the user replied to, mentions and bracketed emoji codes carry no words.
_STRIP = (
    r"//\s*@.*$",
    r"(回复|回覆|reply)\s*@[^:：\s]+\s*[:：]?",
    r"@[^\s@:：,，。!！?？/]+",
    r"\[[^\[\]\s]{1,12}\]",
)


#: A text made only of links, whole or cut off (`http://t.cn/xyz`, `http:`), and spaces.
_LINK_ONLY = r"\s*(?:(?:https?:(?://)?|www\.)[A-Za-z0-9./?%&=+#~:_-]*\s*)+"


def clean_sql(col: str) -> str:
    """SQL: the comment's own words under the one content normalisation (somekit/textnorm.py:
    NFKC, no case, links, whitespace, punctuation or symbols); '' when nothing is left, so a
    link-only or cut-off-link text (`http:`) has no words. Needs textnorm.register_sql."""
    from ..textnorm import SQL_FUNCTION

    expr = f"lower(coalesce({col}, ''))"
    for pattern in _STRIP:
        expr = f"regexp_replace({expr}, '{pattern}', '', 'gs')"
    return f"{SQL_FUNCTION}({expr})"


def is_boilerplate(text: str | None) -> bool:
    """Python twin of boilerplate_sql, for builders that read comments in Python (uea): the text,
    normalised, is only repost words (or nothing but a link)."""
    import re

    from ..textnorm import normalise

    return bool(re.fullmatch(f"(?:{'|'.join(BOILERPLATE_WORDS)})*", normalise(text)))


def boilerplate_sql(clean: str) -> str:
    """SQL: true when a cleaned text is only Weibo's auto-filled repost words, in any order."""
    return f"regexp_full_match({clean}, '(?:{'|'.join(BOILERPLATE_WORDS)})+')"


def acts_sql(where: str = "TRUE") -> str:
    """SQL for interactions with their effective kind and cleaned text: a Weibo comment whose text
    is only repost boilerplate, a //@ chain or a link (whole or cut off) is a plain repost;
    `clean` is '' for kinds without words and for boilerplate."""
    kinds = ", ".join(f"'{k}'" for k in COMMENT_KINDS)
    return f"""
        SELECT id, user_id, post_id, parent_id, text, created_at, source, orig_kind,
               CASE WHEN orig_kind = 'comment' AND (chain_only OR link_only OR {boilerplate_sql('clean')})
                    THEN 'repost' ELSE orig_kind END AS kind,
               CASE WHEN {boilerplate_sql('clean')} THEN '' ELSE clean END AS clean
        FROM (SELECT i.id, i.user_id, i.post_id, i.parent_id, i.text, i.created_at, i.source,
                     CAST(i.kind AS VARCHAR) AS orig_kind,
                     CASE WHEN CAST(i.kind AS VARCHAR) IN ({kinds}) THEN {clean_sql('i.text')} ELSE '' END AS clean,
                     regexp_matches(coalesce(i.text, ''), '^\\s*//\\s*@') AS chain_only,
                     regexp_full_match(coalesce(i.text, ''), '{_LINK_ONLY}') AS link_only
              FROM interactions i WHERE {where})"""


def short_comments(con, kinds_sql: str, min_chars: int) -> int:
    """Comments (of `kinds_sql`, on `acts`) with some words of their own but fewer than
    `min_chars`: what the min_chars rule drops, for stats."""
    return con.execute(f"""SELECT count(*) FROM acts WHERE kind IN ({kinds_sql})
                           AND clean <> '' AND length(clean) < {int(min_chars)}""").fetchall()[0][0]
