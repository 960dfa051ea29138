"""Bench for the LLM-labelled tasks on the real CED corpus (../shared): UEA cold build with the
three embedding voters vs the same build warm (cache/resume), and single-pass vs agglomerative
clustering of the same comment vectors. Prints one JSON object on the last line.

    python bench/llm_tasks.py [--n 60]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.ced import CED, ced_workspace  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    args = ap.parse_args()
    from somekit.annotate.voters import embed_checkpointed, get_embedder_for
    from somekit.builders.clustering import cluster
    from somekit.builders.tasks.uea import build
    from somekit.store.items import read_items

    with ced_workspace() as w:
        if w is None:
            print(json.dumps({"skipped": f"no CED data at {CED}"}))
            return
        t0 = time.perf_counter()
        cold = build(w, w.config(), n=args.n, seed=1, show_progress=False)
        cold_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        build(w, w.config(), n=args.n, seed=1, show_progress=False)
        warm_s = time.perf_counter() - t0
        items = read_items(w, "uea")
        texts = [it.inputs.comment for it in items]
        vecs = embed_checkpointed(w, get_embedder_for(w, w.config()), texts, kind="query")
        # Centred as the red builder does by default (raw e5 similarities all exceed 0.5).
        vecs = vecs - vecs.mean(axis=0, keepdims=True)
        vecs = vecs / np.linalg.norm(vecs, axis=1, keepdims=True)
        import sklearn.cluster  # noqa: F401 - import time is not clustering time
        t0 = time.perf_counter()
        sp = cluster(vecs, "single-pass", 0.5)
        sp_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        ag = cluster(vecs, "agglomerative", 0.5)
        ag_s = time.perf_counter() - t0
    pool = cold.stats["pool"]
    out = {
        "uea_n": args.n, "uea_pool": pool, "voters": cold.stats["voters"],
        "uea_cold_s": round(cold_s, 2), "uea_warm_s": round(warm_s, 2),
        "uea_comments_per_s_cold": round(pool / cold_s, 1),
        "warm_speedup_vs_cold": round(cold_s / warm_s, 1),
        "fleiss_kappa": cold.stats["fleiss_kappa"], "reliable": cold.stats["quality"]["reliable"],
        "cluster_vectors": len(texts),
        "single_pass_s": round(sp_s, 4), "agglomerative_s": round(ag_s, 4),
        "agglomerative_vs_single_pass_time": round(ag_s / sp_s, 2) if sp_s else None,
        "single_pass_clusters": len(set(sp)), "agglomerative_clusters": len(set(ag)),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
