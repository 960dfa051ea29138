"""The offline fallback for answers the rules leave undecided, and what `eval` reports about how
it read the answers (issue 25): counts per rule, undecided share, fallback use, LLM agreement."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from somekit.cli import main
from somekit.eval import evaluate
from somekit.eval.classify import score_classification
from somekit.answers.extract import extract_label
from somekit.answers.fallback import EXAMPLES, OFFLINE_RULE, eligible, load_examples, offline_labels
from somekit.eval.gold import Case
from somekit.answers.labels import KIND, LABELS

ROOT = Path(__file__).resolve().parents[1]
BATCH_B = ROOT / "bench" / "data" / "extraction_heldout_b.jsonl"
#: An answer the rules cannot read (its verb is no label cue) that the fallback reads as yes (from
#: held-out batch A, which the fallback is trained on; batch B measures it on unseen answers).
UNREAD = ("Recommendation: ✅ Show this post to the user.\n\nConfidence is moderate; engagement with video posts is "
          "lower than with images.")


def _builder():
    spec = importlib.util.spec_from_file_location("build_verdict_examples", ROOT / "scripts" / "build_verdict_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_examples_match_their_sources_and_hold_no_batch_b_answer():
    assert EXAMPLES.read_text(encoding="utf-8") == _builder().render(), "run scripts/build_verdict_examples.py"
    rows = load_examples()
    assert {KIND[r["task"]] for r in rows} == set(LABELS) and all(r["label"] in LABELS[KIND[r["task"]]] for r in rows)
    batch_b = {json.loads(line)["answer"] for line in BATCH_B.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert not batch_b & {r["text"] for r in rows}


def test_cross_validated_fallback_is_precise_where_it_decides():
    """Trained on 4/5 of the examples, read the other fifth: where it decides it is right >= 97%,
    and it decides at least a quarter (its abstain threshold trades coverage for few wrong labels)."""
    import somekit.answers.fallback as fallback

    rows = load_examples()
    decided = right = 0
    original = fallback.load_examples
    try:
        for fold in range(5):
            train = [r for i, r in enumerate(rows) if i % 5 != fold]
            test = [r for i, r in enumerate(rows) if i % 5 == fold]
            fallback.load_examples = lambda path=None, train=train: train
            fallback._model.cache_clear()
            for task in KIND:
                part = [r for r in test if r["task"] == task]
                for r, label in zip(part, offline_labels(task, [r["text"] for r in part])):
                    decided += label is not None
                    right += label == r["label"]
    finally:
        fallback.load_examples = original
        fallback._model.cache_clear()
    assert decided >= len(rows) / 4 and right >= 0.97 * decided, (decided, right, len(rows))


def test_fallback_runs_only_where_rules_are_undecided_and_never_on_hedges():
    assert extract_label("mcr", UNREAD).rule == "ambiguous" and eligible(extract_label("mcr", UNREAD))
    hedge = extract_label("mcr", "The user might or might not click it.")
    assert hedge.hedged and not eligible(hedge)
    cases = [Case("a", "yes", answer=UNREAD), Case("b", "no", answer="The user might or might not click it."),
             Case("c", "no", answer="No."), Case("d", "no", answer="我无法判断。")]
    out = score_classification("mcr", cases)
    assert out["rules"] == {OFFLINE_RULE: 1, "ambiguous": 1, "exact": 1, "unanswerable": 1}
    assert out["correct"] == 2 and out["reading"]["offline_fallback"] == {"enabled": True, "asked": 1, "decided": 1}
    assert out["reading"]["undecided_share"] == 0.5 and out["reading"]["undecided_share_after_fallbacks"] == 0.25
    off = score_classification("mcr", cases, offline_fallback=False)
    assert off["rules"] == {"ambiguous": 2, "exact": 1, "unanswerable": 1} and off["correct"] == 1


def test_llm_reads_first_and_its_agreement_with_the_rules_is_reported():
    """The LLM (a scripted fake of the model's replies: the plumbing is under test) reads the
    undecided answer before the fallback could; the audit gives it rule-read answers too."""
    from somekit.schemas.eval import ExtractYesNoOut

    from .test_eval import ScriptedLLM

    cases = [Case("a", "yes", answer=UNREAD)] + [Case(f"r{i}", "no" if i % 2 else "yes", answer="No." if i % 2 else "Yes.")
                                                  for i in range(6)]
    llm = ScriptedLLM(lambda r: ExtractYesNoOut(label="no" if r.key in ("r1", "r3") else "yes"))
    out = score_classification("mcr", cases, llm=llm, llm_audit=4)
    assert out["rules"].get(OFFLINE_RULE, 0) == 0 and out["rules"]["llm"] == 1 and out["correct"] == 7
    agreement = out["reading"]["llm_agreement"]
    assert agreement["audited"] == 4 and agreement["both_decided"] == 4
    truth = {c.id: c.gold for c in cases}
    audited = [r.key for r in llm.requests if r.key != "a"]
    expected = sum(1 for k in audited if truth[k] == ("no" if k in ("r1", "r3") else "yes"))
    assert agreement["agree"] == expected and agreement["rate"] == round(expected / 4, 4)


def test_cli_names_the_fallback_and_no_fallback_turns_it_off(tmp_path):
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"u1": [{"weibo_id": "p1", "label": "是"}, {"weibo_id": "p2", "label": "否"}]}, ensure_ascii=False))
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps({"u1": [{"weibo_id": "p1", "label": UNREAD}, {"weibo_id": "p2", "label": "否"}]}, ensure_ascii=False))
    res = CliRunner().invoke(main, ["eval", "mcr", "--gold", str(gold), "--pred", str(pred), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["rules"] == {OFFLINE_RULE: 1, "exact": 1} and out["acc"] == 100.0
    assert out == json.loads(json.dumps(evaluate("mcr", gold, pred)))
    res = CliRunner().invoke(main, ["eval", "mcr", "--gold", str(gold), "--pred", str(pred), "--json", "--no-fallback"])
    off = json.loads(res.stdout)
    assert off["rules"] == {"ambiguous": 1, "exact": 1} and off["acc"] == 50.0
    assert off == json.loads(json.dumps(evaluate("mcr", gold, pred, offline_fallback=False)))
    text = CliRunner().invoke(main, ["eval", "mcr", "--gold", str(gold), "--pred", str(pred)])
    line = " ".join(text.output.split())   # rich wraps long lines
    assert "offline fallback decided 1 of 1" in line and "undecided by rules 50.0%" in line


@pytest.mark.parametrize("task", sorted(KIND))
def test_fallback_labels_are_in_the_task_vocabulary(task):
    answers = ["", "???", "x" * 5000, "也许吧", "the user", '{"label": 3}']
    labels = offline_labels(task, answers)
    assert len(labels) == len(answers) and set(labels) <= set(LABELS[KIND[task]]) | {None}
    assert Counter(labels)[None] >= 1
