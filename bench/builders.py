"""Benchmark: UBP, UCS and MCR builders on a synthetic corpus of >= 1M interactions and 100k posts.

Reports seconds per builder and the ratio to a DuckDB full scan of the interactions file measured
in the same run (target: each builder <= 10x that scan and < 30 s). Last line: one JSON object.

    python bench/builders.py [--interactions 1000000] [--posts 100000] [--users 200000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from somekit.builders.registry import get_builder
from somekit.store.parquet import arrow_schema, write_table
from somekit.store.query import connect
from somekit.workspace import init_workspace

WORDS = np.array(["好", "支持", "转发", "哈哈", "不信", "真的吗", "加油", "太可怕了", "关注", "同意", "谣言", "辟谣",
                  "心疼", "厉害", "呵呵", "围观", "求真相", "赞", "无语", "感动"])


def make_corpus(ws, n_posts: int, n_inter: int, n_users: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    base = np.datetime64("2020-01-01T00:00:00", "us")
    post_ids = np.char.add("p", np.arange(n_posts).astype(str))
    post_time = base + rng.integers(0, 365 * 86400, n_posts).astype("timedelta64[s]")
    posts = {
        "source": ["bench"] * n_posts, "id": post_ids, "platform": ["weibo"] * n_posts,
        "author_id": np.char.add("u", rng.integers(0, n_users, n_posts).astype(str)),
        "text": np.char.add(np.char.add("帖子", np.arange(n_posts).astype(str)), WORDS[rng.integers(0, len(WORDS), n_posts)]),
        "created_at": post_time, "lang": ["zh"] * n_posts,
    }
    write_table(ws.corpus / "posts.parquet", _table("posts", posts, n_posts))
    # Zipf-like popularity: a few posts get most interactions, as on Weibo.
    pop = rng.zipf(1.6, n_inter) % n_posts
    kinds = rng.choice(np.array(["like", "repost", "comment"]), n_inter, p=[0.4, 0.3, 0.3])
    texts = np.where(kinds == "comment",
                     np.char.add(WORDS[rng.integers(0, len(WORDS), n_inter)], rng.integers(0, 5000, n_inter).astype(str)), "")
    inter = {
        "source": ["bench"] * n_inter, "id": np.char.add("i", np.arange(n_inter).astype(str)), "kind": kinds,
        "user_id": np.char.add("u", rng.integers(0, n_users, n_inter).astype(str)), "post_id": post_ids[pop],
        "text": texts, "created_at": post_time[pop] + rng.integers(0, 86400, n_inter).astype("timedelta64[s]"),
    }
    write_table(ws.corpus / "interactions.parquet", _table("interactions", inter, n_inter))


def _table(name: str, cols: dict, n: int) -> pa.Table:
    schema = arrow_schema(name)
    arrays = []
    for field in schema:
        value = cols.get(field.name)
        if value is None:
            arrays.append(pa.nulls(n, field.type))
        elif field.type == pa.timestamp("us", tz="UTC"):
            arrays.append(pa.array(np.asarray(value, dtype="datetime64[us]")).cast(field.type))
        else:
            arrays.append(pa.array(np.asarray(value).tolist() if not isinstance(value, list) else value, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def full_scan(ws) -> float:
    con = connect(ws.corpus)
    start = time.perf_counter()
    con.execute("""SELECT count(*), count(DISTINCT user_id), count(DISTINCT post_id), sum(length(text)),
                          count(DISTINCT kind), max(epoch(created_at)) FROM interactions""").fetchall()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--users", type=int, default=200_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        t0 = time.perf_counter()
        make_corpus(ws, args.posts, args.interactions, args.users)
        gen_s = time.perf_counter() - t0
        scan = min(full_scan(ws) for _ in range(3))
        figures = {"interactions": args.interactions, "posts": args.posts, "users": args.users,
                   "corpus_gen_s": round(gen_s, 2), "full_scan_s": round(scan, 4)}
        for task in ("ubp", "ucs", "mcr"):
            start = time.perf_counter()
            result = get_builder(task)(ws, ws.config(), seed=1)
            secs = time.perf_counter() - start
            figures[task] = {"seconds": round(secs, 3), "ratio_to_scan": round(secs / scan, 2), "items": result.items,
                             "under_10x": secs <= 10 * scan, "under_30s": secs < 30}
            print(f"{task}: {secs:.2f} s, {secs / scan:.1f}x scan, {result.items} items, warnings={result.warnings}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
