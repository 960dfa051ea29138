"""Predictions matched by key (never by position), SoMe's results/ files, prose gold, named judges.

Gold is SoMe's real released ground truth (../shared) and frozen splits of our own items."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest
from click.testing import CliRunner

from somekit.cli import main
from somekit.eval import EvalError, evaluate
from somekit.eval.some_results import score_some_results
from somekit.freeze import freeze, read_frozen
from somekit.schemas.eval import JudgeSMQOut
from somekit.store.items import write_items

from .test_eval import SOME_FILES, ScriptedLLM
from .test_freeze_items import make_items

PROSE = {  # a verdict written as an agent writes it, per gold label
    "是": "综合该用户的历史记录来看，我认为会。", "否": "I don't think the user would do that; probably not.",
    "true": "After checking the reports, the statement is **true**.", "false": "The evidence contradicts it, so the claim is **false**.",
    "half": "The claim is partly accurate but misleading overall: half-true.",
    "积极": "该用户会感到开心。", "愤怒": "The user will be furious.", "悲伤": "不是愤怒，而是悲伤。", "恐惧": "The user will be scared.",
    "惊奇": "用户会很惊讶。", "无情绪": "The user will show no particular emotion.",
}


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("task", sorted(SOME_FILES))
def test_some_gold_scores_100_as_labels_and_as_prose_verdicts(some_gt_dir, tmp_path, task):
    gold_path = some_gt_dir / SOME_FILES[task]
    gold = _load(gold_path)
    assert evaluate(task, gold_path, gold_path)["acc"] == 100.0
    field = "emotion" if task == "uea" else "label"
    if task == "mid":
        prose = {k: {**v, "label": PROSE[v["label"]] if v["label"] in PROSE else PROSE[{"pants-fire": "false", "barely-true": "half",
                                                                                           "half-true": "half", "mostly-true": "true"}[v["label"]]]}
                 for k, v in gold.items()}
    elif task == "ubp":
        prose = {a: {u: [{**r, field: PROSE[r[field]]} for r in rows] for u, rows in users.items()} for a, users in gold.items()}
    else:
        prose = {u: [{**r, field: PROSE[r[field]]} for r in rows] for u, rows in gold.items()}
    path = tmp_path / "prose.json"
    path.write_text(json.dumps(prose, ensure_ascii=False), encoding="utf-8")
    as_pred = evaluate(task, gold_path, path)
    as_gold = evaluate(task, path, gold_path)          # the gold written as prose verdicts
    assert as_pred["acc"] == 100.0 and as_pred["tcr"] == 100.0
    assert as_gold["acc"] == 100.0 and as_gold["n"] == as_pred["n"]


def test_reordered_predictions_score_the_same(some_gt_dir, tmp_path):
    gold_path = some_gt_dir / SOME_FILES["mcr"]
    gold = _load(gold_path)
    rows = [{"user_id": u, "weibo_id": r["weibo_id"], "answer": PROSE[r["label"]] if i % 4 else ("否" if r["label"] == "是" else "是")}
            for u, rs in gold.items() for i, r in enumerate(rs)]
    ordered, shuffled = tmp_path / "ordered.jsonl", tmp_path / "shuffled.jsonl"
    ordered.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    random.Random(3).shuffle(rows)
    shuffled.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    a, b = evaluate("mcr", gold_path, ordered), evaluate("mcr", gold_path, shuffled)
    assert a["acc"] == b["acc"] and a["tcr"] == b["tcr"] == 100.0 and a["acc"] == 75.0
    # The same in the gold's own shape with each user's list reversed.
    rev = {u: list(reversed(rs)) for u, rs in gold.items()}
    path = tmp_path / "reversed.json"
    path.write_text(json.dumps(rev, ensure_ascii=False), encoding="utf-8")
    assert evaluate("mcr", gold_path, path)["acc"] == 100.0


def test_frozen_gold_reordered_and_by_natural_key(ws, tmp_path):
    write_items(ws, "ubp", make_items("ubp", 40))
    freeze(ws, "v1")
    items = read_frozen(ws, "v1", "ubp", "test")
    gold = ws.frozen("v1") / "ubp" / "test.parquet"
    by_id = [{"id": i.id, "answer": {"label": "是" if i.answer.label == "yes" else "否"}} for i in items]   # structured answers
    by_key = [{"user_id": i.inputs.user_id, "weibo_id": i.inputs.post_id, "action": i.inputs.action,
               "answer": "Yes." if i.answer.label == "yes" else "No."} for i in items]
    for name, rows in (("id", by_id), ("key", by_key), ("rev", list(reversed(by_key)))):
        path = tmp_path / f"{name}.jsonl"
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
        assert evaluate("ubp", gold, path)["acc"] == 100.0, name


def test_duplicates_missing_and_extra_are_counted_not_guessed(some_gt_dir, tmp_path):
    gold_path = some_gt_dir / SOME_FILES["uea"]
    gold = _load(gold_path)
    rows = [{"user_id": u, "weibo_id": r["weibo_id"], "answer": r["emotion"]} for u, rs in gold.items() for r in rs]
    n = len(rows)
    first, second = rows[0], rows[1]
    rows = rows[2:]                                                       # two missing
    rows.append({**rows[0]})                                              # a duplicate that agrees
    rows.append({**rows[1], "answer": "愤怒" if rows[1]["answer"] != "愤怒" else "悲伤"})   # a duplicate that conflicts
    rows.append({"user_id": "nobody", "weibo_id": "0", "answer": "积极"})   # extra
    path = tmp_path / "pred.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = evaluate("uea", gold_path, path)
    m = result["matching"]
    assert m["missing"] == 3 and m["extra"] == 1 and m["duplicate"] == 2 and m["conflicting"] == 1
    assert result["extra_predictions"] == 1
    assert result["correct"] == n - 3 and result["completed"] == n - 3
    assert first["weibo_id"] and second["weibo_id"]


def _some_results(gold: dict, task: str, answer) -> dict:
    """A results file the way SoMe's test_*.py writes it: {user: {"<index>": text}}."""
    if task == "ubp":
        zh = {"like": "点赞", "comment": "评论", "repost": "转发"}
        return {zh[a]: {u: {str(i): answer(r) for i, r in enumerate(rows)} for u, rows in users.items()} for a, users in gold.items()}
    if task == "mid":
        return {k: answer(v) for k, v in gold.items()}
    return {u: {str(i): answer(r) for i, r in enumerate(rows)} for u, rows in gold.items()}


