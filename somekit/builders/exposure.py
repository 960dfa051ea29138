"""Exposure-matched negatives for UBP and MCR: a "no" post could have reached the user then.

A negative drawn from the whole corpus is often from a period when the user was not active at
all; then the asked post's time, read against the times in the user's own visible history,
separates yes from no (on the full CED corpus a one-threshold rule did so at 0.58-0.60). The
user was demonstrably active when they acted on the positive post P (that act is hidden from
their history, as the answer). So a negative for the pair is drawn from posts published within
`exposure_days` of P's publication, weighted as the negative pool weights them (matched to the
positives' own post distribution), and it must have been live (posted, reposted or commented on
by anyone) within `exposure_days` of the user's act on P: a post the user could have seen in the
feed while they were active. Read against the user's visible history, the negative's time is
then distributed as P's, up to the window.

Why not a window around the user's visible interactions (the first idea): measured on CED, the
positive posts lie a median 24 days from the user's nearest visible act (a user's acts are
spread out; the one on P is one of them, hidden), while negatives live near visible acts lay 5
days away, and the gap alone answered 0.69-0.70 of the items. Default window: 1 day, how
briefly a Weibo post circulates (most of a cascade's reposts come within its first day).
Anchors with no exposed candidate left count towards the shortfall, never padded.
"""

from __future__ import annotations

import duckdb



def create_live_days(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table `live_day(post_id, day)`: the days a post was posted or interacted with."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE live_day AS
        SELECT DISTINCT post_id, CAST(created_at AS DATE) AS day FROM interactions
        WHERE post_id IS NOT NULL AND created_at IS NOT NULL
        UNION SELECT id, CAST(created_at AS DATE) FROM posts WHERE created_at IS NOT NULL""")


def create_user_days(con: duckdb.DuckDBPyConnection, anchors: str, days: int) -> None:
    """Temp table `anchor_day(anchor, day, act_day)`: per anchor, the days within `days` of its
    post's publication (where its negative is published), and the day of the user's act."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE anchor_day AS
        SELECT x.anchor, CAST(p.created_at AS DATE) + CAST(k AS INTEGER) AS day, CAST(i.created_at AS DATE) AS act_day
        FROM {anchors} x JOIN posts p ON p.id = x.post_id JOIN interactions i ON i.id = x.anchor,
             range({-int(days)}, {int(days) + 1}) r(k)
        WHERE p.created_at IS NOT NULL AND i.created_at IS NOT NULL""")


def live_sql(days: int) -> str:
    """SQL predicate on a candidate `d` (anchor, neg_post, act_day): the negative was live within
    `days` of the user's act on the anchor post. The post is the join key and the day a filter
    on its few live days: keyed on the day range instead, DuckDB joined every anchor with every
    post live on those days (most of a 10M build's time)."""
    return f"""AND EXISTS (SELECT 1 FROM live_day l WHERE l.post_id = d.neg_post
                           AND l.day BETWEEN d.act_day - {int(days)} AND d.act_day + {int(days)})"""


def create_exposed_pool(con: duckdb.DuckDBPyConnection, seed: int, salt: str) -> None:
    """Temp table `exposed_pool(id, day, lo, band_size)`: `neg_pool`'s posts and draw weights,
    one band per publication day, laid end to end in seeded order (drawn like neg_pool)."""
    from .sampling import rand_sql

    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE exposed_pool AS
        WITH o AS (SELECT n.id, l.day, n.weight, {rand_sql(seed, 'n.id', salt=salt + ':exposed')} AS h
                   FROM neg_pool n JOIN (SELECT id, CAST(created_at AS DATE) AS day FROM posts
                                         WHERE created_at IS NOT NULL) l ON l.id = n.id)
        SELECT id, day,
               CAST(coalesce(sum(weight) OVER (PARTITION BY day ORDER BY h, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS BIGINT) AS lo,
               CAST(sum(weight) OVER (PARTITION BY day) AS BIGINT) AS band_size
        FROM o""")


def exposed_draws_sql(seed: int, salt: str, tries: int) -> str:
    """CTEs (after `a`, the anchors with their band) ending in `hit(anchor, user_id, post_id,
    band, k, neg_post, act_day)`: each of `tries` draws picks one of the anchor's days at random,
    then a post published that day with the pool's weights."""
    from .sampling import hex_int_sql, rand_sql

    return f"""
        ud AS (SELECT u.anchor, u.day, row_number() OVER (PARTITION BY u.anchor ORDER BY u.day) - 1 AS j,
                      count(*) OVER (PARTITION BY u.anchor) AS nd
               FROM anchor_day u WHERE u.day IN (SELECT DISTINCT day FROM exposed_pool)),
        nd AS (SELECT DISTINCT anchor, nd FROM ud),
        sizes AS (SELECT day, max(band_size) AS band_size FROM exposed_pool GROUP BY day),
        d0 AS (SELECT a.*, t.k, {rand_sql(seed, 'a.anchor', 't.k', salt=salt + ':day')} AS hd,
                      {rand_sql(seed, 'a.anchor', 't.k', salt=salt + ':neg')} AS h
               FROM a CROSS JOIN range({int(tries)}) t(k)),
        d1 AS (SELECT d0.*, ud.day FROM d0 JOIN nd USING (anchor)
               JOIN ud ON ud.anchor = d0.anchor AND ud.j = {hex_int_sql('d0.hd')} % nd.nd),
        d AS (SELECT d1.*, {hex_int_sql('d1.h')} % s.band_size AS r FROM d1 JOIN sizes s USING (day)),
        act AS (SELECT DISTINCT anchor, act_day FROM anchor_day),
        hit AS (SELECT d.anchor, d.user_id, d.post_id, d.band, d.k, c.id AS neg_post, act.act_day
                FROM d ASOF JOIN exposed_pool c ON c.day = d.day AND d.r >= c.lo JOIN act USING (anchor)),"""
