"""Regression tests for the general verdict kinds the rules learnt after held-out batch C (issue
25). Every sentence here was written for this file; each kind is tested in both languages where it
exists in both, with the cases that must stay undecided beside the ones that decide."""

from __future__ import annotations

import pytest

from somekit.answers.extract import extract_label


def _read(task: str, answer: str) -> str | None:
    return extract_label(task, answer).label


@pytest.mark.parametrize("task, answer, label", [
    # an option list picked by "Selected:", "答：", "我选", tags without punctuation before Chinese
    ("uea", "Options: (a) happy (b) angry (c) sad\nSelected: (c)", "sad"),
    ("mcr", "可选：A 推荐  B 不推荐\n我选 B", "no"),
    ("mid-zh", "A. 谣言  B. 非谣言\n答：B", "non-rumor"),
    ("mid", "Choices: (1) true (2) half (3) false\nSelection: 1", "true"),
    # LaTeX text commands inside a box are typesetting
    ("ubp", r"\boxed{\text{No}}", "no"),
    ("uea", r"最终：\boxed{\textbf{悲伤}}", "sad"),
])
def test_option_picks_and_boxed_text(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    ("ubp", "Would they bother to like it? I don't think so — off-topic for them.", "no"),   # "so" is think's object
    ("ubp", "I believe so - it is their favourite team.", "yes"),
    ("mid-zh", "真的吧，卫健委官网能查到原文。", "non-rumor"),       # particles and chat tails
    ("mcr", "absolutely lol, they follow three skate shops", "yes"),
    ("mcr", "for sure haha, they follow three skate shops", "yes"),
])
def test_verb_objects_and_chat_particles(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # obligation modals and chat verbs
    ("ubp", "这条必须转，他是主办方的老粉。", "yes"),
    ("mcr", "理应推给他，他上周刚搜过同款。", "yes"),
    ("mcr", "不该推，他屏蔽过这个话题。", "no"),
    # an imperative verdict, optionally negated
    ("mcr", "别推了，他对宠物毫无兴趣。", "no"),
    ("mcr", "Surface it - gardening is all they post about.", "yes"),
    ("mcr", "Don't push this one to them; wrong language.", "no"),
    # a verb-like word inside another word is no verdict
    ("ubp", "我觉得他转发的概率很小。", "no"),
    ("ubp", "该用户点赞的可能性较低。", "no"),
    ("mcr", "Like most of their saves, the post is about tea. They won't care for it though.", "no"),
])
def test_obligation_and_imperative_verdicts(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    ("ucs", "应该不是她，她从不用繁体字。", "no"),         # authorship named at the clause's end
    ("ucs", "是 user B 本人发的，语气一模一样。", "yes"),
    ("mcr", "他对钓鱼没什么兴趣。", "no"),                 # interest, and its idioms
    ("mcr", "This is right up their alley: they review board games weekly.", "yes"),
    ("mcr", "压根不是他的菜，他只看科技。", "no"),
])
def test_authorship_and_interest_at_clause_end(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    ("mcr", "找不到理由不推荐，题材和他的收藏高度一致。", "yes"),   # two negations that assert
    ("ubp", "不转就浪费了，这是他追了三年的乐队。", "yes"),
    ("mcr", "There's no reason not to recommend it to them.", "yes"),
    ("ubp", "There's no reason to expect a like here.", "no"),   # one negation: no double-negative reading
])
def test_negations_that_assert(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # a verdict first, then support that names other labels in passing
    ("mid", "Half-true. The quoted salary is right for 2019, but the claim presents it as current.", "half"),
    ("mid-zh", "假的吧。视频里的路牌是另一个城市的，真实的事件发生在去年。", "rumor"),
    ("uea", "Sad. Not angry at all - the post reads like a farewell.", "sad"),
    # ... unless a conclusion or a contrast says otherwise, or the answer takes it back
    ("ubp", "Yes. Then again their last ten likes were all cats, so no.", None),
    ("ubp", "No. Wait, actually yes: they follow the author.", "yes"),
    ("ubp", "否。不对，再想想，他会点赞的。", "yes"),
    ("mid", "True, but misleading.", None),
    # a verdict last, after the argument
    ("mid", "The rate is right, the trend is wrong. Somewhere in the middle: half-true.", "half"),
])
def test_opening_and_closing_verdicts(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    ("mid", "I weighed whether to downgrade it to half-true and decided against it. Rating: true.", "true"),
    ("mid", "考虑过是否改为半真，最终结论：真。", "true"),
    ("mid", "I'd rate it mostly false.", "half"),
    ("ucs", "The answer to whether this user wrote it is no.", "no"),
    ("ucs", '{"是否为该用户发表": false}', "no"),
    ("mid", "说的是事实，数据和统计局公布的一致。", "true"),
    ("mid", "与事实不符，官方从未发布过这个数字。", "false"),
])
def test_markers_keys_and_fact_words(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, rule, hedged", [
    ("mid-zh", "可能是谣言，也可能确有其事，等官方通报吧。", "ambiguous", True),   # two outcomes side by side
    ("mid", "Somewhere between true and false, I can't pick.", "ambiguous", True),
    ("ubp", "这个得看他当天的心情。", "unanswerable", False),                      # declining in other words
    ("ubp", "It depends on whether they are online tonight.", "unanswerable", False),
    ("uea", "As a language model I won't guess how someone feels.", "unanswerable", False),
    ("mid", "I'm unable to access the source, so I'll leave this open.", "unanswerable", False),
    ("mid-zh", "调用搜索接口失败，无法完成核查。", "unanswerable", False),
])
def test_hedges_and_declines_stay_undecided(task, answer, rule, hedged):
    read = extract_label(task, answer)
    assert (read.label, read.rule, read.hedged) == (None, rule, hedged)
