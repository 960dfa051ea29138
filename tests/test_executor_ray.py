"""`--executor ray` on a REAL local Ray cluster (tests/fixtures/ray_cluster.py: `ray start --head` on
127.0.0.1, two worker processes): the same per-row functions as the local executor give
byte-identical outputs; a killed worker loses and duplicates nothing; a killed driver's re-run
finishes from the cache without redoing a finished row. Real OCR (RapidOCR) and ASR (Whisper
base) on generated media, and a real llama.cpp server for UEA votes. No fakes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from somekit.cli import main
from somekit.enrich import media_enrichments
from somekit.workspace import init_workspace, open_workspace
from tests.test_enrich import FONT, make_corpus, speech_wav, text_image

pytestmark = [pytest.mark.ray]
REPO = Path(__file__).resolve().parents[1]
IMAGES = 10
OUTPUTS = ("media.parquet", "post_text.parquet")


@pytest.fixture(scope="module")
def media_base(tmp_path_factory):
    """A workspace with IMAGES text images, two speech clips and one broken image (no results yet)."""
    if not FONT.exists() or not shutil.which("espeak-ng"):
        pytest.skip("needs fonts-wqy-zenhei and espeak-ng (scripts/setup.sh --test)")
    ws = init_workspace(tmp_path_factory.mktemp("exec") / "base")
    media_dir = ws.root / "media"
    media_dir.mkdir()
    media, posts = [], []
    for i in range(IMAGES):
        (media_dir / f"img{i}.png").write_bytes(text_image([f"第{i}号 Sign {i * 7}"]))
        media.append({"id": f"m{i:02d}", "post_id": f"p{i}", "kind": "image", "uri": f"img{i}.png"})
        posts.append({"id": f"p{i}", "text": f"post {i}"})
    for j, sentence in enumerate(["open the door please", "the meeting starts at noon"]):
        speech_wav(sentence, media_dir / f"say{j}.wav")
        media.append({"id": f"a{j}", "post_id": f"q{j}", "kind": "audio", "uri": f"say{j}.wav"})
        posts.append({"id": f"q{j}", "text": f"clip {j}"})
    (media_dir / "broken.png").write_bytes(text_image(["x"])[:200])
    media.append({"id": "b0", "post_id": "p0", "kind": "image", "uri": "broken.png"})
    make_corpus(ws, media, posts)
    return ws


def _copy(base, dest: Path):
    shutil.copytree(base.root, dest)
    return open_workspace(dest)


def _enrich(ws, *extra: str, steps: tuple[str, ...] = ("--ocr", "--asr")) -> dict:
    res = CliRunner().invoke(main, ["enrich", str(ws.root), *steps, "--json", *extra])
    assert res.exit_code == 0, res.output
    return orjson.loads(res.stdout)


def _outputs(ws) -> dict[str, bytes]:
    return {name: (ws.enrich / name).read_bytes() for name in OUTPUTS}


def _cache_files(ws) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (ws.enrich / "cache").rglob("*.json")}


@pytest.fixture(scope="module")
def local_run(media_base, tmp_path_factory):
    ws = _copy(media_base, tmp_path_factory.mktemp("local") / "ws")
    return ws, _enrich(ws, "--executor", "local")


def test_ocr_asr_byte_identical_local_and_ray(media_base, local_run, ray_cluster, tmp_path):
    local_ws, local = local_run
    ws = _copy(media_base, tmp_path / "ws")
    out = _enrich(ws, "--executor", "ray", "--ray-address", ray_cluster)
    assert _outputs(ws) == _outputs(local_ws)
    assert out["steps"] == local["steps"] and out["reasons"] == local["reasons"]
    assert out["steps"]["ocr"]["done"] == IMAGES and out["steps"]["transcript"]["done"] == 2
    ex = out["executor"]
    assert ex["delivered"] == IMAGES + 3 and ex["lost"] == 0 and local["executor"]["delivered"] == IMAGES + 3
    assert sum(n["rows"] for n in ex["nodes"].values()) >= IMAGES + 3 and all(n["rows_per_s"] for n in ex["nodes"].values())
    by_id = {r["media_id"]: r for r in media_enrichments(ws).to_pylist()}
    assert "Sign 21" in by_id["m03"]["ocr"] and "door" in by_id["a0"]["transcript"]
    run = max((ws.root / "runs").glob("*enrich*.json"))
    assert orjson.loads(run.read_bytes())["counts"]["executor"]["nodes"]        # per-node throughput recorded
    again = _enrich(ws, "--executor", "ray", "--ray-address", ray_cluster)     # everything cached: no work sent
    assert again["executor"]["rows"] == 0 and again["steps"]["ocr"]["done"] == 0 and _outputs(ws) == _outputs(local_ws)


def _wait_for(cond, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_killed_worker_loses_and_duplicates_nothing(media_base, local_run, ray_cluster, tmp_path):
    from somekit.enrich import enrich, resolve_settings
    from somekit.executors import get_executor
    from somekit.schemas.config import ExecutorSection

    local_ws, _ = local_run
    ws = _copy(media_base, tmp_path / "ws")
    settings = resolve_settings(ws, ws.config(), ocr=True, asr=True)
    executor = get_executor(ExecutorSection(kind="ray", ray_address=ray_cluster, batch_size=1, workers=2))
    box: dict = {}
    runner = threading.Thread(target=lambda: box.update(report=enrich(ws, settings, executor=executor)))
    runner.start()
    _wait_for(lambda: len(_cache_files(ws)) >= 1, 300, "the first finished row")
    victims = ray_cluster.worker_pids()
    assert victims, "no executor worker process found"
    cached_at_kill = len(_cache_files(ws))
    os.kill(victims[0], signal.SIGKILL)
    runner.join(600)
    assert cached_at_kill < IMAGES + 2, "the stage ended before the kill: nothing was tested"
    report = box["report"]
    assert report.executor["lost"] == 0 and report.executor["delivered"] == IMAGES + 3
    ids = media_enrichments(ws).column("media_id").to_pylist()
    assert sorted(ids) == sorted(set(ids)) and len(ids) == IMAGES + 3           # none lost, none twice
    assert _outputs(ws) == _outputs(local_ws)


def test_killed_driver_resumes_from_cache_without_redoing_rows(media_base, ray_cluster, tmp_path):
    ws = _copy(media_base, tmp_path / "ws")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    driver = subprocess.Popen([sys.executable, "-m", "somekit.cli", "enrich", str(ws.root), "--ocr", "--json",
                               "--executor", "ray", "--ray-address", ray_cluster],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: len(_cache_files(ws)) >= 3, 300, "three finished rows")
    finally:
        driver.send_signal(signal.SIGKILL)
        driver.wait()
    time.sleep(3)      # rows in flight when the driver died may still land; they count as cached below
    before = _cache_files(ws)
    read = sum(orjson.loads(b)["steps"]["ocr"]["ok"] for b in before.values())  # images read before the kill
    assert 3 <= len(before) and read < IMAGES, "the driver finished before the kill: nothing was tested"
    out = _enrich(ws, "--executor", "ray", "--ray-address", ray_cluster, steps=("--ocr",))
    ocr = out["steps"]["ocr"]
    assert ocr["cached"] == read and ocr["done"] == IMAGES - read                # each model call made once
    after = _cache_files(ws)
    assert all(after[p] == data for p, data in before.items())                   # finished rows untouched
    assert len(after) == IMAGES + 1 and ocr["failed"] == 1                       # + the broken image (cached failure)


def test_uea_votes_byte_identical_local_and_ray(ced_ws, llama_server, ray_cluster, tmp_path, monkeypatch):
    """UEA's three LLM votes on the REAL llama.cpp server: items identical under both executors;
    a re-run under ray sends no request (the votes are in cache/llm.sqlite)."""
    from tests.test_ses import tune_for_small_llm

    monkeypatch.setenv("SOMEKIT_LLM_BASE_URL", str(llama_server))
    items = {}
    for kind in ("local", "ray"):
        w = _copy(ced_ws, tmp_path / kind)
        tune_for_small_llm(w, "[tasks.uea.options]\npool_factor = 0.5\n")   # 3 comments, 9 calls
        extra = ["--executor", "ray", "--ray-address", ray_cluster] if kind == "ray" else []
        before = llama_server.requests()
        res = CliRunner().invoke(main, ["build", str(w.root), "uea", "--n", "3", "--seed", "2", "--json", *extra])
        assert res.exit_code == 0, res.output
        assert llama_server.requests() - before >= 9
        items[kind] = sorted((p.relative_to(w.items("uea")), p.read_bytes()) for p in w.items("uea").rglob("*") if p.is_file())
        if kind == "ray":
            run = orjson.loads(max((w.root / "runs").glob("*build-uea*.json")).read_bytes())
            maps = run["counts"]["executor"]["maps"]
            assert sum(m["delivered"] for m in maps) == 9 and all(m["lost"] == 0 for m in maps)
            before = llama_server.requests()
            res = CliRunner().invoke(main, ["build", str(w.root), "uea", "--n", "3", "--seed", "2", "--json", *extra])
            assert res.exit_code == 0 and llama_server.requests() == before
    assert items["local"] and items["ray"] == items["local"]


class CrashingRowTask:
    """TEST-ONLY stand-in for a model that crashes its process on one input (a decoder segfault):
    a real crash cannot be summoned on demand from the real engines."""

    def setup(self) -> None:
        pass

    def run(self, items):
        if "poison" in items:
            os._exit(1)                 # the worker process dies, as on a segfault
        return [{"ok": True, "item": x} for x in items]

    def retryable(self, result) -> bool:
        return False


def test_row_that_kills_its_worker_is_retried_to_the_cap_then_counted(ray_cluster):
    from somekit.executors import get_executor
    from somekit.schemas.config import ExecutorSection

    executor = get_executor(ExecutorSection(kind="ray", ray_address=ray_cluster, batch_size=1, workers=2,
                                            max_attempts=2))
    items = ["a", "b", "poison", "c", "d"]
    got: dict[int, str] = {}
    stats = executor.map(CrashingRowTask(), items, lambda i, r: got.__setitem__(i, r["item"]))
    assert got == {0: "a", 1: "b", 3: "c", 4: "d"}                               # the rest delivered once
    assert list(stats.lost) == [2] and stats.rounds == 2 and stats.lost[2]       # the poison row, with a reason
