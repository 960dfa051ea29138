"""(positive, negative) pair sampling for the yes/no builders (ubp, ucs, mcr), in DuckDB SQL.

The rules that keep the pairs free of shortcuts (issue 13):
- `acts`: interactions with their effective kind (Weibo's auto-filled repost text is a plain
  repost) and the comment's own words (`clean`, builders/comment_text.py).
- `touched`: every post a user acted on in any way, a reply's direct parent as well as its
  thread root, and the user's own posts. Negatives avoid all of them; the content rule compares a
  negative with every one of them, not only with the anchor.
- Positives never ask about the user's own post (the history would show the user wrote it).
- Matched negatives: a negative post is drawn from the positives' own post distribution (a
  random positive pair's post), so a post's identity, time or popularity says nothing about the
  label; `weighting = "uniform"` draws uniformly among posts instead.
- Exposure-matched negatives: a negative was published near its positive and live while the
  user acted on it (builders/exposure.py), so its time read against the user's history says
  nothing.
- min_history: an asked user keeps at least N touched posts once every post asked about them is
  hidden; users who would fall short are skipped, never padded.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

import duckdb

from ..schemas.tasks import TASKS
from ..errors import SomekitError
from .comment_text import acts_sql
from .exposure import create_exposed_pool, create_user_days, exposed_draws_sql, live_sql
from .sampling import hex_int_sql, norm_sql, rand_sql

POOLS = ("any", "window", "popularity")
WEIGHTINGS = ("matched", "uniform")
#: Valid negatives kept per anchor, so that the post balance (sample_pairs) can pass over some.
CANDIDATES = 4
#: Most a post's yes count may exceed its no count, or the reverse, among a task's pairs.
POST_SURPLUS = 1
#: Most a matched negative's draw weight is raised to make up for the users who touched the post.
MAX_REWEIGHT = 20


def create_acts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Temp tables `acts`, `touched(user_id, post_id)` and `history(user_id, n)`; returns counts
    of comments by what is left of their words (for stats: the share of empty comments)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE acts AS {acts_sql('i.post_id IN (SELECT id FROM posts)')}")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE touched AS
        SELECT DISTINCT user_id, post_id FROM (
            SELECT user_id, post_id FROM interactions WHERE post_id IS NOT NULL
            UNION ALL
            SELECT i.user_id, i.parent_id FROM interactions i JOIN posts p ON p.id = i.parent_id
            WHERE CAST(i.kind AS VARCHAR) IN ('reply', 'quote', 'comment')
            UNION ALL
            SELECT author_id, id FROM posts WHERE author_id IS NOT NULL)""")
    # History that survives the export's leak filter: that filter hides every entry carrying a
    # text shown in some query, so a post counts only when the user's act on it has no text or a
    # text found nowhere else in the corpus (a repeated '哈哈' or a self-copy may vanish).
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE history AS
        WITH sq AS (SELECT user_id, post_id, {norm_sql('text')} AS s FROM interactions WHERE post_id IS NOT NULL
                    UNION ALL SELECT author_id, id, {norm_sql('text')} FROM posts WHERE author_id IS NOT NULL),
        common AS (SELECT s FROM sq WHERE s <> '' GROUP BY s HAVING count(*) > 1),
        robust AS (SELECT DISTINCT user_id, post_id FROM sq WHERE s = '' OR s NOT IN (SELECT s FROM common))
        SELECT user_id, count(*) AS n FROM robust GROUP BY user_id""")
    row = con.execute("""SELECT count(*) FILTER (WHERE orig_kind IN ('comment', 'reply', 'quote')),
                                count(*) FILTER (WHERE orig_kind = 'comment' AND kind = 'repost'),
                                count(*) FILTER (WHERE orig_kind IN ('comment', 'reply', 'quote') AND kind <> 'repost' AND clean = '')
                         FROM acts""").fetchone()
    return {"comments": row[0], "boilerplate_reposts": row[1], "empty_comments": row[2]}


def create_post_bands(con: duckdb.DuckDBPyConnection, pool: str, options: Any, with_text: bool = True) -> None:
    """Table `post_band(id, author_id, text_norm, band)`: each post's band under `pool` (a
    negative is drawn from its positive's band) and, `with_text`, its normalised text (the exact
    content rule; near-copies: content_rule.py)."""
    if pool not in POOLS:
        raise SomekitError(f"unknown negative pool {pool!r}; choose from: {', '.join(POOLS)}")
    if pool == "window":
        unit = options.window  # typed: one of day/week/month/quarter/year (schemas/task_options.py)
        band = f"coalesce(CAST(date_trunc('{unit}', p.created_at) AS VARCHAR), 'unknown')"
        source = "posts p"
    elif pool == "popularity":
        bands = options.bands
        band = f"CAST(ntile({bands}) OVER (ORDER BY coalesce(c.n, 0), p.id) AS VARCHAR)"
        source = "posts p LEFT JOIN (SELECT post_id, count(*) AS n FROM interactions GROUP BY post_id) c ON c.post_id = p.id"
    else:
        band, source = "'all'", "posts p"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE post_band AS
        SELECT p.id, p.author_id, {norm_sql('p.text') if with_text else "''"} AS text_norm, {band} AS band FROM {source}""")


