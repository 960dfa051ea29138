"""Benchmark: the templated builders (UBP, UCS, MCR, MID-zh) and the integrity audit on a
synthetic corpus, up to SoMe's size.

Reports seconds per builder and the ratio to a DuckDB full scan of the interactions file measured
in the same run (target: each builder <= 10x that scan), the time of `verify` over everything
built (target: <= 10% of the build time), peak RSS (target < 4 GB) and the load average. For
mid-zh, 3,387 posts (CED's size) get a random rumour label: a throughput figure, not a dataset.
Last line: one JSON object.

    python bench/builders.py --scale 10M        # 10M interactions, 1M posts, 2M users
    python bench/builders.py [--interactions 1000000] [--posts 100000] [--users 200000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
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
        # CED-sized labelled subset for mid-zh (the rest unlabelled, as in a real mixed corpus)
        "veracity_origin": np.where(np.arange(n_posts) < min(3387, n_posts), "bench:synthetic", None),
        "veracity": np.where(np.arange(n_posts) < min(3387, n_posts), np.where(rng.random(n_posts) < 0.45, "rumor", "non-rumor"), None),
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
        elif field.name in ("veracity", "veracity_origin"):
            arrays.append(pa.array(list(value), field.type))
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


def measure(ws_dir: str, tasks: list[str]) -> dict:
    """Scan, builders and audit on an existing workspace (run in a child process, so that its peak
    RSS is the builders' and the audit's own, not the corpus generator's)."""
    from somekit.verify.runner import run_checks
    from somekit.workspace import open_workspace

    ws = open_workspace(ws_dir)
    scan = min(full_scan(ws) for _ in range(3))
    figures: dict = {"full_scan_s": round(scan, 4), "load_avg_1m_before": round(os.getloadavg()[0], 2)}
    build_s = 0.0
    for task in tasks:
        start = time.perf_counter()
        result = get_builder(task)(ws, ws.config(), seed=1)
        secs = time.perf_counter() - start
        build_s += secs
        figures[task] = {"seconds": round(secs, 3), "ratio_to_scan": round(secs / scan, 2), "items": result.items,
                         "under_10x": secs <= 10 * scan}
        print(f"{task}: {secs:.2f} s, {secs / scan:.1f}x scan, {result.items} items, warnings={result.warnings}",
              file=sys.stderr)
    if "mid-zh" in tasks:
        figures["mid_zh_events"] = _event_figures(ws, figures["mid-zh"]["seconds"])
    start = time.perf_counter()
    report = run_checks(ws, tasks)
    audit = time.perf_counter() - start
    figures["audit"] = {"seconds": round(audit, 3), "share_of_build": round(audit / build_s, 3),
                        "under_10pct": audit <= 0.1 * build_s, "ok": report["ok"],
                        "violations": report.get("violation_counts", {}),
                        "mid_zh_shortcuts": report.get("shortcuts", {}).get("mid-zh")}
    figures["build_s"] = round(build_s, 3)
    figures["load_avg_1m_after"] = round(os.getloadavg()[0], 2)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["met"] = {"builders_under_10x_scan": all(figures[t]["under_10x"] for t in tasks),
                      "audit_under_10pct": figures["audit"]["under_10pct"],
                      "peak_rss_under_4gb": figures["peak_rss_mb"] < 4096}
    return figures


def _event_figures(ws, lsh_build_s: float) -> dict:
    """Issue 24: mid-zh with near-duplicate (LSH) events and matching vs the exact-text,
    unmatched rule it replaced, on the same corpus in the same run (target: <= 2x), and the
    event clustering alone over the labelled posts."""
    from somekit.builders.events import near_duplicate_events
    from somekit.builders.sampling import open_corpus

    start = time.perf_counter()
    get_builder("mid-zh")(ws, ws.config(), seed=1, event_threshold=1.0, match=[])
    exact_s = time.perf_counter() - start
    get_builder("mid-zh")(ws, ws.config(), seed=1)  # leave the default build in place for the audit
    con = open_corpus(ws)
    labelled = dict(con.execute("SELECT id, text FROM posts WHERE veracity IS NOT NULL").fetchall())
    start = time.perf_counter()
    near_duplicate_events(labelled)
    labelled_s = time.perf_counter() - start
    return {"build_exact_text_s": round(exact_s, 3), "build_lsh_matched_s": round(lsh_build_s, 3),
            "ratio": round(lsh_build_s / exact_s, 2), "within_2x": lsh_build_s <= 2 * exact_s,
            "cluster_labelled_posts": len(labelled), "cluster_labelled_s": round(labelled_s, 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--users", type=int, default=200_000)
    ap.add_argument("--scale", default=None, help="interactions, e.g. 10M (posts = 10%%, users = 20%% of it)")
    ap.add_argument("--tasks", default="ubp,ucs,mcr,mid-zh")
    ap.add_argument("--measure", default=None, help=argparse.SUPPRESS)  # child mode: workspace to measure
    args = ap.parse_args()
    tasks = [t for t in args.tasks.split(",") if t]
    if args.measure:
        print(json.dumps(measure(args.measure, tasks)))
        return
    if args.scale:
        mult = {"k": 1_000, "m": 1_000_000}.get(args.scale[-1:].lower(), 1)
        args.interactions = int(float(args.scale[:-1] if mult > 1 else args.scale) * mult)
        args.posts, args.users = args.interactions // 10, args.interactions // 5
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        t0 = time.perf_counter()
        make_corpus(ws, args.posts, args.interactions, args.users)
        gen_s = time.perf_counter() - t0
        proc = subprocess.run([sys.executable, __file__, "--measure", str(ws.root), "--tasks", ",".join(tasks)],
                              capture_output=True, text=True)
        sys.stderr.write(proc.stderr)
        if proc.returncode != 0:
            sys.exit(f"measuring failed (exit {proc.returncode})")
        figures = {"interactions": args.interactions, "posts": args.posts, "users": args.users,
                   "corpus_gen_s": round(gen_s, 2), "cpus": os.cpu_count(),
                   **json.loads(proc.stdout.strip().splitlines()[-1])}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
