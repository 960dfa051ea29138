"""SMQ: the draft checks (evidence ids, lexical support, near-duplicates, balance) on scripted
drafts, and an end-to-end build on the bundled sample with the REAL llama.cpp server."""

from __future__ import annotations

from types import SimpleNamespace

import orjson
import pytest
from click.testing import CliRunner

from somekit.builders.tasks.smq import balance, check_pairs, near_duplicate, qtype_of, supported
from somekit.cli import main as cli
from somekit.sample import WEIBO
from somekit.schemas.task_drafts import QADraftList
from somekit.store.items import read_items, read_stats
from somekit.verify.runner import run_checks
from somekit.workspace import init_workspace
from tests.test_ses import tune_for_small_llm

POSTS = [("p1", "武汉暴雨导致地铁2号线停运三小时", None), ("p2", "北京马拉松今天上午开跑，三万人参加", None)]


def test_draft_checks_drop_by_reason():
    drafts = QADraftList.model_validate({"pairs": [
        {"question": "武汉地铁几号线停运了？", "answer": "2号线停运三小时", "evidence": ["p1"]},
        {"question": "武汉地铁哪条线停运了？", "answer": "2号线停运", "evidence": ["[p1]"]},   # near-duplicate? no: differs
        {"question": "北京马拉松有多少人参加？", "answer": "三万人参加", "evidence": ["p9"]},   # id not given
        {"question": "北京马拉松冠军是谁？", "answer": "肯尼亚选手获得冠军", "evidence": ["p2"]},  # unsupported
        {"question": "武汉地铁几号线停运了？", "answer": "2号线停运三小时", "evidence": ["p1"]},   # exact repeat
    ]})
    kept, dropped = [], __import__("collections").Counter()
    check_pairs("topic", "暴雨", POSTS, SimpleNamespace(value=drafts), kept, dropped)
    assert dropped["evidence-not-given"] == 1 and dropped["answer-not-supported"] == 1
    assert dropped["duplicate-question"] >= 1
    assert all(set(k["evidence"]) <= {"p1", "p2"} for k in kept) and kept[0]["evidence"] == ["p1"]
    assert kept[0]["qtype"] == "count"


def test_support_duplicates_types_and_balance():
    assert supported("2号线停运", ["武汉暴雨导致地铁2号线停运三小时"])
    assert not supported("完全无关的回答内容", ["武汉暴雨导致地铁2号线停运三小时"])
    assert near_duplicate("武汉地铁几号线停运了？", "武汉地铁几号线停运了")
    assert qtype_of("When did it start?") == "time" and qtype_of("谁赢了？") == "person"
    kept = [{"scope": s, "qtype": t, "id": i} for i, (s, t) in
            enumerate([("topic", "count")] * 5 + [("topic", "time")] * 5 + [("user", "factual")] * 2)]
    picked, short = balance(kept, 6, seed=1)
    topic = [k for k in picked if k["scope"] == "topic"]
    assert len(topic) == 3 and {k["qtype"] for k in topic} == {"count", "time"}
    assert short == {"user": 1}


@pytest.fixture(scope="module")
def sample_ws(tmp_path_factory):
    from somekit.ingest import ingest

    w = init_workspace(tmp_path_factory.mktemp("smq") / "ws")
    ingest(w, "jsonl", [WEIBO])
    tune_for_small_llm(w, "[tasks.smq.options]\nmax_scopes = 1\nposts_per_scope = 5\npairs_per_scope = 1\n")
    return w


def test_smq_drafts_with_llama_server(sample_ws, llama_server, monkeypatch):
    monkeypatch.setenv("SOMEKIT_LLM_BASE_URL", str(llama_server))
    w = sample_ws
    res = CliRunner().invoke(cli, ["build", str(w.root), "smq", "--json"])
    assert res.exit_code == 0, res.output
    out = orjson.loads(res.stdout.strip().splitlines()[-1])["smq"]
    stats = read_stats(w, "smq")
    items = read_items(w, "smq")
    assert stats["scopes"] == {"topic": 1, "user": 1} and stats["llm"]["calls"] == 2
    assert out["items"] == len(items)
    # Every drafted pair is either kept or dropped for a named reason.
    assert stats["kept_pairs"] + sum(v for k, v in stats["dropped"].items() if k != "draft-failed") == stats["drafted_pairs"]
    if not stats["quality"]["reliable"]:
        assert "must not be published unreviewed" in stats["quality"]["message"]
        assert stats["quality"]["message"] in out["warnings"]
    for it in items:
        assert set(it.answer.evidence_ids) <= set(it.provenance.source_ids) and it.review.needs_review
    report = run_checks(w, ["smq"])
    assert report["ok"], report["violations"]
