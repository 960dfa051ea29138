"""SMQ's data-grounded drafter: questions whose answers are computed from the corpus by query.

Used when the configured LLM is the embedded one (a 135M model cannot draft QA pairs that survive
their checks) and as a cheap, verifiable baseline for real builds. Per scope (a topic or a user)
it asks about facts only the data can answer: how many posts, who posted most, who posted first
and when, how long a topic ran, a user's most frequent topic and latest post. Each answer comes
from one DuckDB query; a fact without a single answer (a tie for "most", for "first") is not
asked. The fact (kind, scope, value) is kept in the item's provenance, so `somekit verify` can
recompute it with its own query.

Topic membership: a post belongs to topic T when T is in its `topics` field or its body holds
the Weibo hashtag `#T#` (the body, not the media text: a hashtag in a screenshot is not the
author's). Excerpts quoted in answers are the full text (body + media text).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from .topics import hashtags

DRAFTER = "data"
#: Evidence ids kept per fact (a topic count over thousands of posts keeps the first ones).
MAX_EVIDENCE = 20
_T = "%Y-%m-%d %H:%M"


@dataclass
class Fact:
    """One computed fact, ready to become a QA item."""

    kind: str                  # e.g. 'topic.count'
    scope: str                 # topic | user
    scope_id: str
    qtype: str                 # count | person | time | topic
    value: Any                 # canonical JSON value verify recomputes (int, str, [str, str], ...)
    question: str
    answer: str
    evidence: list[str] = field(default_factory=list)

    def note(self) -> dict[str, Any]:
        return {"kind": self.kind, "scope_id": self.scope_id, "value": self.value}


# `posts_body` is the bodies-only view enrich/textview.py leaves when it puts media text
# into posts.text; b joins it back so membership reads the body and excerpts the full text.
_TOPIC_POSTS = """
    SELECT p.id, p.author_id, timezone('UTC', p.created_at) AS t, p.text FROM posts p JOIN {body} b USING (id)
    WHERE list_contains(coalesce(b.topics, []::VARCHAR[]), $topic) OR strpos(coalesce(b.text, ''), '#' || $topic || '#') > 0
"""
_USER_POSTS = """
    SELECT p.id, p.author_id, timezone('UTC', p.created_at) AS t, p.text FROM posts p WHERE p.author_id = $user
