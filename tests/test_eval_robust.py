"""The label parser never raises, whatever an agent writes (property-based, hypothesis), and one
answer never aborts an eval run. Regression tests for the JSON answers that used to crash it."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from somekit.answers.answer_json import VERDICT_KEYS
from somekit.eval.classify import score_classification
from somekit.answers.extract import Extraction, extract_label
from somekit.eval.cases import Case
from somekit.answers.labels import BARE, KIND, LABELS

TASKS = sorted(KIND)
#: Every label word of every task: JSON answers that use another task's vocabulary must not crash.
WORDS = sorted({w for kind in BARE.values() for words in kind.values() for w in words})
FRAGMENTS = WORDS + ["not", "不", "但是", "because", "if", "所以", "therefore", "maybe", "或许", "不是", "而是", "rather than",
                     "I would say", "答案：", "Final answer:", "?", "。", "，", "\n", "**", "`", "```json\n", "```", "<think>",
                     "</think>", "# ", "> ", "- ", "| a | b |", "{", "}", "[", "]", '"', "\\", ":", "\u200b", "\ufeff"]

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

any_unicode = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=400)

json_scalar = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.sampled_from(WORDS) | any_unicode
json_value = st.recursive(
    json_scalar,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.sampled_from(VERDICT_KEYS + ("is_rumor", "arguments", "x"))
                                                                      | any_unicode, children, max_size=5),
    max_leaves=25)

prose = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=20), max_size=60).map(" ".join)


def _json_answer(value, wrap: int) -> str:
    text = json.dumps(value, ensure_ascii=bool(wrap % 2), allow_nan=True)
    return [text, f"```json\n{text}\n```", f"My reasoning first. Then: {text} done", text[: len(text) // 2]][wrap % 4]


def _check(task: str, answer) -> Extraction:
    ex = extract_label(task, answer)
    assert ex.label is None or ex.label in LABELS[KIND[task]]
    return ex


@SETTINGS
@given(task=st.sampled_from(TASKS), answer=any_unicode)
def test_arbitrary_unicode_never_raises(task, answer):
    _check(task, answer)


@SETTINGS
@given(task=st.sampled_from(TASKS), value=json_value, wrap=st.integers(0, 7))
def test_json_of_any_shape_never_raises(task, value, wrap):
    _check(task, _json_answer(value, wrap))


@SETTINGS
@given(task=st.sampled_from(TASKS), answer=prose)
def test_markdown_and_verdict_fragments_never_raise(task, answer):
    _check(task, answer)


@settings(max_examples=15, deadline=None)
@given(task=st.sampled_from(TASKS), piece=prose, times=st.integers(200, 2000))
def test_very_long_answers_never_raise_and_stay_fast(task, piece, times):
    answer = (piece + " ") * times
    start = time.perf_counter()
    _check(task, answer[:100_000])
    assert time.perf_counter() - start < 20  # no catastrophic backtracking on long text


@pytest.mark.parametrize("task,answer,label", [
    ("mid-zh", '{"label": "rumor"}', "rumor"),            # issue 25: KeyError: 'rumor'
    ("mid-zh", '{"label": "non-rumor"}', "non-rumor"),
    ("mid-zh", '```json\n{"answer": "不是谣言"}\n```', "non-rumor"),
    ("mid-zh", '{"is_rumor": true}', "rumor"),
    ("mid-zh", '{"label": true}', None),                  # "true" for "is it a rumour?" has no safe reading
    ("mid-zh", '{"label": "half-true"}', None),            # another task's vocabulary
    ("ubp", '{"label": "rumor"}', None),
    ("uea", '{"emotion": ["sad"]}', "sad"),
    ("uea", '{"emotion": ["sad", "angry"]}', None),
    ("ubp", '[{"answer": "no"}]', "no"),
    ("ubp", '{"answer": 1}', None),
    ("ubp", '{"answer": null, "label": "yes"}', "yes"),
    ("ubp", '{"name": "submit", "arguments": "{\\"answer\\": \\"yes\\"}"}', "yes"),   # a tool call
    ("mid", '{"result": {"label": "mostly-true"}}', "true"),  # a verdict key holding an object
    ("mid", "[" * 5000 + "]" * 5000, None),                 # json.loads raised RecursionError
    ("ubp", "{" * 3000, None),
])
def test_json_answers_that_used_to_crash(task, answer, label):
    assert _check(task, answer).label == label


def test_one_bad_answer_never_aborts_an_eval(monkeypatch):
    """A parser bug on one answer is counted as 'parser-error' (not completed), never raised."""
    import somekit.eval.classify as classify

    real = classify.extract_label

    def flaky(task, text):
        if text == "boom":
            raise RuntimeError("parser bug")
        return real(task, text)

    monkeypatch.setattr(classify, "extract_label", flaky)
    cases = [Case("a", "yes", answer="yes"), Case("b", "no", answer="boom"), Case("c", "no", answer={"label": "no"})]
    out = score_classification("ubp", cases)
    assert out["rules"]["parser-error"] == 1 and out["correct"] == 2 and out["completed"] == 2
    assert out["reading"]["parser_errors"] == {"RuntimeError": 1}
