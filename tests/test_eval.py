"""Evaluation: SoMe's real ground truth, label extraction rules (zh/en), TCR, frozen gold, NAP.

The LLM-dependent parts use a scripted LLMClient (a fake of the LLM layer, standing in for a
model's replies where the point is our arithmetic, not the model); the real judge run against the
llama.cpp server is in test_eval_judge.py.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from somekit.annotate.contract import LLMResult
from somekit.cli import main
from somekit.eval import EvalError, evaluate
from somekit.answers.extract import extract_label
from somekit.eval.nap import parse_prediction
from somekit.freeze import freeze
from somekit.schemas.eval import ExtractOut
from somekit.store.items import write_items

from .test_freeze_items import make_items

SOME_FILES = {
    "ubp": "user_behavior_prediction.json", "ucs": "user_comment_silmulation.json", "mcr": "media_content_recommend.json",
    "uea": "user_emotion_analysis.json", "mid": "misinformation_detection.json",
}


class ScriptedLLM:
    """Fake LLMClient: answers each request from a script keyed by request key (stands in for a
    model; the formula and plumbing are what these tests check)."""

    model = "scripted"
    backend = "scripted"

    def __init__(self, script):
        self.script = script
        self.requests = []

    def run(self, requests, desc=""):
        self.requests.extend(requests)
        out = []
        for r in requests:
            value = self.script(r)
            out.append(LLMResult(key=r.key, ok=value is not None, value=value, error=None if value is not None else "unparseable"))
        return out


@pytest.mark.parametrize("task", sorted(SOME_FILES))
def test_some_gold_as_predictions_scores_100(some_gt_dir, task):
    path = some_gt_dir / SOME_FILES[task]
    result = evaluate(task, path, path)
    assert result["n"] > 1000
    assert result["acc"] == 100.0 and result["tcr"] == 100.0
    assert result["gold_format"] == "some"


EXTRACTION_CASES = [
    ("ubp", "我认为该用户会点赞这条微博。", "yes"), ("ubp", "该用户不会转发这条微博。", "no"), ("ubp", "答案：否", "no"),
    ("ubp", "答案是：是", "yes"), ("ucs", "是的，这条评论是该用户发表的。", "yes"), ("ucs", "不是，这条评论不是该用户写的", "no"),
    ("ubp", "Yes, the user would like this post.", "yes"), ("ubp", "The user is unlikely to repost it. Answer: No", "no"),
    ("mcr", "**Answer:** yes", "yes"), ("ubp", "不太可能会点赞，因为他很少互动", "no"), ("mcr", "该用户很可能对这条内容感兴趣。", "yes"),
    ("mcr", "The user is not interested in this kind of content.", "no"), ("ubp", "是", "yes"), ("ubp", "否", "no"),
    ("uea", "该用户的情绪是愤怒。", "angry"), ("uea", "情绪：悲伤", "sad"), ("uea", "The user's comment expresses sadness.", "sad"),
    ("uea", "无明显情绪", "emotionless"), ("uea", "The emotion is neutral.", "emotionless"), ("uea", "积极", "positive"),
    ("uea", "这条评论表达了惊讶之情", "surprise"), ("uea", "不是愤怒，而是悲伤", "sad"), ("uea", "The user seems scared about the news.", "fear"),
    ("uea", "The user is not happy, but angry.", "angry"), ("mid", "This claim is half-true.", "half"), ("mid", "The claim is not true.", "false"),
    ("mid", "该说法属实。", "true"), ("mid", "这是谣言", "false"), ("mid", "Label: pants-fire", "false"), ("mid", "Mostly true.", "true"),
    ("mid", "半真半假", "half"),
    # Reasoning before the verdict, as agents write it.
    ("ubp", "该用户历史上经常点赞类似内容，但这条微博与其兴趣不符，因此不会点赞。", "no"),
    ("ubp", "The user has liked similar posts before, so they will probably like this one too.", "yes"),
    ("mcr", "This post does not match the user's interests; prediction: no.", "no"),
    ("ubp", "综合来看，该用户点赞的可能性较低。", "no"), ("ubp", "**预测结果**：会转发", "yes"), ("ubp", "我认为会。", "yes"),
    ("ucs", "这条评论很可能是该用户发表的。", "yes"), ("ucs", "I think this comment was not written by this user.", "no"),
    ("ucs", "这条评论不像是该用户的风格，答案为否。", "no"), ("uea", "评论中'太可怕了'体现出恐惧", "fear"),
    ("uea", "情绪类别：无情绪", "emotionless"), ("uea", "I would say the emotion is positive (joy).", "positive"),
    ("mid", "The claim is mostly accurate.", "true"), ("mid", "The claim is misleading.", "half"), ("mid", "该说法不属实", "false"),
    ("mid", "Verdict: partly false", "half"),
]


@pytest.mark.parametrize("task,answer", [
    ("ubp", "他会点赞。他不会点赞。"), ("uea", "The user will feel both happy and angry."),
    ("ubp", "这是个好机会。"), ("ubp", "The user might or might not like it."),
])
def test_conflicting_or_labelless_answers_are_left_to_the_llm(task, answer):
    assert extract_label(task, answer).rule == "ambiguous"


@pytest.mark.parametrize("task,answer,label", EXTRACTION_CASES)
def test_rules_extract_labels_from_free_text(task, answer, label):
    assert extract_label(task, answer).label == label


@pytest.mark.parametrize("task,answer", [
    ("ubp", "我无法判断该用户是否会评论。"), ("ubp", "I cannot determine whether the user will comment."),
    ("mid", "I don't know."), ("uea", "信息不足，无法确定情绪。"), ("mcr", "   "),
])
def test_refusals_and_empty_answers_have_no_label(task, answer):
    ex = extract_label(task, answer)
    assert ex.label is None and ex.rule in ("unanswerable", "empty")


def _some_predictions(gold: dict, task: str, replace) -> dict:
    """A SoMe-shaped prediction file: each unit's label replaced by replace(index, gold_label)."""
    counter = iter(range(10**6))
    field = "emotion" if task == "uea" else "label"

    def fix(rows):
        return [{**row, field: replace(next(counter), row[field])} for row in rows]

    if task == "ubp":
        return {a: {u: fix(rows) for u, rows in users.items()} for a, users in gold.items()}
    return {u: fix(rows) for u, rows in gold.items()}


