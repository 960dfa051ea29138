"""The words a clause's verdict rests on: feed verbs and their objects, chat particles, obligation
and imperatives ("应推荐", "必转", "don't recommend it"), authorship and interest named at the clause's
end, negations that assert ("不X才怪"), task words that need an asserted verdict, passing over as a
no, and Traditional Chinese read through its simplified forms."""

from __future__ import annotations

import pytest

from somekit.answers.extract import extract_label
from somekit.answers.hanzi import simplified


def _read(task: str, answer: str) -> str | None:
    return extract_label(task, answer).label


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
    # a task word inside a request is no verdict, but the same word in an answer still is
    ("mcr", "I'd recommend it; the account posts the bonsai content she saves every week.", "yes"),
    ("ucs", "This reply was written by the user; the sign-off matches her other posts.", "yes"),
    ("ucs", "Written by someone else - the user never writes in English.", "no"),
    # "made by" a system or a team is no authorship claim, and names no verdict
    ("ucs", "The moderation flag was made by the platform's filter, so I can't compare the writing.", None),
])
def test_task_words_need_an_asserted_verdict(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # passing over the post is the call
    ("mcr", "I'd skip this one; the account only reposts giveaways.", "no"),
    ("ubp", "He'll scroll past it like every other crypto thread.", "no"),
    ("mcr", "We should leave it out of the feed: she reported that author.", "no"),
    ("mcr", "I wouldn't skip it, though: she saves every sourdough post.", None),   # negated: left to other readers
])
def test_passing_over_is_a_no(task, answer, label):
    assert _read(task, answer) == label


def test_simplified_leaves_simplified_text_unchanged():
    text = "这条微博是谣言，不推荐。"
    assert simplified(text) == text
    assert simplified("這條微博是謠言，不推薦。") == text
