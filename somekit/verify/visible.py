"""verify's own reading of what an agent sees of a user, and of what backs a user-post label.

Review screens show this evidence next to each item (review/labelstudio/evidence.py), so a
reviewer judges the item on the same reading that verify checks, never on the builders' SQL:

- a user's *visible history* is what `export --format some` gives the agent in
  user_data/<uid>.json: the user's own posts, their reposts, comments and replies (`weibo`) and
  their likes (`likes`), minus every act on a post asked of them in any user-post task (a reply
  counts against its thread root and the post it answers), minus entries carrying a text shown
  in a query (textrules.squash, the rule export_leaks.py proves the export with);
- a pair's *acts*: every interaction of the user with the post (root or direct parent) and
  whether they wrote it; their *active span*: first and last time they posted or acted.

All lookups are one query per push over the wanted users and pairs, not one per item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import duckdb
import pyarrow as pa

from .textrules import squash

#: Shown texts this long (squashed) are also hidden inside longer texts (a repost chain quoting
#: them), as export_leaks.CONTAINS_MIN; shorter ones only on an exact match.
CONTAINS_MIN = 6
#: Extra candidates read per user beyond N, so that entries hidden for their text can be replaced.
SLACK = 20
_TIME = "strftime(timezone('UTC', {col}), '%Y-%m-%d %H:%M:%S')"


@dataclass(frozen=True)
class Entry:
    """One history entry as the agent gets it: its time ('' when unknown), kind (post, repost,
    comment, reply, like), the post it acts on and its own text."""

    time: str
    kind: str
    id: str
    post_id: str
    text: str


@dataclass
class History:
    entries: list[Entry]        # the last N visible entries, oldest first
    total: int                  # visible entries in all, before the text rule
    hidden_text: int            # of the candidates read, hidden because they carry a shown text


@dataclass(frozen=True)
class Span:
    first: str
    last: str
    acts: int
    posts: int


def _register(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, list[str]]) -> None:
    con.register(name, pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()}))


def shown_texts(items_by_task: dict[str, list[Any]]) -> set[str]:
    """Squashed texts shown in queries (UCS comments; UBP comment texts of both labels): the export
    hides them from every history."""
    texts = {squash(i.inputs.comment) for i in items_by_task.get("ucs", [])}
    texts |= {squash(i.inputs.text) for i in items_by_task.get("ubp", []) if i.inputs.action == "comment"}
    return texts - {""}


def histories(con: duckdb.DuckDBPyConnection, users: Iterable[str], asked: Iterable[tuple[str, str]],
              texts: set[str], last: int) -> dict[str, History]:
    """The last `last` visible history entries of each user (oldest first of those shown)."""
    users = sorted(set(users))
    pairs = sorted(set(asked))
    _register(con, "_vis_users", {"id": users})
    _register(con, "_vis_asked", {"user_id": [u for u, _ in pairs], "post_id": [p for _, p in pairs]})
    rows = con.execute(f"""
        WITH e AS (
            SELECT p.author_id AS user_id, 'post' AS kind, p.id, p.id AS post_id, p.text, p.created_at
            FROM posts p JOIN _vis_users u ON u.id = p.author_id
            UNION ALL
            SELECT i.user_id, CAST(i.kind AS VARCHAR), i.id, i.post_id, i.text, i.created_at
            FROM interactions i JOIN _vis_users u ON u.id = i.user_id
            WHERE i.post_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM _vis_asked a WHERE a.user_id = i.user_id
                              AND (a.post_id = i.post_id OR a.post_id = i.parent_id))),
        ranked AS (
            SELECT *, row_number() OVER (PARTITION BY user_id ORDER BY created_at DESC NULLS LAST, id DESC) AS r,
                      count(*) OVER (PARTITION BY user_id) AS total
            FROM e)
        SELECT user_id, {_TIME.format(col='created_at')}, kind, id, post_id, text, total
        FROM ranked WHERE r <= {int(last) + SLACK} ORDER BY user_id, r""").fetchall()
    con.unregister("_vis_users")
    con.unregister("_vis_asked")
    hidden = _carries_shown(con, [(r[3], r[5]) for r in rows if r[2] != "like"], texts)
    out = {u: History([], 0, 0) for u in users}
    for user, time, kind, eid, post_id, text, total in rows:
        h = out[user]
        h.total = total
        if eid in hidden and kind != "like":
            h.hidden_text += 1
        elif len(h.entries) < last:
            h.entries.append(Entry(time or "", kind, eid, post_id or "", text or ""))
    for h in out.values():
        h.entries.reverse()
    return out


def _carries_shown(con: duckdb.DuckDBPyConnection, entries: list[tuple[str, str]], texts: set[str]) -> set[str]:
    """Ids of entries whose squashed text is a shown text, or holds a long one (in DuckDB: a
    nested-loop `contains` over thousands of texts is too slow in Python)."""
    if not texts or not entries:
        return set()
    norms = [(eid, squash(text)) for eid, text in entries]
    hit = {eid for eid, n in norms if n and n in texts}
    long_texts = sorted(t for t in texts if len(t) >= CONTAINS_MIN)
    rest = [(eid, n) for eid, n in norms if eid not in hit and len(n) >= CONTAINS_MIN]
    if long_texts and rest:
        _register(con, "_vis_norm", {"id": [e for e, _ in rest], "norm": [n for _, n in rest]})
        _register(con, "_vis_long", {"t": long_texts})
        hit |= {r[0] for r in con.execute(
            "SELECT DISTINCT n.id FROM _vis_norm n, _vis_long l WHERE contains(n.norm, l.t)").fetchall()}
        con.unregister("_vis_norm")
        con.unregister("_vis_long")
    return hit


def pair_acts(con: duckdb.DuckDBPyConnection, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[Entry]]:
    """Every act of each user on each post (as thread root or direct parent), oldest first."""
    pairs = sorted(set(pairs))
    _register(con, "_vis_pairs", {"user_id": [u for u, _ in pairs], "post_id": [p for _, p in pairs]})
    rows = con.execute(f"""
        SELECT a.user_id, a.post_id, {_TIME.format(col='i.created_at')}, CAST(i.kind AS VARCHAR), i.id,
               i.post_id, i.text
        FROM _vis_pairs a JOIN interactions i ON i.user_id = a.user_id AND (i.post_id = a.post_id OR i.parent_id = a.post_id)
        ORDER BY a.user_id, a.post_id, i.created_at NULLS LAST, i.id""").fetchall()
    con.unregister("_vis_pairs")
    out: dict[tuple[str, str], list[Entry]] = {}
    for user, post, time, kind, eid, root, text in rows:
        out.setdefault((user, post), []).append(Entry(time or "", kind, eid, root or "", text or ""))
    return out


def spans(con: duckdb.DuckDBPyConnection, users: Iterable[str]) -> dict[str, Span]:
    """Each user's active span over the whole corpus (own posts and acts, hidden ones included)."""
    _register(con, "_vis_users", {"id": sorted(set(users))})
    rows = con.execute(f"""
        WITH t AS (SELECT author_id AS user_id, created_at, 0 AS act FROM posts WHERE author_id IN (SELECT id FROM _vis_users)
                   UNION ALL SELECT user_id, created_at, 1 FROM interactions WHERE user_id IN (SELECT id FROM _vis_users))
        SELECT user_id, {_TIME.format(col='min(created_at)')}, {_TIME.format(col='max(created_at)')},
               sum(act)::BIGINT, (count(*) - sum(act))::BIGINT
        FROM t GROUP BY user_id""").fetchall()
    con.unregister("_vis_users")
    return {u: Span(first or "", last or "", acts, posts) for u, first, last, acts, posts in rows}


