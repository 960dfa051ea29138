"""OCR throughput of the Ray executor against the local one on this machine, at the same cores.

Both runs enrich the same images (the bundled sample's 4 plus N generated zh+en text images, from
tests/support/enrich_quality.py) from an empty cache, end to end (resolve, sha256, decode,
RapidOCR, cache, Parquet outputs), model loading included:
- local: `enrich` in this process (the default executor);
- ray: a local Ray started here with --cores CPUs, --cores worker processes (actors), small batches.
The outputs of the two runs must be byte-identical (checked). Per-task overhead is measured on
the same Ray with a task that does nothing (seconds per row, driver to worker and back).
The last line printed is one JSON object; `ratio` is ray rows/s over local rows/s.

    python bench/executor.py [--images 24] [--cores 2] [--batch-size 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from somekit.enrich import enrich, resolve_settings
from somekit.executors import get_executor
from somekit.schemas.config import ExecutorSection
from somekit.workspace import open_workspace
from tests.support.enrich_quality import build_quality_set


class _Noop:
    def setup(self) -> None:
        pass

    def run(self, items):
        return [{"ok": True} for _ in items]

    def retryable(self, result) -> bool:
        return False


def _run(ws, executor) -> tuple[float, dict]:
    s = resolve_settings(ws, ws.config(), ocr=True)
    t = time.perf_counter()
    report = enrich(ws, s, executor=executor)
    return time.perf_counter() - t, report.to_dict()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=24, help="generated images (plus the 4 bundled ones)")
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--batch-size", type=int, default=2)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="somekit-bench-executor-"))
    base = build_quality_set(tmp, args.images, 0).ws
    local_ws = open_workspace(shutil.copytree(base.root, tmp / "local"))
    ray_ws = open_workspace(shutil.copytree(base.root, tmp / "ray"))

    local_s, local = _run(local_ws, get_executor(ExecutorSection(kind="local")))

    import ray
    t = time.perf_counter()
    ray.init(num_cpus=args.cores, include_dashboard=False, log_to_driver=False, logging_level="WARNING")
    start_s = time.perf_counter() - t
    section = ExecutorSection(kind="ray", workers=args.cores, batch_size=args.batch_size)
    ray_s, remote = _run(ray_ws, get_executor(section))
    same = all((local_ws.enrich / f).read_bytes() == (ray_ws.enrich / f).read_bytes()
               for f in ("media.parquet", "post_text.parquet"))

    noop_rows = 200
    overhead = get_executor(section.model_copy(update={"batch_size": 1})).map(_Noop(), list(range(noop_rows)), lambda i, r: None)
    ray.shutdown()
    rows = local["steps"]["ocr"]["done"]
    assert rows == remote["steps"]["ocr"]["done"] and rows > 0, (local["steps"], remote["steps"])
    local_rps, ray_rps = rows / local_s, rows / ray_s
    print(f"local: {rows} images in {local_s:.1f}s ({local_rps:.3f}/s); ray ({args.cores} workers, "
          f"batch {args.batch_size}): {ray_s:.1f}s ({ray_rps:.3f}/s), ray start {start_s:.1f}s; outputs identical: {same}")
    print(f"per-task overhead (no-op, batch 1): {overhead.wall_s / noop_rows * 1000:.1f} ms/row incl. actor start; "
          f"nodes: {remote['executor']['nodes']}")
    print(json.dumps({
        "bench": "executor", "images": rows, "cores": args.cores, "batch_size": args.batch_size,
        "local_s": round(local_s, 3), "local_rows_per_s": round(local_rps, 4),
        "ray_s": round(ray_s, 3), "ray_rows_per_s": round(ray_rps, 4), "ratio": round(ray_rps / local_rps, 4),
        "ratio_incl_ray_start": round(rows / (ray_s + start_s) / local_rps, 4),
        "ray_start_s": round(start_s, 3), "noop_rows": noop_rows,
        "noop_ms_per_row": round(overhead.wall_s / noop_rows * 1000, 3), "outputs_identical": same,
        "ray_nodes": remote["executor"]["nodes"],
        "note": "same run, same images, empty caches, model loading included in both walls; "
                "ratio leaves out starting the local Ray (a cluster is started once), ratio_incl_ray_start counts it",
    }))


if __name__ == "__main__":
    main()
