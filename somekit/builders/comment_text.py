"""What counts as a comment's own words, for the builders (SQL, run inside DuckDB).

Weibo fills a repost's text box for the user: `转发微博` / `轉發微博` ("repost"), or the `//@a: ...`
chain of the reposts before it. Such a text is not a comment: a record whose text is only that
is a plain repost. Emoji codes (`[哈哈]`), @mentions and `回复@x:` prefixes are not words either;
a comment left empty once they are removed can make no UCS or UBP-comment item (its length and
look would give the answer away), though it still counts as an interaction with the post.

verify has its own implementation of these rules (somekit/verify/textrules.py) on purpose.
"""

from __future__ import annotations

#: Normalised auto-filled repost texts (normalisation: see clean_sql).
BOILERPLATE = ("转发微博", "轉發微博", "转发", "轉發", "repost", "转发微博转发微博")
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


def clean_sql(col: str) -> str:
    """SQL: the comment's own words, normalised (lower case, no whitespace, punctuation or
    symbols); '' when nothing is left."""
    expr = f"lower(coalesce({col}, ''))"
    for pattern in _STRIP:
        expr = f"regexp_replace({expr}, '{pattern}', '', 'gs')"
    return f"regexp_replace({expr}, '[[:space:][:punct:]\\pP\\pS]+', '', 'g')"


def boilerplate_sql(clean: str) -> str:
    """SQL: true when a cleaned text is Weibo's auto-filled repost text."""
    return f"({clean} IN ({', '.join(repr(b) for b in BOILERPLATE)}))"


def acts_sql(where: str = "TRUE") -> str:
    """SQL for interactions with their effective kind and cleaned text: a Weibo comment whose text
    is only repost boilerplate or a //@ chain is a plain repost; `clean` is '' for kinds without
    words and for boilerplate."""
    kinds = ", ".join(f"'{k}'" for k in COMMENT_KINDS)
    return f"""
        SELECT id, user_id, post_id, parent_id, text, created_at, source, orig_kind,
               CASE WHEN orig_kind = 'comment' AND (chain_only OR {boilerplate_sql('clean')})
                    THEN 'repost' ELSE orig_kind END AS kind,
               CASE WHEN {boilerplate_sql('clean')} THEN '' ELSE clean END AS clean
        FROM (SELECT i.id, i.user_id, i.post_id, i.parent_id, i.text, i.created_at, i.source,
                     CAST(i.kind AS VARCHAR) AS orig_kind,
                     CASE WHEN CAST(i.kind AS VARCHAR) IN ({kinds}) THEN {clean_sql('i.text')} ELSE '' END AS clean,
                     regexp_matches(coalesce(i.text, ''), '^\\s*//\\s*@') AS chain_only
              FROM interactions i WHERE {where})"""