def test_free_text_answers_refusals_and_missing_count_as_specified(some_gt_dir, tmp_path):
    gold_path = some_gt_dir / SOME_FILES["mcr"]
    gold = json.loads(gold_path.read_text())
    sentences = {"是": "根据该用户的历史，我认为他会点赞这条微博。", "否": "The user will not like this post."}

    def replace(i, label):
        if i % 10 == 0:
            return "我无法判断。"          # refusal: not completed
        if i % 10 == 1:
            return None                   # no answer: not completed
        if i % 10 == 2:
            return "否" if label == "是" else "是"   # answered, wrong
        return sentences[label]

    preds = _some_predictions(gold, "mcr", replace)
    first = next(iter(preds))
    del preds[first]                       # a whole user missing from the predictions
    pred_path = tmp_path / "pred.json"
    pred_path.write_text(json.dumps(preds, ensure_ascii=False))
    result = evaluate("mcr", gold_path, pred_path)
    n = result["n"]
    missing_user = len(gold[first])
    idx = list(range(n))
    first_rows = set(range(missing_user))
    refused = sum(1 for i in idx if i % 10 in (0, 1) or i in first_rows)
    wrong = sum(1 for i in idx if i % 10 == 2 and i not in first_rows)
    assert result["tcr"] == pytest.approx(100 * (n - refused) / n, abs=1e-3)
    assert result["acc"] == pytest.approx(100 * (n - refused - wrong) / n, abs=1e-3)
    assert result["rules"]["unanswerable"] > 0 and result["missing"] > 0


def test_llm_fallback_only_for_ambiguous_answers(some_gt_dir, tmp_path):
    gold_path = some_gt_dir / SOME_FILES["uea"]
    gold = json.loads(gold_path.read_text())
    preds = _some_predictions(gold, "uea", lambda i, lab: "既开心又难过，说不清" if i == 0 else ("无法判断" if i == 1 else lab))
    pred_path = tmp_path / "pred.json"
    pred_path.write_text(json.dumps(preds, ensure_ascii=False))
    first_gold = next(iter(gold.values()))[0]["emotion"]
    from somekit.answers.labels import normalise_gold

    llm = ScriptedLLM(lambda r: ExtractOut(label=normalise_gold("uea", first_gold)))
    result = evaluate("uea", gold_path, pred_path, llm=llm)
    assert len(llm.requests) == 1 and llm.requests[0].prompt_id == "extract.uea@1"  # the refusal is not sent
    assert result["rules"]["llm"] == 1 and result["rules"]["unanswerable"] == 1
    assert result["acc"] == pytest.approx(100 * (result["n"] - 1) / result["n"], abs=1e-3)