def posts(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """id -> {author, time, text, origin} of the given posts."""
    _register(con, "_vis_posts", {"id": sorted(set(ids))})
    rows = con.execute(f"""
        SELECT p.id, p.author_id, {_TIME.format(col='p.created_at')}, p.text, p.veracity_origin
        FROM posts p JOIN _vis_posts w USING (id)""").fetchall()
    con.unregister("_vis_posts")
    return {pid: {"author": a or "", "time": t or "", "text": x or "", "origin": o or ""} for pid, a, t, x, o in rows}


def interactions(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, tuple[Entry, str]]:
    """id -> (Entry, user id) of the given interactions (a mid-zh cascade, a shown comment). A
    Bluesky comment is named by 'cmt:' + md5 of its at:// URI in items, as templated.py reads it."""
    _register(con, "_vis_acts", {"id": sorted(set(ids))})
    rows = con.execute(f"""
        SELECT w.id, i.user_id, {_TIME.format(col='i.created_at')}, CAST(i.kind AS VARCHAR), i.post_id, i.text
        FROM interactions i JOIN _vis_acts w
          ON w.id = (CASE WHEN starts_with(i.id, 'at://') THEN 'cmt:' || md5(i.id) ELSE i.id END)""").fetchall()
    con.unregister("_vis_acts")
    return {iid: (Entry(t or "", k, iid, p or "", x or ""), u) for iid, u, t, k, p, x in rows}
