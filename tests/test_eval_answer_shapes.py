"""Answer shapes held-out batch B brought (issue 25): multiple choice, markup wrappers, revised
verdicts, colloquial verdicts. Phrasings written for this test, not copied from the batch."""

from __future__ import annotations

import pytest

from somekit.answers.choices import option_list, read_choice
from somekit.answers.extract import extract_label


@pytest.mark.parametrize("task,answer,label", [
    # (a) the pick stands for its option's text
    ("ubp", "可选：A. 会 B. 不会\n我的答案：B", "no"),
    ("uea", "Choices: (a) positive (b) angry (c) sad (d) fear (e) surprise (f) emotionless\nI pick (d)", "fear"),
    ("mid", "Options: 1) true 2) half-true 3) false -> 3", "false"),
    ("mid-zh", "选项：A. 非谣言 B. 谣言\n选 B", "rumor"),
    ("mcr", "Option B (不推荐) - the user never opens sports posts.", "no"),
    # (b) the content of an explicit answer container; other markup is commentary
    ("ucs", "<reason>the emoji habit matches</reason>\n<answer>yes</answer>", "yes"),
    ("mid", "The numbers check out. \\boxed{mostly-true}", "true"),
    ("mcr", "【判断】不推荐——用户只看财经。", "no"),
    ("uea", "<final>愤怒</final><confidence>0.7</confidence>", "angry"),
    ("ubp", "<answer>yes</answer> ... on reflection <answer>no</answer>", "no"),
    # (c) the last explicit final answer or revision counts
    ("ucs", "At first I'd say no, the tone is off. After checking the hashtags: final answer is yes.", "yes"),
    ("mid", "I'd rate it true at first glance; after reading the source I'm downgrading it to half-true.", "half"),
    ("mid-zh", "起初判断为非谣言，查证后改为谣言。", "rumor"),
    # (d) colloquial verdicts, zh and en
    ("ubp", "没门，他从来不碰这种话题。", "no"),
    ("mcr", "nah he wouldnt care about golf", "no"),
    ("mid", "一派胡言，这份报告根本不存在。", "false"),
    ("uea", "无动于衷。", "emotionless"),
    ("uea", "She'll be livid about the fare hike.", "angry"),
    ("ubp", "不转发才怪，这是他偶像的新歌。", "yes"),
])
def test_batch_b_kinds(task, answer, label):
    assert extract_label(task, answer).label == label


@pytest.mark.parametrize("task,answer", [
    ("ubp", "选项：A. 会 B. 不会\n答案：C"),                          # a pick of no listed option
    ("uea", "Options: (a) positive (b) angry (c) sad\nHard to pick one."),  # options listed, none picked
    ("ucs", "Might be his, might be an impersonator. Unclear."),         # two possibilities side by side
    ("mcr", "<answer></answer>"),
])
def test_undecided_rather_than_a_guess(task, answer):
    assert extract_label(task, answer).label is None


def test_a_numbered_list_of_reasons_is_not_an_option_list():
    reasons = "1）用词：一致；2）立场：一致。结论：出自该用户。"
    assert not read_choice(reasons).listed
    assert extract_label("ucs", reasons).label == "yes"
    listed = option_list("选项：A. 推荐 B. 不推荐")
    assert listed is not None and listed.texts == {"a": "推荐", "b": "不推荐"}
