"""Sampling helpers shared by the templated builders (ubp, ucs, mcr): all in DuckDB SQL.

Randomness is a seeded hash of seed and key (DuckDB hash()), never Python's RNG, so the same corpus and seed
select the same rows on any machine and DuckDB's thread scheduling cannot change the result.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Callable, Iterable

import duckdb
import pyarrow as pa

from ..errors import SomekitError
from ..schemas.task_options import DEFAULT_TRIES, options_for

#: Pools negatives may be drawn from (option `pool`); every pool is a partition of the posts into
#: bands, and a negative is drawn from the band of its positive's post.
POOLS = ("any", "window", "popularity")


def open_corpus(ws) -> duckdb.DuckDBPyConnection:
    """DuckDB over the workspace corpus, quiet: DuckDB's own progress bar would garble --json runs."""
    from ..store.query import connect

    con = connect(ws.corpus)
    con.execute("SET enable_progress_bar = false")
    return con


def rand_sql(seed: int, *exprs: str) -> str:
    """SQL for a seeded pseudo-random 64-bit number over the given SQL expressions.

    DuckDB's hash() is about 8x faster than md5 over a million rows; it is stable for a given
    DuckDB version, which builders record in stats.json (`duckdb`), so a byte difference after an
    upgrade is explainable."""
    return f"hash({int(seed)}, {', '.join(exprs)})"


def norm_sql(col: str) -> str:
    """SQL normalising text for content comparison: lower case, no whitespace, punctuation or
    symbols (emoji and [表情] brackets included), so '好！' and '好' count as the same content."""
    return f"regexp_replace(lower(coalesce({col}, '')), '[[:space:][:punct:]\\pP\\pS]+', '', 'g')"


def normalise_text(text: str | None) -> str:
    """Python twin of norm_sql for small sets (checks, export): lower case without whitespace,
    punctuation or symbols."""
    return "".join(ch for ch in (text or "").lower() if not (ch.isspace() or unicodedata.category(ch)[0] in "PS"))


def resolve(cfg: Any, task: str, n: int | None, seed: int | None, default_n: int) -> tuple[int, int, dict]:
    """n, seed and options for a task: the argument beats [tasks.<task>] which beats the defaults."""
    section = cfg.tasks.get(task) if cfg is not None else None
    n = n if n is not None else (section.n if section and section.n else default_n)
    if seed is None:
        seed = section.seed if section and section.seed is not None else (cfg.seed if cfg is not None else 42)
    options = options_for(cfg, task).model_dump()
    if n < 1:
        raise SomekitError(f"{task}: --n must be at least 1 (got {n})")
    return int(n), int(seed), options


def corpus_lang(con: duckdb.DuckDBPyConnection, cfg: Any, lang: str | None) -> str:
    """Query language: an explicit choice, else the config, else the corpus majority (zh default)."""
    if lang and lang != "auto":
        return lang
    if cfg is not None and cfg.workspace.lang != "auto":
        return cfg.workspace.lang
    rows = con.execute("SELECT lang FROM posts WHERE lang IS NOT NULL GROUP BY lang ORDER BY count(*) DESC, lang LIMIT 1").fetchall()
    return "en" if rows and rows[0][0].startswith("en") else "zh"


