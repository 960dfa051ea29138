"""Sampling helpers shared by the templated builders (ubp, ucs, mcr): all in DuckDB SQL.

Randomness is a seeded md5 of salt, seed and key (rand_sql), never Python's RNG or DuckDB's
version-specific hash(), so the same corpus and seed select the same rows on any machine and any
DuckDB release, and DuckDB's thread scheduling cannot change the result.
"""

from __future__ import annotations

from typing import Any, Callable

import duckdb
import pyarrow as pa

from ..schemas.tasks import resolve_run



def open_corpus(ws) -> duckdb.DuckDBPyConnection:
    """DuckDB over the workspace corpus, quiet: DuckDB's own progress bar would garble --json runs."""
    from ..store.query import connect

    from ..textnorm import register_sql

    con = connect(ws.corpus)
    con.execute("SET enable_progress_bar = false")
    register_sql(con)  # norm_sql / clean_sql call the shared Python normalisation
    return con


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def rand_sql(seed: int, *exprs: str, salt: str = "") -> str:
    """SQL for a seeded pseudo-random sort key (32 hex digits) over the given SQL expressions.

    md5 of the text `salt␟seed␟expr1␟...` (␟ = U+001F): md5 and text casts are defined by
    standards, not by the DuckDB release (DuckDB's hash() changed between versions), so the same
    corpus, seed and salt select the same rows under any DuckDB. Python twin: stable_hash_hex.
    `salt` (the task name) keeps tasks from drawing the same pairs with one seed."""
    parts = ", ".join(f"CAST({e} AS VARCHAR)" for e in exprs)
    return f"md5(concat_ws(chr(31), {_sql_str(salt)}, {_sql_str(str(int(seed)))}, {parts}))"


def hex_int_sql(col: str) -> str:
    """SQL: the first 8 hex digits of a rand_sql column as an integer in [0, 2**32), decoded
    digit by digit (hex casts differ between DuckDB releases; instr() does not)."""
    digits = " + ".join(f"(instr('0123456789abcdef', substr({col}, {k + 1}, 1)) - 1) * {16 ** (7 - k)}" for k in range(8))
    return f"CAST({digits} AS BIGINT)"


def stable_hash_hex(seed: int, *values: str, salt: str = "") -> str:
    """Python twin of rand_sql for the same values (tests prove they agree)."""
    import hashlib

    return hashlib.md5("\x1f".join([salt, str(int(seed)), *map(str, values)]).encode("utf-8")).hexdigest()


def norm_sql(col: str) -> str:
    """SQL: the one content normalisation (somekit/textnorm.py) of a column, '' for NULL; works on
    connections from open_corpus (which registers the function)."""
    from ..textnorm import SQL_FUNCTION

    return f"{SQL_FUNCTION}({col})"


def normalise_text(text: str | None) -> str:
    """The one content normalisation (somekit/textnorm.py), for small sets (checks, export)."""
    from ..textnorm import normalise

    return normalise(text)


def resolve(cfg: Any, task: str, n: int | None, seed: int | None, default_n: int,
            overrides: dict[str, Any] | None = None) -> tuple[int, int, Any]:
    """n (or `default_n`), seed and the typed options of a builder (schemas/tasks.py resolves
    them; the defaults live in schemas/task_options.py only)."""
    run = resolve_run(cfg, task, n, seed, overrides)
    return (run.n if run.n is not None else int(default_n)), run.seed, run.options


def seeded_order(items: list, seed: int) -> list:
    """Items in a seeded random order of their ids: shuffles the answer order (SoMe's released
    files alternate yes/no, which an agent can exploit) and stays byte-stable for a seed. Then
    each user's items are counterbalanced: a user's items keep their slots, but for users whose
    label sequence is more common than its reverse, a seeded random half of the excess is
    reversed, so 'the first item of a user is a yes' is right half the time, not by luck (and
    not in a pattern: the users reversed are picked by hash, not one after another)."""
    import collections
    import hashlib

    def h(text: str) -> str:
        return hashlib.sha256(f"{seed}:{text}".encode()).hexdigest()

    ordered = sorted(items, key=lambda it: (h(it.id), it.id))
    slots: dict[str, list[int]] = collections.defaultdict(list)
    for k, it in enumerate(ordered):
        user = getattr(it.inputs, "user_id", None)
        if user is not None:
            slots[user].append(k)
    by_sig: dict[tuple, list[str]] = collections.defaultdict(list)
    for user, idx in slots.items():
        by_sig[tuple(_label(ordered[k]) for k in idx)].append(user)
    flip: set[str] = set()
    for sig, users in by_sig.items():
        rev = sig[::-1]
        if rev == sig:
            continue
        excess = (len(users) - len(by_sig.get(rev, []))) // 2
        if excess > 0:
            flip.update(sorted(users, key=lambda u: (h("flip:" + u), u))[:excess])
    out = list(ordered)
    for user in flip:
        idx = slots[user]
        for k, src in zip(idx, reversed(idx)):
            out[k] = ordered[src]
    return out


def _label(item) -> str:
    return str(getattr(item.answer, "label", None) or getattr(item.answer, "emotion", ""))


def shortfall(wanted: int, got: int) -> int:
    return max(0, wanted - got)


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
