"""The one label parser on agent prose: the labelled corpus (>= 400 answers, zh and en), the
phrasings the old rules misread, UEA votes, and the LLM extractor's enum schema."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from somekit.answers.extract import extract_label
from somekit.schemas.eval import EXTRACT_SCHEMAS

from .fixtures.extraction import load_corpus


def test_corpus_is_large_varied_and_read_at_98_percent():
    corpus = load_corpus()
    assert len(corpus) >= 400
    tasks = Counter(a.task for a in corpus)
    assert set(tasks) == {"ubp", "ucs", "mcr", "uea", "mid"} and min(tasks.values()) >= 30
    zh = sum(1 for a in corpus if any("\u4e00" <= ch <= "\u9fff" for ch in a.text))
    assert 0.3 * len(corpus) < zh < 0.7 * len(corpus)            # both languages, in earnest
    assert sum(1 for a in corpus if a.label is None) >= 20       # refusals and non-answers too
    wrong = [(a.source, a.text, extract_label(a.task, a.text).label, a.label) for a in corpus
             if extract_label(a.task, a.text).label != a.label]
    assert 1 - len(wrong) / len(corpus) >= 0.98, wrong[:10]


@pytest.mark.parametrize("task,answer,label", [
    # The phrasings issue 14 lists as misread.
    ("ubp", "I don't think the user will like this post.", "no"),
    ("ubp", "The user would probably not repost this.", "no"),
    ("ubp", "Will the user like it? Probably not.", "no"),
    ("ubp", "不是很可能会点赞", "no"),
    ("ubp", "No doubt, they will comment.", "yes"),
    ("mid", "Having read the reports, the statement is **true**.", "true"),
    ("mid", "Having read the reports, the statement is **false**.", "false"),
    ("ubp", "unlikely", "no"), ("ubp", "不太可能", "no"), ("mid", "True", "true"), ("mid", "FALSE", "false"),
    ("ubp", '```json\n{"answer": "no"}\n```', "no"), ("uea", '{"emotion": "悲伤"}', "sad"),
    ("ubp", "<think>The user might like it... actually no.</think>\n\n否", "no"),
    ("uea", "Options were positive, angry or sad; I choose sad.", "sad"),
])
def test_issue_phrasings(task, answer, label):
    assert extract_label(task, answer).label == label


@pytest.mark.parametrize("text,label", [
    ("not angry, just sad", "sad"), ("不开心", None), ("unhappy", "sad"), ("I'm not happy about it", None),
    ("不是愤怒，而是悲伤", "sad"), ("愤怒", "angry"), ("情绪：无情绪", "emotionless"), ("Neutral.", "emotionless"),
    ("这条评论没有恐惧，只有惊讶", "surprise"), ("Surprised, not scared.", "surprise"),
])
def test_uea_votes_are_negation_aware(text, label):
    """Engineer 16's voters parse votes with extract_label('uea', text)."""
    ex = extract_label("uea", text)
    assert ex.label == label and (label is not None or ex.label != "positive")


@pytest.mark.parametrize("task,answer,rule", [
    ("ubp", "Error", "error"), ("ubp", "", "empty"), ("ubp", "我无法判断该用户是否会评论。", "unanswerable"),
    ("ubp", "The user might or might not like it.", "ambiguous"), ("uea", "The user will feel both happy and angry.", "ambiguous"),
])
def test_unreadable_answers_are_not_completed(task, answer, rule):
    ex = extract_label(task, answer)
    assert ex.label is None and ex.rule == rule


@pytest.mark.parametrize("answer,label", [
    ("是的，这是谣言。", "rumor"), ("这不是一条谣言", "non-rumor"), ("并非谣言", "non-rumor"), ("This post is not a rumor.", "non-rumor"),
    ("经核实，该微博内容属实，不是谣言。", "non-rumor"), ("该微博是谣言吗？是的。", "rumor"), ("我无法判断", None),
])
def test_mid_zh_rumour_verdicts(answer, label):
    assert extract_label("mid-zh", answer).label == label


@pytest.mark.parametrize("kind,labels", [("yesno", {"yes", "no", "none"}), ("mid", {"true", "half", "false", "none"}),
                                         ("rumor", {"rumor", "non-rumor", "none"}),
                                         ("emotion", {"positive", "angry", "sad", "fear", "surprise", "emotionless", "none"})])
def test_llm_extractor_schema_is_an_enum(kind, labels):
    schema = EXTRACT_SCHEMAS[kind].model_json_schema()
    assert set(schema["properties"]["label"]["enum"]) == labels
    with pytest.raises(ValueError):
        EXTRACT_SCHEMAS[kind].model_validate_json(json.dumps({"label": "maybe"}))


def test_llm_extractor_runs_against_the_llama_cpp_server(llama_server, tmp_path):
    """An answer the rules leave ambiguous goes to the real local model with the enum schema;
    whatever it says, the result is one of the labels or not completed (never off-vocabulary)."""
    from click.testing import CliRunner

    from somekit.cli import main

    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"u1": [{"weibo_id": "p1", "label": "是"}, {"weibo_id": "p2", "label": "否"}]}, ensure_ascii=False))
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps({"u1": [{"weibo_id": "p1", "label": "他会点赞。他不会点赞。"}, {"weibo_id": "p2", "label": "否"}]},
                               ensure_ascii=False))
    before = llama_server.requests()
    res = CliRunner().invoke(main, ["eval", "mcr", "--gold", str(gold), "--pred", str(pred), "--llm-base-url", str(llama_server),
                                    "--llm-model", "smollm2", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["llm_fallback"] == 1 and out["rules"].get("llm", 0) + out["rules"].get("llm-none", 0) == 1
    assert out["rules"]["exact"] == 1 and out["matching"]["matched"] == 2
    assert llama_server.requests() - before >= 1


def test_mid_fallback_asks_for_the_three_scored_labels(tmp_path):
    from somekit.eval import evaluate
    from somekit.schemas.eval import ExtractMIDOut

    from .test_eval import ScriptedLLM

    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"1.json": {"claim": "c1", "label": "half-true"}, "2.json": {"claim": "c2", "label": "true"}}))
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps({"1.json": "Some say it is true, others that it is false; the reports disagree.", "2.json": "True."}))
    llm = ScriptedLLM(lambda r: ExtractMIDOut(label="half"))
    out = evaluate("mid", gold, pred, llm=llm)
    assert [r.prompt_id for r in llm.requests] == ["extract.mid@2"] and llm.requests[0].schema is ExtractMIDOut
    assert out["acc"] == 100.0 and out["rules"] == {"exact": 1, "llm": 1}
