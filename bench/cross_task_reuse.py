"""Bench for issue 32 on the real CED corpus (../shared): labelled texts reused across tasks in
one build of ubp ucs mcr uea, without the builders' reuse guard (baseline) and with it, and the
shortfall the guard costs. Reuse is counted by verify's own check (verify/visibility.py), not by
the guard. Prints one JSON object on the last line.

    python bench/cross_task_reuse.py [--n 300]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.ced import CED, ced_workspace  # noqa: E402

TASKS = ("ubp", "ucs", "mcr", "uea")


def _build_all(w, n: int) -> tuple[dict, float]:
    from somekit.pipeline.build import build_task

    stats, t0 = {}, time.perf_counter()
    for task in TASKS:
        stats[task] = build_task(w, w.config(), task, n=n, seed=1).stats
    return stats, time.perf_counter() - t0


def _reuse(w) -> dict:
    from somekit.store.items import read_items
    from somekit.verify.visibility import items_reuse

    pairs: Counter = Counter()
    labelled_items: set[str] = set()
    from somekit.schemas.tasks import TASKS as SPECS

    for task in [t for t in TASKS if SPECS[t].labelled_texts]:
        for v in items_reuse(w, task, read_items(w, task)):
            owner = v.detail.split(" item ")[1].split("'")[0]
            labelled_items.add(owner)
            pairs[f"{task}->{v.task}"] += 1
    return {"labelled_items_reused": len(labelled_items), "by_pair": dict(pairs)}


def _sizes(stats: dict) -> dict:
    out = {}
    for task, st in stats.items():
        out[task] = {"items": st.get("items"), "refused_for_reuse": (st.get("cross_task_reuse") or {}).get("refused"),
                     "shortfall": {k: v.get("shortfall") for k, v in (st.get("buckets") or {}).items() if v.get("shortfall")}
                     or st.get("shortfalls") or {}}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300, help="items per task (ubp: per action; ucs/mcr: per label)")
    args = ap.parse_args()
    import somekit.builders.reuse as reuse

    with ced_workspace() as w:
        if w is None:
            print(json.dumps({"skipped": f"no CED data at {CED}"}))
            return
        guarded_keep = reuse.ReuseGuard.keep
        reuse.ReuseGuard.keep = lambda self, rows, labelled=(), shown=(): rows  # baseline: the guard off
        try:
            base_stats, base_s = _build_all(w, args.n)
        finally:
            reuse.ReuseGuard.keep = guarded_keep
        base = _reuse(w)
        import shutil

        shutil.rmtree(w.root / "items")   # the guarded build starts from nothing, as a fresh release would
        stats, guarded_s = _build_all(w, args.n)   # each task gives way to those built before it
        after = _reuse(w)
    print(json.dumps({
        "n": args.n, "corpus": "ced-weibo",
        "baseline_no_guard": {**base, "sizes": _sizes(base_stats), "build_s": round(base_s, 1)},
        "guarded": {**after, "sizes": _sizes(stats), "build_s": round(guarded_s, 1)},
        "reused_ratio_vs_baseline": (after["labelled_items_reused"] / base["labelled_items_reused"]) if base["labelled_items_reused"] else None,
    }, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