"""

Q = {
    "topic.count": ("话题“{s}”下共有多少条帖子？", 'How many posts carry the topic "{s}"?'),
    "topic.top_user": ("在话题“{s}”下发帖最多的用户是谁？", 'Which user posted most under the topic "{s}"?'),
    "topic.first_post": ("话题“{s}”的第一条帖子是谁在什么时候发的？", 'Who wrote the first post on the topic "{s}", and when?'),
    "topic.span": ("话题“{s}”的讨论从什么时候持续到什么时候？", 'From when to when was the topic "{s}" discussed?'),
    "user.count": ("用户{s}共发了多少条帖子？", "How many posts did user {s} publish?"),
    "user.top_topic": ("用户{s}发帖最多的话题是什么？", "On which topic did user {s} post most?"),
    "user.last_post": ("用户{s}最近一次发帖是在什么时候，内容是什么？", "When did user {s} last post, and what did they say?"),
}
QTYPE = {"topic.count": "count", "topic.top_user": "person", "topic.first_post": "time", "topic.span": "time",
         "user.count": "count", "user.top_topic": "topic", "user.last_post": "time"}


def _body_table(con: Any) -> str:
    """'posts_body' when the media-text view is on (posts.text is then body + media text)."""
    rows = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'posts_body'").fetchall()
    return "posts_body" if rows[0][0] else "posts"


def _name(con: Any, uid: str) -> str:
    row = con.execute("SELECT name FROM users WHERE id = ? AND coalesce(name, '') <> '' ORDER BY name LIMIT 1",
                      [uid]).fetchall()
    return f"{row[0][0]}（{uid}）" if row else uid


def _excerpt(text: str, n: int = 60) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[:n] + "…"


def _count(con: Any, sql: str, params: dict[str, str]) -> tuple[int, list[str]]:
    rows = con.execute(f"SELECT id FROM ({sql}) ORDER BY t NULLS LAST, id", params).fetchall()
    return len(rows), [r[0] for r in rows[:MAX_EVIDENCE]]


def _top_user(con: Any, sql: str, params: dict[str, str]) -> tuple[str, int, list[str]] | None:
    rows = con.execute(f"SELECT author_id, count(*) c, list(id ORDER BY id) FROM ({sql}) WHERE author_id IS NOT NULL "
                       "GROUP BY author_id ORDER BY c DESC, author_id LIMIT 2", params).fetchall()
    if not rows or (len(rows) == 2 and rows[0][1] == rows[1][1]):
        return None                 # no single answer
    return rows[0][0], rows[0][1], rows[0][2][:MAX_EVIDENCE]


def _extreme(con: Any, sql: str, params: dict[str, str], last: bool) -> tuple[str, str | None, datetime, str] | None:
    order = "DESC" if last else "ASC"
    rows = con.execute(f"SELECT id, author_id, t, text FROM ({sql}) WHERE t IS NOT NULL ORDER BY t {order}, id LIMIT 2",
                       params).fetchall()
    if not rows or (len(rows) == 2 and rows[0][2] == rows[1][2]):
        return None
    return rows[0]


def _top_topic(con: Any, uid: str) -> tuple[str, int, list[str]] | None:
    """The user's most frequent topic (topics field or #hashtag#), counted once per post."""
    per_tag: dict[str, set[str]] = {}
    body = _body_table(con)
    for pid, topics, text in con.execute(f"SELECT id, topics, text FROM {body} WHERE author_id = ?", [uid]).fetchall():
        for tag in set(list(topics or []) + hashtags(text)):
            if tag:
                per_tag.setdefault(tag, set()).add(pid)
    ranked = sorted(per_tag.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    if not ranked or (len(ranked) > 1 and len(ranked[0][1]) == len(ranked[1][1])):
        return None
    tag, ids = ranked[0]
    return tag, len(ids), sorted(ids)[:MAX_EVIDENCE]


def _fmt(t: datetime) -> str:
    return t.strftime(_T)


def topic_facts(con: Any, topic: str, lang: str) -> list[Fact]:
    zh = lang == "zh"
    p = {"topic": topic}
    out: list[Fact] = []
    sql = _TOPIC_POSTS.format(body=_body_table(con))
    n, ev = _count(con, sql, p)
    if n:
        out.append(_fact("topic.count", "topic", topic, lang, n, f"{n}条帖子" if zh else f"{n} posts", ev))
    top = _top_user(con, sql, p)
    if top:
        uid, c, ev = top
        out.append(_fact("topic.top_user", "topic", topic, lang, uid,
                         f"{_name(con, uid)}，共{c}条" if zh else f"{_name(con, uid)}, with {c} posts", ev))
    first = _extreme(con, sql, p, last=False)
    if first and first[1]:
        pid, uid, t, text = first
        out.append(_fact("topic.first_post", "topic", topic, lang, [uid, _fmt(t)],
                         f"{_name(con, uid)}于{_fmt(t)}（UTC）发布：“{_excerpt(text)}”" if zh
                         else f"{_name(con, uid)} at {_fmt(t)} UTC: \"{_excerpt(text)}\"", [pid]))
    last = _extreme(con, sql, p, last=True)
    if first and last and first[0] != last[0]:
        a, b = _fmt(first[2]), _fmt(last[2])
        out.append(_fact("topic.span", "topic", topic, lang, [a, b],
                         f"从{a}到{b}（UTC）" if zh else f"from {a} to {b} UTC", [first[0], last[0]]))
    return out


def user_facts(con: Any, uid: str, lang: str) -> list[Fact]:
    zh = lang == "zh"
    p = {"user": uid}
    name = _name(con, uid)
    out: list[Fact] = []
    n, ev = _count(con, _USER_POSTS, p)
    if n:
        out.append(_fact("user.count", "user", uid, lang, n, f"{n}条帖子" if zh else f"{n} posts", ev, shown=name))
    top = _top_topic(con, uid)
    if top:
        tag, c, ev = top
        out.append(_fact("user.top_topic", "user", uid, lang, tag,
                         f"“{tag}”，共{c}条" if zh else f"\"{tag}\", with {c} posts", ev, shown=name))
    last = _extreme(con, _USER_POSTS, p, last=True)
    if last:
        pid, _, t, text = last
        out.append(_fact("user.last_post", "user", uid, lang, _fmt(t),
                         f"{_fmt(t)}（UTC），内容：“{_excerpt(text)}”" if zh else f"{_fmt(t)} UTC: \"{_excerpt(text)}\"",
                         [pid], shown=name))
    return out


def _fact(kind: str, scope: str, sid: str, lang: str, value: Any, answer: str, ev: list[str],
          shown: str | None = None) -> Fact:
    question = Q[kind][0 if lang == "zh" else 1].format(s=shown or sid)
    return Fact(kind=kind, scope=scope, scope_id=sid, qtype=QTYPE[kind], value=value, question=question,
                answer=answer, evidence=list(ev))


def draft_facts(con: Any, todo: list[tuple[str, str, list[tuple]]], lang: str, per_scope: int, seed: int,
                on_scope: Callable[[], None] | None = None) -> list[Fact]:
    """Up to `per_scope` facts per scope, a seeded choice among those with a single answer, so
    the question kinds spread across scopes."""
    out: list[Fact] = []
    for scope, name, _posts in todo:
        facts = topic_facts(con, name, lang) if scope == "topic" else user_facts(con, name, lang)
        rng = random.Random(f"{seed}|{scope}|{name}")
        rng.shuffle(facts)
        out.extend(sorted(facts[:per_scope], key=lambda f: f.kind))
        if on_scope:
            on_scope()
    return out
