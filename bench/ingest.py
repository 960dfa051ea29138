#!/usr/bin/env python
"""Ingest throughput: the CED sample scaled up to SoMe's size (10M interactions).

    python bench/ingest.py --scale 10M [--ced ../shared/data/ced-weibo]
    python bench/ingest.py [--copies 13]          # about 1.06M interactions

Writes `copies` copies of the CED folder into a temporary directory with every post and
interaction id rewritten (so nothing collides), then measures in the same run:
  - a plain read of the same files (orjson.loads of every file, nothing else): the floor;
  - `somekit ingest --format ced` into a fresh workspace, in a subprocess so that its peak RSS
    (ru_maxrss of the child) is the ingest's own;
  - two DuckDB scans: of the raw cascade JSON (read_json, C++ and multi-threaded: what a
    columnar reader does with the same bytes) and of the ingested interactions.parquet.
Targets (issue 17): ingest >= 0.3x the plain parse's rate and >= 100k source records/s, peak RSS
< 4 GB; each is printed with its measured value and whether it was met.
Wall-clock rates depend on what else the machine runs; CPU-time rates (all threads of the
ingest process) and the 1-minute load average are printed alongside so runs can be compared.
Prints the figures as one JSON object on the last line. Source records = posts + cascade entries
(the records a user would count); rows = everything written, users included.
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

import orjson

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CED = ROOT.parent / "shared" / "data" / "ced-weibo"


def scale(ced: Path, out: Path, copies: int) -> dict[str, int]:
    """Copies with rewritten ids: mid -> mid + 'c<k>' in file names, posts and cascade records."""
    counts = {"posts": 0, "interactions": 0, "bytes": 0}
    for sub in ("original-microblog", "rumor-repost"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for f in sorted((ced / "original-microblog").iterdir()):
        parts = f.stem.split("_")
        if len(parts) != 3 or f.suffix != ".json":
            continue
        post = f.read_bytes()
        casc_path = ced / "rumor-repost" / f.name
        cascade = orjson.loads(casc_path.read_bytes()) if casc_path.exists() else None
        for k in range(copies):
            name = f"{parts[0]}_{parts[1]}c{k}_{parts[2]}.json"
            (out / "original-microblog" / name).write_bytes(post)
            counts["posts"] += 1
            if cascade is None:
                continue
            rows = [{**r, "mid": f"{r['mid']}c{k}", "parent": f"{r['parent']}c{k}" if r.get("parent") else r.get("parent")}
                    for r in cascade]
            data = orjson.dumps(rows)
            (out / "rumor-repost" / name).write_bytes(data)
            counts["interactions"] += len(rows)
    counts["bytes"] = sum(p.stat().st_size for p in out.rglob("*.json"))
    return counts


def parse_scale(text: str) -> int:
    """'10M' / '500k' / '1000000' -> a number of interactions."""
    text = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if mult > 1 else text) * mult)


def per_copy(ced: Path) -> int:
    return sum(len(orjson.loads(p.read_bytes())) for p in (ced / "rumor-repost").glob("*.json") if not p.name.startswith("._"))


def duckdb_scans(src: Path, ws: Path) -> dict:
    """Seconds for DuckDB to scan the raw cascade JSON and the ingested interactions file."""
    import duckdb

    con = duckdb.connect()
    out = {}
    t = time.perf_counter()
    try:
        con.execute(f"""SELECT count(*), count(DISTINCT uid), sum(length(text)) FROM read_json('{src}/rumor-repost/*.json',
                        format = 'array', columns = {{mid: 'VARCHAR', uid: 'VARCHAR', parent: 'VARCHAR', text: 'VARCHAR',
                        date: 'VARCHAR'}})""").fetchall()
        out["duckdb_json_scan_s"] = round(time.perf_counter() - t, 3)
    except duckdb.Error as exc:  # a reader limit is a figure too, not a crash of the bench
        out["duckdb_json_scan_error"] = str(exc)[:200]
    t = time.perf_counter()
    con.execute(f"""SELECT count(*), count(DISTINCT user_id), sum(length(text)), max(epoch(created_at))
                    FROM read_parquet('{ws}/corpus/interactions.parquet')""").fetchall()
    out["duckdb_parquet_scan_s"] = round(time.perf_counter() - t, 3)
    return out


def plain_read(folder: Path) -> tuple[float, float]:
    """(wall, CPU) seconds to read and parse every file, nothing else."""
    t, c = time.perf_counter(), time.process_time()
    n = 0
    for p in sorted(folder.rglob("*.json")):
        doc = orjson.loads(p.read_bytes())
        n += len(doc) if isinstance(doc, list) else 1
    return time.perf_counter() - t, time.process_time() - c


_CHILD = """
import json, resource, sys, time
from somekit.workspace import init_workspace
from somekit.ingest import ingest
ws = init_workspace(sys.argv[1])
t, c = time.perf_counter(), time.process_time()
report = ingest(ws, "ced", [sys.argv[2]])
secs, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"seconds": secs, "cpu_seconds": cpu, "report": report.to_dict(),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_ingest(ws: Path, source: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(ws), str(source)], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=13, help="copies of CED (13 gives about 1.06M interactions)")
    ap.add_argument("--scale", default=None, help="interactions to reach, e.g. 10M (overrides --copies)")
    ap.add_argument("--ced", type=Path, default=DEFAULT_CED)
    args = ap.parse_args()
    if not args.ced.is_dir():
        sys.exit(f"CED data not found at {args.ced}")
    if args.scale:
        args.copies = -(-parse_scale(args.scale) // per_copy(args.ced))
    with tempfile.TemporaryDirectory(prefix="somekit-bench-") as tmp:
        src = Path(tmp) / "ced-scaled"
        counts = scale(args.ced, src, args.copies)
        print(f"scaled: {counts['posts']:,} posts, {counts['interactions']:,} interactions, "
              f"{counts['bytes'] / 1e6:.0f} MB", file=sys.stderr)
        read_s, read_cpu = min(plain_read(src) for _ in range(2))  # warm page cache, as the ingest sees it
        load_before = os.getloadavg()[0]
        res = run_ingest(Path(tmp) / "ws", src)
        load_after = os.getloadavg()[0]
        scans = duckdb_scans(src, Path(tmp) / "ws")
        source_records = counts["posts"] + counts["interactions"]
        rows = sum(res["report"]["read"].values())
        rate = source_records / res["seconds"]
        rate_vs_parse = read_s / res["seconds"]
        figures = {
            "scale": args.scale or f"{args.copies} copies",
            "copies": args.copies,
            "posts": counts["posts"],
            "interactions": counts["interactions"],
            "source_records": source_records,
            "input_mb": round(counts["bytes"] / 1e6, 1),
            "plain_read_s": round(read_s, 3),
            "plain_read_records_per_s": round(source_records / read_s),
            "ingest_s": round(res["seconds"], 3),
            "ingest_records_per_s": round(source_records / res["seconds"]),
            "ingest_rows_per_s": round(rows / res["seconds"]),
            "ingest_over_plain_read": round(res["seconds"] / read_s, 2),
            # CPU time (all threads) is what the machine's other load cannot inflate
            "plain_read_cpu_s": round(read_cpu, 3),
            "ingest_cpu_s": round(res["cpu_seconds"], 3),
            "ingest_records_per_cpu_s": round(source_records / res["cpu_seconds"]),
            "ingest_over_plain_read_cpu": round(res["cpu_seconds"] / read_cpu, 2),
            "load_avg_1m_before_ingest": round(load_before, 2),
            "load_avg_1m_after_ingest": round(load_after, 2),
            "peak_rss_mb": round(res["peak_rss_mb"], 1),
            "interactions_added": res["report"]["added"].get("interactions", 0),
            "quarantined": res["report"]["quarantined"],
            **scans,
            "ingest_rate_over_plain_parse": round(rate_vs_parse, 3),
            "ingest_rate_over_plain_parse_cpu": round(read_cpu / res["cpu_seconds"], 3),
            "ingest_over_duckdb_json_scan": round(res["seconds"] / scans["duckdb_json_scan_s"], 2) if "duckdb_json_scan_s" in scans else None,
            "target_rate_over_plain_parse": 0.3,
            "target_records_per_s": 100_000,
            "target_peak_rss_mb": 4096,
            "met": {"rate_over_plain_parse": rate_vs_parse >= 0.3, "records_per_s": rate >= 100_000,
                    "records_per_cpu_s": source_records / res["cpu_seconds"] >= 100_000,
                    "peak_rss": res["peak_rss_mb"] < 4096},
            "cpus": os.cpu_count(),
        }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
