"""Regression tests for the rules learnt after held-out batch E (issue 25, round 3): structured
answers whose key asks the task's question, asides and glosses after a verdict, "X, not Y",
markers inside a negation, hedged labels, thumbs bound to the question, Traditional Chinese.
Every sentence here was written for this file; the cases that must stay undecided (or keep their
reading) sit beside the ones that now decide."""

from __future__ import annotations

import pytest

from somekit.answers.extract import extract_label
from somekit.answers.hanzi import simplified


def _read(task: str, answer: str) -> str | None:
    return extract_label(task, answer).label


@pytest.mark.parametrize("task, answer, label", [
    # a key that asks the task's question, at any depth, holding a label word
    ("mid-zh", '{"analysis": {"rumor": "yes", "confidence": 0.9}}', "rumor"),
    ("mid-zh", '{"verdict": {"谣言": "否"}}', "non-rumor"),
    ("mcr", '{"should_recommend": "no", "why": "off-topic for her"}', "no"),
    ("mcr", '{"推荐": "是", "理由": "与用户兴趣一致"}', "yes"),
    ("uea", '{"sentiment": {"main": "sad", "other": "fear"}}', "sad"),
    # YAML and markdown forms: every line a field
    ("mcr", "```yaml\nrecommendation: yes\nscore: 0.7\n```", "yes"),
    ("mcr", "## 结论\n\n**推荐**：否\n\n**理由**：内容重复。", "no"),
    ("ucs", "Answer: 否 (wording and emoji habits differ from theirs)", "no"),
])
def test_structured_fields(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # an aside after the verdict never revises it, even past "so" or "but"
    ("ubp", "No. A caveat: she liked two similar posts, so a like is possible, but her feed is mostly muted.", "no"),
    # a number closing a sentence; passing over the post; hedged labels
    ("mcr", "Among the 20 posts in his queue, this ranks around 15. Skip.", "no"),
    ("mcr", "I'd filter it out of her feed.", "no"),
    ("ucs", "Probably no (about 60%).", "no"),
    ("mid", "Most likely half-true.", "half"),
    # "X, not Y": X is the verdict and Y is only set aside
    ("mid", "On balance the record supports mostly true, not half true.", "true"),
    ("mid", "I read the numbers again: half true, not false.", "half"),
    # a marker inside a negation's scope is no verdict; the answer's own label then decides
    ("ucs", "Nothing I would call unlikely about it; the signature phrase is hers. 是。", "yes"),
    # thumbs bound to the question; 可以 + a task verb
    ("mcr", "Show it to the user? 👎\n\nShe has muted this account twice.", "no"),
    ("mcr", "可以推荐，尽管发帖时间较晚，但话题正合他的口味。", "yes"),
    # Traditional Chinese
    ("mid-zh", "這則消息是謠言，官方已經闢謠。", "rumor"),
    ("mcr", "不推薦，用戶對這類內容沒有興趣。", "no"),
])
def test_round3_verdicts(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer", [
    # "X, not Y" where X names no label
    ("mid", "The figure comes from the ministry, not from the opposition's leaflet."),
])
def test_contradicting_gloss_or_no_label_stays_undecided(task, answer):
    assert _read(task, answer) is None


def test_a_gloss_that_contradicts_the_label_does_not_confirm_it():
    assert _read("ubp", "Yes (although honestly she probably won't interact with it at all this week).") != "yes"


def test_simplified_leaves_simplified_text_unchanged():
    text = "这条微博是谣言，不推荐。"
    assert simplified(text) == text
    assert simplified("這條微博是謠言，不推薦。") == text