def create_negative_pool(con: duckdb.DuckDBPyConnection, ranked: str, weighting: str, seed: int, salt: str,
                         exposure_days: int | None = None) -> None:
    """Table `neg_pool(id, band, lo, band_size)` the negatives are drawn from: one row per post
    with a draw weight (matched: as often as it is a positive in `ranked`; uniform: 1), laid end
    to end in seeded order inside each band, so a draw r in [0, band_size) lands on the post whose
    [lo, lo + weight) holds it (an ASOF join)."""
    if weighting not in WEIGHTINGS:
        raise SomekitError(f"unknown negative weighting {weighting!r}; choose from: {', '.join(WEIGHTINGS)}")
    if weighting == "matched":
        # A post is a positive c times; as a negative it is rejected for the share tau of users
        # who touched it, so it is drawn c / (1 - tau) times to come out c times (tau capped: a
        # post nearly everyone touched cannot be balanced, and the audit will say so).
        ctes = f"""
            pos AS (SELECT post_id, count(*) AS c FROM {ranked} GROUP BY post_id),
            nu AS (SELECT count(DISTINCT user_id) AS n FROM {ranked}),
            tau AS (SELECT t.post_id, count(*) AS k FROM touched t
                    WHERE t.user_id IN (SELECT DISTINCT user_id FROM {ranked}) AND t.post_id IN (SELECT post_id FROM pos)
                    GROUP BY t.post_id),
            w AS (SELECT pos.post_id, pos.c,
                         greatest(1, CAST(round(pos.c / greatest(1 - coalesce(tau.k, 0) / nu.n, {1 / MAX_REWEIGHT})) AS BIGINT)) AS reps
                  FROM pos LEFT JOIN tau USING (post_id) CROSS JOIN nu),
            s AS (SELECT w.post_id AS id, pb.band, w.reps AS weight FROM w JOIN post_band pb ON pb.id = w.post_id)"""
    else:
        ctes = "s AS (SELECT id, band, 1 AS weight FROM post_band)"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE neg_pool AS
        WITH {ctes},
        o AS (SELECT *, {rand_sql(seed, 'id', salt=salt + ':pool')} AS h FROM s)
        SELECT id, band, weight,
               CAST(coalesce(sum(weight) OVER (PARTITION BY band ORDER BY h, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS BIGINT) AS lo,
               CAST(sum(weight) OVER (PARTITION BY band) AS BIGINT) AS band_size
        FROM o""")
    if exposure_days is not None:
        create_exposed_pool(con, seed, salt)


def rank_positives(con: duckdb.DuckDBPyConnection, table: str, where: str, seed: int, salt: str,
                   min_history: int, by_kind: bool = False) -> int:
    """Temp table `table(anchor, user_id, post_id, h[, kind])`: one seeded act per (user, post[,
    kind]) among `acts` matching `where`, never on the user's own post, by users with enough
    history to keep `min_history` posts once one is asked; returns its row count."""
    kind = ", a.kind" if by_kind else ""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        WITH x AS (SELECT a.id, a.user_id, a.post_id, {rand_sql(seed, 'a.id', salt=salt)} AS h {kind}
                   FROM acts a JOIN posts p ON p.id = a.post_id
                   WHERE ({where}) AND p.author_id IS DISTINCT FROM a.user_id
                     AND a.user_id IN (SELECT user_id FROM history WHERE n > {int(min_history)}))
        SELECT arg_min(x.id, x.h) AS anchor, x.user_id, x.post_id, min(x.h) AS h {kind.replace('a.', 'x.')}
        FROM x GROUP BY x.user_id, x.post_id {kind.replace('a.', 'x.')}""")
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def take_anchors(con: duckdb.DuckDBPyConnection, table: str, take: int, per_user: int) -> None:
    """Temp table `anchors`: the `take` first positives in seeded order, at most `per_user` per
    user, with their act's text, clean words and kind and a `rank`. Growing `take` only appends."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE anchors AS
        WITH top AS (SELECT * FROM {table} ORDER BY h, anchor LIMIT {int(take)}),
        capped AS (SELECT * FROM top QUALIFY row_number() OVER (PARTITION BY user_id ORDER BY h, anchor) <= {int(per_user)})
        SELECT c.anchor, c.user_id, c.post_id, a.text, a.clean, a.kind, row_number() OVER (ORDER BY c.h, c.anchor) AS rank
        FROM capped c JOIN acts a ON a.id = c.anchor
        QUALIFY row_number() OVER (PARTITION BY c.anchor ORDER BY a.source) = 1""")