def create_post_bands(con: duckdb.DuckDBPyConnection, pool: str, options: dict, seed: int,
                      with_text: bool = True) -> None:
    """Table `post_band(id, author_id, text_norm, band, r, band_size)`: each post's band under
    `pool` and a seeded random rank inside it, so a random candidate is a join on (band, r).
    `with_text=False` skips normalising every post text when no content rule needs it."""
    if pool not in POOLS:
        raise SomekitError(f"unknown negative pool {pool!r}; choose from: {', '.join(POOLS)}")
    if pool == "window":
        unit = str(options.get("window", "month"))
        if unit not in ("day", "week", "month", "quarter", "year"):
            raise SomekitError(f"option window must be day/week/month/quarter/year, not {unit!r}")
        band = f"coalesce(CAST(date_trunc('{unit}', p.created_at) AS VARCHAR), 'unknown')"
        source = "posts p"
    elif pool == "popularity":
        bands = int(options.get("bands", 4))
        band = f"CAST(ntile({bands}) OVER (ORDER BY coalesce(c.n, 0), p.id) AS VARCHAR)"
        source = "posts p LEFT JOIN (SELECT post_id, count(*) AS n FROM interactions GROUP BY post_id) c ON c.post_id = p.id"
    else:
        band, source = "'all'", "posts p"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE post_band AS
        WITH b AS (SELECT p.id, p.author_id, {norm_sql('p.text') if with_text else "''"} AS text_norm, {band} AS band
                   FROM {source})
        SELECT id, author_id, text_norm, band,
               row_number() OVER (PARTITION BY band ORDER BY {rand_sql(seed, 'id')}, id) - 1 AS r,
               count(*) OVER (PARTITION BY band) AS band_size
        FROM b""")


def draw_negative_posts(con: duckdb.DuckDBPyConnection, anchors: str, seed: int, tries: int,
                        kinds: Iterable[str] | None, differ_content: bool) -> None:
    """Table `negatives(anchor, neg_post)`: per anchor row (columns anchor, user_id, post_id) one
    post from the anchor post's band that the user neither wrote nor interacted with (in any of
    `kinds`, or any way when None), and, when `differ_content`, whose normalised text differs
    from the anchor post's. `tries` random candidates are drawn per anchor (with replacement);
    anchors with none left get no row and count towards the shortfall."""
    kind_filter = ""
    if kinds is not None:
        kind_filter = "AND i.kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"
    content = "AND c.text_norm <> a.text_norm" if differ_content else ""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE negatives AS
        WITH a AS (
            SELECT x.anchor, x.user_id, x.post_id, pb.band, pb.band_size, pb.text_norm
            FROM {anchors} x JOIN post_band pb ON pb.id = x.post_id),
        draws AS (
            SELECT a.anchor, a.user_id, a.post_id, a.band, a.text_norm, t.k,
                   CAST({rand_sql(seed, 'a.anchor', 't.k')} % a.band_size AS BIGINT) AS r
            FROM a CROSS JOIN range({int(tries)}) t(k)),
        seen AS (SELECT user_id, post_id FROM interactions i
                 WHERE i.user_id IN (SELECT user_id FROM {anchors}) {kind_filter}),
        cand AS (
            SELECT d.anchor, d.k, c.id AS neg_post
            FROM draws d JOIN post_band c ON c.band = d.band AND c.r = d.r
            WHERE c.id <> d.post_id AND c.author_id IS DISTINCT FROM d.user_id {content.replace('a.text_norm', 'd.text_norm')}
              AND NOT EXISTS (SELECT 1 FROM seen i WHERE i.user_id = d.user_id AND i.post_id = c.id))
        SELECT anchor, arg_min(neg_post, k) AS neg_post FROM cand GROUP BY anchor""")


def seeded_order(items: list, seed: int) -> list:
    """Items in a seeded random order of their ids: shuffles the answer order (SoMe's released
    files alternate yes/no, which an agent can exploit) and stays byte-stable for a seed."""
    import hashlib

    return sorted(items, key=lambda it: (hashlib.sha256(f"{seed}:{it.id}".encode()).hexdigest(), it.id))


def shortfall(wanted: int, got: int) -> int:
    return max(0, wanted - got)