def test_some_results_folder_scored_with_paper_metrics(some_gt_dir, tmp_path):
    results = tmp_path / "results"
    names = {"ubp": "user_behavior_prediction", "uea": "user_emotion_analysis", "mid": "misinformation_detection",
             "smq": "social_media_question_answering"}
    for task in ("ubp", "uea", "mid"):
        gold = _load(some_gt_dir / SOME_FILES[task])
        field = "emotion" if task == "uea" else "label"
        perfect = _some_results(gold, task, lambda r: PROSE.get(r[field], r[field]))
        (results / names[task]).mkdir(parents=True)
        (results / names[task] / "Perfect-7B.json").write_text(json.dumps(perfect, ensure_ascii=False), encoding="utf-8")
        errors = _some_results(gold, task, lambda r: "Error")
        (results / names[task] / "Broken.json").write_text(json.dumps(errors, ensure_ascii=False), encoding="utf-8")
    smq = _load(some_gt_dir / "social_media_question_answering.json")
    (results / names["smq"]).mkdir()
    answers = dict(list(smq.items())[:3])
    answers[list(smq)[3]] = "运行错误"                  # what SoMe's harness writes when the agent crashed
    (results / names["smq"] / "Perfect-7B.json").write_text(json.dumps(answers, ensure_ascii=False))
    out = score_some_results(results, some_gt_dir)
    for task in ("ubp", "uea", "mid"):
        assert out[task]["Perfect-7B"]["acc"] == 100.0 and out[task]["Perfect-7B"]["tcr"] == 100.0
        assert out[task]["Broken"]["tcr"] == 0.0 and out[task]["Broken"]["acc"] == 0.0
        assert out[task]["Perfect-7B"]["acc_of_present"] == 100.0
    assert "no judge" in out["smq"]["Perfect-7B"]["skipped"]
    judged = score_some_results(results, some_gt_dir, judge=ScriptedLLM(lambda r: JudgeSMQOut(accuracy=5)), judge_name="scripted")
    s = judged["smq"]["Perfect-7B"]
    assert s["score"] == pytest.approx(100 * 3 / len(smq), abs=1e-3) and s["judge"] == "scripted"
    assert s["tcr"] == pytest.approx(100 * 3 / len(smq), abs=1e-3) and s["matching"]["matched"] == 4
    res = CliRunner().invoke(main, ["eval", "--some-results", str(results), "--gold", str(some_gt_dir), "--json"])
    assert res.exit_code == 0, res.output
    cli = json.loads(res.stdout)
    assert cli["mid"]["Perfect-7B"]["acc"] == out["mid"]["Perfect-7B"]["acc"] == 100.0
    # One task, gold given as the folder that holds it.
    res = CliRunner().invoke(main, ["eval", "uea", "--gold", str(some_gt_dir), "--pred",
                                    str(results / names["uea"] / "Perfect-7B.json"), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["acc"] == 100.0


def test_judged_tasks_need_a_named_judge(some_gt_dir, tmp_path, monkeypatch):
    for var in ("SOMEKIT_LLM_BASE_URL", "SOMEKIT_JUDGE"):
        monkeypatch.delenv(var, raising=False)
    gold = tmp_path / "gold.json"
    smq = _load(some_gt_dir / "social_media_question_answering.json")
    gold.write_text(json.dumps(dict(list(smq.items())[:2]), ensure_ascii=False))
    res = CliRunner().invoke(main, ["eval", "smq", "--gold", str(gold), "--pred", str(gold)])
    assert res.exit_code == 1 and "name one" in res.output          # no silent embedded judge
    empty = tmp_path / "empty.json"
    empty.write_text("{}")                                            # nothing answered: no model call needed
    res = CliRunner().invoke(main, ["eval", "smq", "--gold", str(gold), "--pred", str(empty), "--judge", "embedded", "--json"])
    assert res.exit_code == 0, res.output
    assert "embedded offline model" in res.stderr
    out = json.loads(res.stdout)
    assert out["judge"] == "embedded" and out["score"] == 0.0 and out["matching"]["missing"] == 2
    res = CliRunner().invoke(main, ["eval", "smq", "--gold", str(gold), "--pred", str(gold), "--judge", "qwen"])
    assert res.exit_code == 1 and "no endpoint" in res.output
    with pytest.raises(EvalError, match="name one"):
        evaluate("smq", gold, gold, llm=None)


@pytest.mark.parametrize("task", ["red", "ses", "smq"])
def test_judged_frozen_gold_matched_by_their_keys(ws, tmp_path, task):
    from somekit.schemas.eval import JUDGE_SCHEMAS

    write_items(ws, task, make_items(task, 12))
    freeze(ws, "v1")
    items = read_frozen(ws, "v1", task, "test")

    def key(i):
        if task == "red":
            return {"key": f"{i.inputs.window_start}_{i.inputs.window_end}_{i.inputs.location}"}
        return {"topic": i.inputs.topic} if task == "ses" else {"question": i.inputs.question}

    # Keys asked once (the fixture repeats some SES topics; a repeated key pairs by occurrence).
    counts = Counter(json.dumps(key(i)) for i in items)
    items = [i for i in items if counts[json.dumps(key(i))] == 1]
    assert items
    rows = [{**key(i), "answer": f"answer for {i.id}"} for i in reversed(items)]
    path = tmp_path / "pred.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    seen = {}

    def script(req):
        seen[req.key] = req.fields["prediction"]
        return JUDGE_SCHEMAS[task](**{c: 5 for c in JUDGE_SCHEMAS[task].model_fields if c != "reason"})

    result = evaluate(task, ws.frozen("v1") / task / "test.parquet", path, llm=ScriptedLLM(script), judge_name="scripted")
    assert result["matching"]["matched"] == len(items) and result["judge"] == "scripted"
    assert result["score"] == pytest.approx(100.0 * len(items) / result["n"], abs=1e-3)
    assert seen == {i.id: f"answer for {i.id}" for i in items}          # each answer reached its own item