def _seen_sql(anchors: str, kinds: Iterable[str] | None) -> str:
    if kinds is None:
        return f"SELECT user_id, post_id FROM touched WHERE user_id IN (SELECT user_id FROM {anchors})"
    names = ", ".join(f"'{k}'" for k in kinds)
    return f"""SELECT user_id, post_id FROM acts WHERE kind IN ({names}) AND user_id IN (SELECT user_id FROM {anchors})
               UNION ALL SELECT user_id, parent_id FROM acts WHERE kind IN ({names}) AND parent_id IS NOT NULL
               AND user_id IN (SELECT user_id FROM {anchors})
               UNION ALL SELECT author_id, id FROM posts WHERE author_id IN (SELECT user_id FROM {anchors})"""


def draw_negative_posts(con: duckdb.DuckDBPyConnection, anchors: str, seed: int, salt: str, tries: int,
                        kinds: Iterable[str] | None, differ_content: bool, exposure_days: int | None = None,
                        append: bool = False) -> None:
    """Table `negatives(anchor, negs)`: per anchor up to CANDIDATES posts of `neg_pool` (first
    drawn first) in the anchor post's band that the user never wrote nor touched (in any of
    `kinds`, or any way when None), and, with `differ_content`, whose normalised text matches no
    post the user touched. `tries` draws per anchor; anchors with none left count towards the
    shortfall. With `exposure_days`, a negative must have been live while the user was visibly
    active (builders/exposure.py). `append` adds the anchors' rows to an existing `negatives`:
    an anchor's draws depend on the anchor alone, so drawing a grown prefix's new anchors only
    gives the same rows as drawing them all again."""
    content = ""
    if differ_content:
        # An empty text matches an empty text: two posts with nothing to read (media not enriched,
        # or media_text off) cannot be told apart, so one is no valid negative for the other.
        content = """AND NOT EXISTS (
            SELECT 1 FROM touched t JOIN post_band tp ON tp.id = t.post_id
            WHERE t.user_id = d.user_id AND tp.text_norm = pc.text_norm)"""
    if exposure_days is None:
        draws = f"""
        sizes AS (SELECT band, max(band_size) AS band_size FROM neg_pool GROUP BY band),
        d0 AS (SELECT a.*, t.k, {rand_sql(seed, 'a.anchor', 't.k', salt=salt + ':neg')} AS h
               FROM a CROSS JOIN range({int(tries)}) t(k)),
        d AS (SELECT d0.*, {hex_int_sql('d0.h')} % s.band_size AS r FROM d0 JOIN sizes s USING (band)),
        hit AS (SELECT d.*, c.id AS neg_post FROM d ASOF JOIN neg_pool c ON c.band = d.band AND d.r >= c.lo),"""
        same_band = ""
    else:
        create_user_days(con, anchors, exposure_days)
        draws = exposed_draws_sql(seed, salt, tries)
        same_band = "AND pc.band = d.band " + live_sql(exposure_days)
    into = "INSERT INTO negatives" if append else "CREATE OR REPLACE TEMP TABLE negatives AS"
    con.execute(f"""
        {into}
        WITH a AS (SELECT x.anchor, x.user_id, x.post_id, pb.band FROM {anchors} x JOIN post_band pb ON pb.id = x.post_id),
        {draws}
        seen AS ({_seen_sql(anchors, kinds)}),
        cand AS (
            SELECT d.anchor, d.k, d.neg_post
            FROM hit d JOIN post_band pc ON pc.id = d.neg_post
            WHERE d.neg_post <> d.post_id AND pc.author_id IS DISTINCT FROM d.user_id {same_band}
              AND NOT EXISTS (SELECT 1 FROM seen i WHERE i.user_id = d.user_id AND i.post_id = d.neg_post) {content})
        SELECT anchor, list(neg_post ORDER BY k)[1:{int(CANDIDATES)}] AS negs FROM cand GROUP BY anchor""")


