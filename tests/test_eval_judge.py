"""Judge scoring: the score formula with scripted judge outputs (a scripted LLMClient stands in
for the model, since the arithmetic is the point), and a real run against the llama.cpp server."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from somekit.cli import main
from somekit.eval import EvalError, evaluate
from somekit.eval.judge import combine
from somekit.schemas.eval import JudgeREDOut, JudgeSESOut

from .test_eval import ScriptedLLM


def test_combine_counts_failures_as_zero_and_gives_an_interval():
    per_case = {"a": {"accuracy": 5, "completeness": 3}, "b": {"accuracy": 1, "completeness": 0},
                "missing": {}, "failed": None}
    out = combine("ses", per_case, 4)
    # (5 + 3 + 1 + 0) / 8 ratings x 20: the failed judgement counts 0 (leaving it out would raise
    # the score) and is reported.
    assert out["score"] == pytest.approx(20 * 9 / 8)
    assert out["criteria"] == {"accuracy": pytest.approx(20 * 6 / 4), "completeness": pytest.approx(20 * 3 / 4)}
    assert out["judged"] == 2 and out["judge_failures"] == 1
    lo, hi = out["ci"]
    assert 0.0 <= lo < out["score"] < hi <= 100.0
    assert combine("smq", {"x": {"accuracy": 5}}, 1)["score"] == 100.0
    assert combine("smq", {"x": {"accuracy": 5}, "y": {"accuracy": 5}}, 2)["ci"] == [100.0, 100.0]


def test_ses_on_some_gold_with_scripted_judge(some_gt_dir, tmp_path):
    gold_path = some_gt_dir / "streaming_event_summary.json"
    gold = json.loads(gold_path.read_text())
    topics = list(gold)
    preds = {t: f"agent summary of {t}" for t in topics[2:]}       # two topics unanswered
    preds[topics[2]] = "FAIL"                                     # the judge will fail on this one
    pred_path = tmp_path / "pred.json"
    pred_path.write_text(json.dumps(preds, ensure_ascii=False))

    def script(req):
        assert req.prompt_id == "judge.ses@1" and req.fields["reference"] == gold[req.key]
        assert req.lang == "zh"
        return None if req.fields["prediction"] == "FAIL" else JudgeSESOut(accuracy=4, completeness=2)

    llm = ScriptedLLM(script)
    result = evaluate("ses", gold_path, pred_path, llm=llm)
    n = len(topics)
    assert result["n"] == n and len(llm.requests) == n - 2
    assert result["judge_failures"] == 1 and result["judged"] == n - 3
    # n-3 answered items at (4+2)/2 x 20 = 60; two unanswered and one failed judgement at 0.
    assert result["score"] == pytest.approx(60 * (n - 3) / n, abs=1e-3)
    assert result["criteria"]["accuracy"] == pytest.approx(80 * (n - 3) / n, abs=1e-3)
    assert result["tcr"] == pytest.approx(100 * (n - 2) / n, abs=1e-3)


def test_red_three_criteria_and_missing_judge(some_gt_dir, tmp_path):
    gold_path = some_gt_dir / "realtime_event_detection.json"
    gold = json.loads(gold_path.read_text())
    keys = list(gold)[:5]
    small = tmp_path / "gold.json"
    small.write_text(json.dumps({k: gold[k] for k in keys}, ensure_ascii=False))
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps({k: gold[k] for k in keys}, ensure_ascii=False))  # gold events as the answer
    llm = ScriptedLLM(lambda req: JudgeREDOut(accuracy=5, completeness=5, relevance=5))
    result = evaluate("red", small, pred, llm=llm)
    assert result["score"] == 100.0 and set(result["criteria"]) == {"accuracy", "completeness", "relevance"}
    assert "标题" in llm.requests[0].fields["prediction"]
    with pytest.raises(EvalError, match="name one"):
        evaluate("red", small, pred, llm=None)


def test_judge_runs_against_the_llama_cpp_server(llama_server, some_gt_dir, tmp_path):
    gold = json.loads((some_gt_dir / "social_media_question_answering.json").read_text())
    # The two shortest real QA pairs: one answered with the reference, one unanswered. One real
    # call keeps this test affordable on 2 cores (SmolLM2 takes seconds per structured reply).
    keys = sorted(gold, key=lambda k: len(k) + len(gold[k]))[:2]
    gold_path = tmp_path / "gold.json"
    gold_path.write_text(json.dumps({k: gold[k] for k in keys}, ensure_ascii=False))
    pred_path = tmp_path / "pred.json"
    pred_path.write_text(json.dumps({keys[0]: gold[keys[0]]}, ensure_ascii=False))
    before = llama_server.requests()
    res = CliRunner().invoke(main, ["eval", "smq", "--gold", str(gold_path), "--pred", str(pred_path),
                                    "--llm-base-url", str(llama_server), "--llm-model", "smollm2", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["n"] == 2 and out["tcr"] == 50.0
    assert out["judged"] + out["judge_failures"] == 1      # the unanswered one is scored 0 without a call
    assert 0.0 <= out["score"] <= 100.0 and out["judge_model"] == "smollm2"
    if out["judge_failures"] == 0:
        assert out["score"] <= 50.0                        # at most 5/5 on the answered half
    assert llama_server.requests() - before >= 1           # the answered item went to the real server


def test_frozen_smq_split_with_scripted_judge(ws, tmp_path):
    from somekit.freeze import freeze, read_frozen
    from somekit.schemas.eval import JudgeSMQOut
    from somekit.store.items import write_items

    from .test_freeze_items import make_items

    write_items(ws, "smq", make_items("smq", 12))
    freeze(ws, "v1")
    items = read_frozen(ws, "v1", "smq", "test")
    pred = tmp_path / "pred.jsonl"
    pred.write_text("\n".join(json.dumps({"id": i.id, "answer": i.answer.answer}, ensure_ascii=False) for i in items))
    seen = []

    def script(req):
        seen.append((req.fields["question"], req.fields["reference"], req.fields["prediction"]))
        return JudgeSMQOut(accuracy=3)

    result = evaluate("smq", ws.frozen("v1") / "smq" / "test.parquet", pred, llm=ScriptedLLM(script))
    assert result["score"] == 60.0 and result["tcr"] == 100.0 and result["n"] == len(items)
    assert sorted(seen) == sorted((i.inputs.question, i.answer.answer, i.answer.answer) for i in items)
