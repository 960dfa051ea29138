"""Time the release figures of a 10k-item frozen version (target: < 10 s), against the publish
they are part of, measured in the same run.

Builds a workspace with N fixture items (tests/test_freeze_items.make_items: ubp, uea, mid,
mid-zh, red, nap in fixed shares, every item with provenance and review) over a synthetic corpus of
`--interactions` interactions (so the history-length query runs at a realistic size), freezes it,
then times: gathering the facts from the frozen files, drawing the figures, the whole `publish`
(Parquet, card, figures, croissant.json), and the same publish with the figures and croissant
step replaced by nothing (the baseline: what publish cost before). Prints one JSON object on its
last line.

    python bench/figures.py [--items 10000] [--interactions 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARES = {"ubp": 0.3, "uea": 0.2, "mid": 0.15, "mid-zh": 0.15, "red": 0.1, "nap": 0.1}


def _corpus(ws, n: int, users: int = 7) -> None:
    import pyarrow as pa

    from somekit.store.parquet import arrow_schema, write_table

    schema = arrow_schema("interactions")
    columns = {f.name: pa.nulls(n, f.type) for f in schema}
    columns["id"] = pa.array([f"i{k}" for k in range(n)])
    columns["kind"] = pa.array(["like", "repost", "comment"][k % 3] for k in range(n))
    columns["user_id"] = pa.array(f"u{k % users}" for k in range(n))
    columns["post_id"] = pa.array(f"p{k % 50_000}" for k in range(n))
    write_table(ws.corpus / "interactions.parquet", pa.table(columns, schema=schema))


def _workspace(root: Path, n_items: int, n_interactions: int):
    from somekit.freeze import freeze
    from somekit.store.items import write_items
    from somekit.workspace import init_workspace
    from tests.test_freeze_items import make_items

    ws = init_workspace(root)
    # Fixture items carry deliberate one-feature shortcuts; the freeze gate would refuse them.
    ws.config_path.write_text(ws.config_path.read_text() + "\n[verify]\nmax_shortcut_margin = 100\n")
    _corpus(ws, n_interactions)
    for task, share in SHARES.items():
        write_items(ws, task, make_items(task, int(n_items * share), states=("accepted",)), stats={"items": int(n_items * share)})
    freeze(ws, "v1", include_unreviewed=True)
    return ws


def _time(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _cpu(fn) -> tuple[float, float, object]:
    """(wall s, this process's CPU s, result): on a shared machine CPU time says what a quiet one needs."""
    c0 = time.process_time()
    wall, out = _time(fn)
    return wall, time.process_time() - c0, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--interactions", type=int, default=1_000_000)
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="somekit-bench-figures-"))
    try:
        from somekit.publish import publish, release
        from somekit.publish.facts import from_frozen
        from somekit.publish.figures import render_figures

        load0 = os.getloadavg()[0]
        ws = _workspace(base / "ws", args.items, args.interactions)
        facts_s, facts_cpu, facts = _cpu(lambda: from_frozen(ws, "v1"))
        render_s, render_cpu, figures = _cpu(lambda: render_figures(facts))
        publish_s, _ = _time(lambda: publish(ws, "v1", to=base / "hub"))
        original = release.write_release_extras
        build_module = sys.modules["somekit.publish.build"]
        build_module.write_release_extras = lambda *a, **k: []       # the publish as it was before figures
        try:
            baseline_s, _ = _time(lambda: publish(ws, "v1", to=base / "hub-baseline"))
        finally:
            build_module.write_release_extras = original
        items = sum(len(f.items) for f in facts.tasks.values())
        out = {"items": items, "interactions": args.interactions, "figures": [f.name for f in figures],
               "facts_s": round(facts_s, 2), "render_s": round(render_s, 2), "figures_total_s": round(facts_s + render_s, 2),
               "figures_total_cpu_s": round(facts_cpu + render_cpu, 2), "target_s": 10, "within_target": facts_s + render_s < 10,
               "publish_s": round(publish_s, 2), "publish_without_extras_s": round(baseline_s, 2),
               "ratio_publish_vs_baseline": round(publish_s / baseline_s, 2),
               "load1_before": round(load0, 2), "load1_after": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