class HistoryBudget:
    """Posts asked about each user so far (positives only: a negative was never touched, so
    hiding it takes nothing from the history); a pair is kept only if the user still has
    `min_history` touched posts once all of them are hidden. Shared by UBP's three actions."""

    def __init__(self, con: duckdb.DuckDBPyConnection, min_history: int):
        self.con, self.min_history = con, min_history
        self.asked: dict[str, set[str]] = {}
        self.sizes: dict[str, int] = {}
        self.skipped = 0

    def load(self, users: Iterable[str]) -> None:
        missing = sorted(set(users) - set(self.sizes))
        if missing:
            import pyarrow as pa

            self.con.register("_hb_users", pa.table({"user_id": pa.array(missing, pa.string())}))
            self.sizes.update(dict(self.con.execute(
                "SELECT h.user_id, h.n FROM history h JOIN _hb_users USING (user_id)").fetchall()))
            self.con.unregister("_hb_users")

    def preload(self, ws, task: str) -> list[str]:
        """Count the posts the other built user-centric tasks already ask about (their positives,
        which the export hides too), so a user asked in several tasks still keeps the history.
        Returns the tasks counted (recorded in stats: the result depends on them)."""
        from ..store.items import built_tasks, iter_items

        counted = []
        for other in built_tasks(ws):
            if other == task or not TASKS[other].user_centric:
                continue
            counted.append(other)
            for item in iter_items(ws, other):
                label = getattr(item.answer, "label", "yes")
                if label == "yes" and item.review.state != "rejected":
                    self.take(item.inputs.user_id, item.inputs.post_id)
        return counted

    def copy(self) -> "HistoryBudget":
        other = HistoryBudget(self.con, self.min_history)
        other.sizes = self.sizes
        other.asked = {u: set(p) for u, p in self.asked.items()}
        return other

    def allows(self, user: str, post: str) -> bool:
        asked = self.asked.get(user, set())
        return self.sizes.get(user, 0) - len(asked | {post}) >= self.min_history

    def take(self, user: str, post: str) -> None:
        self.asked.setdefault(user, set()).add(post)


def sample_pairs(con: duckdb.DuckDBPyConnection, ranked: str, want: int, seed: int, salt: str, budget: HistoryBudget, *,
                 per_user: int = 1, tries: int = 48, negative_kinds: Iterable[str] | None = None,
                 differ_content: bool = False, exposure_days: int | None = None, near: Any = None,
                 keep: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None) -> list[dict[str, Any]]:
    """Up to `want` (positive, negative) pairs, in seeded order, from the positives in `ranked`
    (see rank_positives); needs `post_band` and `neg_pool`. Negatives are drawn for a seeded
    prefix of the positives, doubled until `want` pairs are found or the positives run out, so
    the cost follows `want`, not the corpus size. `keep` filters candidate pairs further."""
    total = con.execute(f"SELECT count(*) FROM {ranked}").fetchall()[0][0]
    take = min(total, want * 2 + 64)
    drawn = 0  # anchors (a prefix, by rank) whose negatives are drawn already
    while True:
        take_anchors(con, ranked, take, per_user)
        con.execute(f"CREATE OR REPLACE TEMP VIEW new_anchors AS SELECT * FROM anchors WHERE rank > {drawn}")
        draw_negative_posts(con, "new_anchors", seed, salt, tries, negative_kinds, differ_content, exposure_days,
                            append=drawn > 0)
        drawn = con.execute("SELECT count(*) FROM anchors").fetchall()[0][0]
        rows = con.execute("""
            SELECT a.anchor, a.user_id, a.post_id, a.text, a.kind, n.negs, pb.band
            FROM anchors a JOIN negatives n USING (anchor) JOIN post_band pb ON pb.id = a.post_id
            ORDER BY a.rank""").fetchall()
        budget.load(r[1] for r in rows)
        if near is not None:  # near-copies of a touched post are disguised positives (content_rule.py)
            near.load((r[1] for r in rows), (q for r in rows for q in r[5]))
        trial = budget.copy()
        # Post balance: a post is a yes at most POST_SURPLUS times more than it is a no, and the
        # reverse, so a post's answer in the other items says nothing (a post nearly every user
        # touched can only be a yes: its positives are capped instead).
        surplus: dict[str, int] = {}
        pairs, used = [], set()
        for anchor, user, post, text, kind, negs, band in rows:
            if not trial.allows(user, post):
                trial.skipped += 1
                continue
            if surplus.get(post, 0) >= POST_SURPLUS:
                continue
            neg = next((q for q in negs if (user, q) not in used and -surplus.get(q, 0) < POST_SURPLUS
                        and (near is None or near.allowed(user, q))), None)
            if neg is None:
                continue
            used.add((user, neg))
            trial.take(user, post)
            surplus[post] = surplus.get(post, 0) + 1
            surplus[neg] = surplus.get(neg, 0) - 1
            pairs.append({"anchor": anchor, "user_id": user, "post_id": post, "text": text, "kind": kind,
                          "neg_post": neg, "band": band})
        if keep is not None:
            pairs = keep_first_pairs(pairs, want, keep)
        if len(pairs) >= want or take >= total:
            pairs = pairs[:want]
            for p in pairs:
                budget.take(p["user_id"], p["post_id"])
            budget.skipped += trial.skipped
            return pairs
        take = min(total, take * 2)


def keep_first_pairs(pairs: list[dict[str, Any]], want: int, keep: Callable) -> list[dict[str, Any]]:
    from .sampling import keep_first

    return keep_first(pairs, want, keep)
