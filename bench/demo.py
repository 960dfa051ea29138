"""Time `somekit demo` end to end (after setup), the figure the README promises (<= 120 s on a
quiet 2-core machine), with what it produced and how busy the machine was.

Runs the demo in a fresh temporary folder in a child process and reports wall time, the child's
CPU time (user + sys: on a shared machine this, not wall time, says what a quiet machine would
need), per-stage seconds, items per task and verify's verdict, and the 1-minute load average
before and after. `--baseline` also runs the demo with SMQ, RED and SES forced to their LLM
drafters (SmolLM2 in process: what the demo did before the data-grounded drafters), in the same
run, for the ratio.

    python bench/demo.py [--baseline] [--keep DIR]

Prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_demo(target: Path, force_llm: bool = False) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    for var in ("SOMEKIT_LLM_BASE_URL", "SOMEKIT_LLM_MODEL", "SOMEKIT_LLM_API_KEY", "OPENAI_API_KEY"):
        env.pop(var, None)
    if force_llm:
        from somekit.pipeline.api import prepare_demo

        ws = prepare_demo(target)
        text = ws.config_path.read_text()
        text = text.replace("[tasks.red]\n", '[tasks.red]\noptions = { drafter = "llm" }\n')
        text = text.replace("pairs_per_scope = 2 }", 'pairs_per_scope = 2, drafter = "llm" }')
        text = text.replace("posts_per_topic = 5 }", 'posts_per_topic = 5, drafter = "llm" }')
        ws.config_path.write_text(text)
    load_before = os.getloadavg()[0]
    cpu0, t0 = _cpu(), time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "somekit.cli", "demo", str(target), "--json"],
                         capture_output=True, text=True, env=env)
    wall, cpu = time.perf_counter() - t0, _cpu() - cpu0
    result = {"exit_code": out.returncode, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
              "load1_before": round(load_before, 2), "load1_after": round(os.getloadavg()[0], 2)}
    try:
        data = json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        result["error"] = out.stderr[-2000:]
        return result
    result["stages_s"] = {s["name"]: s["seconds"] for s in data["stages"]}
    summary = data.get("summary") or {}
    result["items"] = {t: v["items"] for t, v in (summary.get("tasks") or {}).items()}
    result["verify_ok"] = (summary.get("verify") or {}).get("ok")
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", action="store_true", help="also run with SMQ/RED/SES on their LLM drafters")
    ap.add_argument("--keep", default=None, help="run in this folder and keep it")
    args = ap.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="somekit-bench-demo-"))
    try:
        out = {"cpus": os.cpu_count(), "budget_s": 120, "demo": run_demo(base / "demo")}
        if args.baseline:
            out["llm_drafters"] = run_demo(base / "llm", force_llm=True)
            out["ratio_wall_llm_vs_demo"] = round(out["llm_drafters"]["wall_s"] / out["demo"]["wall_s"], 2)
            out["ratio_cpu_llm_vs_demo"] = round(out["llm_drafters"]["cpu_s"] / out["demo"]["cpu_s"], 2)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
