"""Answers shaped as forms: fields run together on one line, a stated likelihood as a field,
"option A (X) vs option B (Y) ... I choose B", ticks and crosses bound to a verdict key, and a
feed act or a passing-over as a one-line call ("👍 push it to her feed", "skip for this user")."""

from __future__ import annotations

import pytest

from somekit.answers.extract import extract_label


def _read(task: str, answer: str) -> str | None:
    return extract_label(task, answer).label


@pytest.mark.parametrize("task, answer, label", [
    # several fields on one line: a separator counts only where another key follows it
    ("ucs", "verdict=否; score=0.31", "no"),
    ("mcr", "label: yes | confidence: medium", "yes"),
    ("uea", "emotion=fear, intensity=0.7", "fear"),
    ("mid", "rating: half-true; source: county budget report", "half"),
    ("ubp", "Answer: no, reason: she mutes sports, news and memes", "no"),
    # a stated likelihood of the asked act, as a field
    ("ubp", "Chance of a repost: low", "no"),
    ("ubp", "probability_of_comment: high", "yes"),
    ("ubp", "转发概率：高", "yes"),
    ("ubp", '{"chance_of_like": "50/50"}', None),          # no side taken: no label
    # options with their text in brackets, then the pick
    ("mcr", "Option A (recommend) or option B (not recommend)? Her saves are all recipes. I'd pick A.", "yes"),
    ("ubp", "选项A（会互动）和选项B（不会互动）之间，我选B，她从不看体育。", "no"),
    ("mcr", "Option A (recommend) vs option B (not recommend): both have merit.", None),   # no pick: no guess
    # a verdict key answered by a mark
    ("mcr", "Decision: 👍", "yes"),
    ("ucs", "Final answer: ✗", "no"),
    ("ubp", "结论：✅", "yes"),
    ("uea", "Answer: ✅", None),                             # a tick names no emotion
    ("mcr", "Recommend: ✘ (she unfollowed the account)", "no"),
    # the feed act, or passing the post over, as the whole call
    ("mcr", "👍 show it in his feed", "yes"),
    ("mcr", "surface this one to her", "yes"),
    ("mcr", "👎 pass on it for him", "no"),
    ("mcr", "skip this one", "no"),
    ("ubp", "✅ interact", "yes"),
    ("mcr", "跳过吧", "no"),
    ("mcr", "要推，完全是她的菜。", "yes"),
    ("mcr", "Topic match ✓", None),                         # a criterion ticked is no verdict
])
def test_form_answers(task, answer, label):
    assert _read(task, answer) == label