def test_frozen_split_as_gold_with_jsonl_predictions_and_cli(ws, tmp_path):
    write_items(ws, "uea", make_items("uea", 30))
    write_items(ws, "mid", make_items("mid", 30))
    freeze(ws, "v1")
    from somekit.freeze import read_frozen

    items = read_frozen(ws, "v1", "uea", "test")
    zh = {"positive": "积极", "angry": "这条评论很愤怒", "sad": "The user feels sad.", "fear": "恐惧",
          "surprise": "情绪：惊讶", "emotionless": "没有明显情绪"}
    lines = [{"id": i.id, "answer": zh[i.answer.emotion]} for i in items[1:]] + [{"id": "not-in-gold", "answer": "积极"}]
    pred = tmp_path / "pred.jsonl"
    pred.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    gold = ws.frozen("v1") / "uea" / "test.parquet"
    result = evaluate("uea", gold, pred)
    n = len(items)
    assert result["n"] == n and result["extra_predictions"] == 1
    assert result["acc"] == pytest.approx(100 * (n - 1) / n, abs=1e-3) and result["tcr"] == result["acc"]

    res = CliRunner().invoke(main, ["eval", "uea", "--gold", str(gold), "--pred", str(pred), "--json"])
    assert res.exit_code == 0, res.output
    cli = json.loads(res.stdout)
    assert {k: cli[k] for k in ("task", "n", "acc", "tcr")} == {k: result[k] for k in ("task", "n", "acc", "tcr")}
    assert "Examples" in CliRunner().invoke(main, ["eval", "--help"]).output
    # The wrong task for a frozen file is a clean error.
    res = CliRunner().invoke(main, ["eval", "ubp", "--gold", str(gold), "--pred", str(pred)])
    assert res.exit_code == 1 and "not ubp" in res.output


def test_cli_on_some_gold(some_gt_dir):
    path = some_gt_dir / SOME_FILES["mid"]
    res = CliRunner().invoke(main, ["eval", "mid", "--gold", str(path), "--pred", str(path), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out == evaluate("mid", path, path) and out["acc"] == 100.0


def test_bad_inputs_are_domain_errors(tmp_path, some_gt_dir):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(EvalError, match="not valid JSON"):
        evaluate("ubp", some_gt_dir / SOME_FILES["ubp"], bad)
    with pytest.raises(EvalError, match="does not look like SoMe's ubp"):
        evaluate("ubp", some_gt_dir / SOME_FILES["mid"], some_gt_dir / SOME_FILES["mid"])


def test_nap_f1_and_prediction_parsing():
    gold = [{"like", "reply"}, {"post"}, {"repost"}]
    pred = [{"like"}, {"post"}, {"like"}]
    from somekit.eval.nap_metrics import action_f1

    scores = action_f1(gold, pred, labels=("like", "reply", "post", "repost"))
    # like: tp1 fp1 fn0 -> 2/3; reply: fn1 -> 0; post: 1; repost: fn1 -> 0 => macro 0.416667
    assert scores["macro_f1"] == pytest.approx((2 / 3 + 0 + 1 + 0) / 4, abs=1e-6)
    # micro: tp2 fp1 fn2 -> 4/7
    assert scores["micro_f1"] == pytest.approx(4 / 7, abs=1e-6)
    assert parse_prediction('{"actions": ["reply", "bogus"], "text": "hi"}') == ({"reply"}, "hi")
    assert parse_prediction("I would unlike it and then post_update") == ({"unlike", "post_update"}, None)


def test_nap_on_frozen_gold_with_real_embedder(ws, tmp_path):
    from somekit.annotate.embeddings import get_embedder

    write_items(ws, "nap", make_items("nap", 24))
    freeze(ws, "v1")
    from somekit.freeze import read_frozen

    items = read_frozen(ws, "v1", "nap", "test")
    pred = tmp_path / "nap.jsonl"
    pred.write_text("\n".join(json.dumps({"id": i.id, "answer": json.dumps({"actions": i.answer.actions, "text": i.answer.text})})
                              for i in items) + "\n")
    result = evaluate("nap", ws.frozen("v1") / "nap" / "test.parquet", pred, embedder=get_embedder())
    # Delegated to somekit.persona.metrics (macro over all 13 declared labels, 0-1 scale).
    from somekit.eval.nap_metrics import action_f1

    assert result["metrics"] == "somekit.eval.nap_metrics" and result["micro_f1"] == 1.0
    assert result["macro_f1"] == action_f1([i.answer.actions for i in items], [i.answer.actions for i in items])["macro_f1"]
    assert result["cosine"] == pytest.approx(1.0, abs=1e-4) and result["embedding_model"] and result["tcr"] == 100.0
    # Without an embedder: the same F1 (one implementation), no text figures.
    local = evaluate("nap", ws.frozen("v1") / "nap" / "test.parquet", pred)
    assert local["macro_f1"] == result["macro_f1"] and local["cosine"] is None