def rank_positives(con: duckdb.DuckDBPyConnection, table: str, where: str, seed: int, by_kind: bool = False) -> int:
    """Temp table `table(anchor, user_id, post_id, h[, kind])`: one seeded interaction per (user,
    post[, kind]) among interactions matching `where` on a post of the corpus; returns its row
    count. A hash aggregate, not a window, because it runs over the whole interactions file;
    `by_kind` lets UBP rank all three actions in one pass."""
    kind = ", i.kind" if by_kind else ""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        WITH x AS (SELECT i.id, i.user_id, i.post_id, {rand_sql(seed, 'i.id')} AS h {kind}
                   FROM interactions i WHERE {where} AND i.post_id IN (SELECT id FROM posts))
        SELECT arg_min(id, h) AS anchor, user_id, post_id, min(h) AS h {kind.replace('i.', '')}
        FROM x GROUP BY user_id, post_id {kind.replace('i.', '')}""")
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def take_anchors(con: duckdb.DuckDBPyConnection, table: str, take: int, per_user: int) -> None:
    """Temp table `anchors`: the `take` first positives in seeded order, at most `per_user` per
    user, with their interaction's text and kind and a `rank`. Growing `take` only appends."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE anchors AS
        WITH top AS (SELECT * FROM {table} ORDER BY h, anchor LIMIT {int(take)}),
        capped AS (SELECT * FROM top QUALIFY row_number() OVER (PARTITION BY user_id ORDER BY h, anchor) <= {int(per_user)})
        SELECT c.anchor, c.user_id, c.post_id, i.text, i.kind, row_number() OVER (ORDER BY c.h, c.anchor) AS rank
        FROM capped c JOIN interactions i ON i.id = c.anchor
        QUALIFY row_number() OVER (PARTITION BY c.anchor ORDER BY i.source) = 1""")


def sample_pairs(con: duckdb.DuckDBPyConnection, kinds: Iterable[str], want: int, seed: int, *,
                 per_user: int = 1, tries: int = DEFAULT_TRIES, negative_kinds: Iterable[str] | None = None,
                 differ_content: bool = False,
                 keep: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None,
                 ranked: str | None = None) -> list[dict[str, Any]]:
    """Up to `want` (positive, negative) pairs, in seeded order: a positive is one real interaction
    of a kind in `kinds` (one per user and post, at most `per_user` per user), its negative a post
    the same user never interacted with (see draw_negative_posts). Needs `post_band`.

    Negatives are drawn for a seeded prefix of the positives, doubled until `want` pairs are found
    or the positives run out, so the cost follows `want`, not the corpus size. `keep` filters
    candidate pairs further (the embedding rule) before they count; `ranked` names a table from
    rank_positives(by_kind=True) to reuse."""
    kind_list = ", ".join(f"'{k}'" for k in kinds)
    if ranked is None:
        total = rank_positives(con, "pos_ranked", f"i.kind IN ({kind_list})", seed)
    else:  # positives ranked by the caller for several kinds at once
        con.execute(f"CREATE OR REPLACE TEMP TABLE pos_ranked AS SELECT * EXCLUDE (kind) FROM {ranked} WHERE kind IN ({kind_list})")
        total = con.execute("SELECT count(*) FROM pos_ranked").fetchall()[0][0]
    take = min(total, want * 2 + 64)
    while True:
        take_anchors(con, "pos_ranked", take, per_user)
        draw_negative_posts(con, "anchors", seed, tries, negative_kinds, differ_content)
        rows = con.execute("""
            SELECT a.anchor, a.user_id, a.post_id, a.text, a.kind, n.neg_post, pb.band
            FROM anchors a JOIN negatives n USING (anchor) JOIN post_band pb ON pb.id = a.post_id
            ORDER BY a.rank""").fetchall()
        pairs, used = [], set()
        for anchor, user, post, text, kind, neg, band in rows:
            if (user, neg) in used:  # two anchors of one user drew the same negative
                continue
            used.add((user, neg))
            pairs.append({"anchor": anchor, "user_id": user, "post_id": post, "text": text, "kind": kind,
                          "neg_post": neg, "band": band})
        if keep is not None:
            pairs = keep_first(pairs, want, keep)
        if len(pairs) >= want or take >= total:
            return pairs[:want]
        take = min(total, take * 2)


def keep_first(pairs: list[dict[str, Any]], want: int, keep: Callable) -> list[dict[str, Any]]:
    """The first `want` pairs that `keep` accepts, calling it on small chunks in order so only
    about as many pairs as needed are embedded."""
    kept: list[dict[str, Any]] = []
    i = 0
    while len(kept) < want and i < len(pairs):
        chunk = pairs[i:i + max(8, want - len(kept))]
        i += len(chunk)
        kept.extend(keep(chunk))
    return kept[:want]


def cosine_keep(ws, cfg, threshold: float, texts_for: Callable[[list[dict[str, Any]]], list[tuple[str, str]]]):
    """A `keep` filter for the embedding content rule: drops pairs whose (positive, negative)
    texts have cosine >= threshold under the workspace embedder, and notes the cosine on the rest.
    Embeddings are cached in cache/llm.sqlite, so widening the sample re-embeds nothing."""
    from ..annotate.embeddings import get_embedder

    embedder = get_embedder(ws, cfg)

    def keep(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not pairs:
            return pairs
        texts = [t for pair in texts_for(pairs) for t in pair]
        vecs = embedder.embed(texts, kind="passage")
        kept = []
        for k, p in enumerate(pairs):
            cos = float(vecs[2 * k] @ vecs[2 * k + 1])  # vectors are L2-normalised
            if cos < threshold:
                kept.append({**p, "cosine": round(cos, 4)})
        return kept

    return keep


def post_texts_for(con: duckdb.DuckDBPyConnection):
    """texts_for(pairs) over post ids: (positive post text, negative post text) per pair."""

    def texts_for(pairs: list[dict[str, Any]]) -> list[tuple[str, str]]:
        ids = sorted({p["post_id"] for p in pairs} | {p["neg_post"] for p in pairs})
        con.register("_ids", pa.table({"id": pa.array(ids, pa.string())}))
        text = dict(con.execute("SELECT p.id, p.text FROM posts p JOIN _ids USING (id)").fetchall())
        con.unregister("_ids")
        return [(text.get(p["post_id"]) or "", text.get(p["neg_post"]) or "") for p in pairs]

    return texts_for


def finish_paired_build(ws, task: str, items: list, n: int, built: int, seed: int, stats: dict[str, Any]):
    """Shared tail of the yes/no pair builders (ucs, mcr): one bucket per label with `built` of
    `n` pairs, shortfall warnings, seeded answer order, items and stats written."""
    from ..store.items import write_items
    from .registry import BuildResult

    missing = shortfall(n, built)
    stats = {**stats, "seed": seed, "duckdb": duckdb.__version__,
             "buckets": {label: {"wanted": n, "built": built, "shortfall": missing} for label in ("yes", "no")}}
    warnings = [f"{task} {label}: corpus supplied {built} of {n} ({missing} short)" for label in ("yes", "no") if missing]
    items = seeded_order(items, seed)
    stats["items"] = len(items)
    write_items(ws, task, items, stats={**stats, "warnings": warnings})
    return BuildResult(task, len(items), stats, warnings)
