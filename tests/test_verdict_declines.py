"""Answers that end by declining or refuse both sides give no label, whatever they weighed first:
"... I can't give a yes or a no", "neither recommend nor advise against", "既不推荐也不反对"."""

from __future__ import annotations

import pytest

from somekit.answers.extract import extract_label


@pytest.mark.parametrize("task, answer", [
    ("ucs", "The phrasing matches the user's. The timing does not. I won't commit to a verdict here."),
    ("ubp", "She liked the author's last post, and she skipped the one before. I can't offer a yes or no."),
    ("mid", "Two sources say yes, one says no; I can't give a firm rating."),
    ("mid-zh", "官方没回应，网上说法不一，我给不出结论。"),
    ("uea", "The wording is sad, the emoji is laughing; I can't settle on a label."),
    ("mcr", "I'd neither recommend it nor advise against it."),
    ("mcr", "I would neither push it nor bury it."),
    ("mcr", "既不推荐也不反对，看她心情。"),
    ("ubp", "Neither yes nor no — her activity stopped last month."),
])
def test_closing_declines_give_no_label(task, answer):
    ex = extract_label(task, answer)
    assert ex.label is None and ex.rule in ("unanswerable", "ambiguous")


@pytest.mark.parametrize("task, answer, label", [
    # a decline inside a reason or a counterfactual is not the answer's last word
    ("ubp", "No: I can't see any route to her feed, because she follows none of these accounts.", "no"),
    ("mcr", "Recommend. Note: I cannot determine her age, which doesn't matter here.", "yes"),
])
def test_declines_that_are_not_the_last_word(task, answer, label):
    assert extract_label(task, answer).label == label
