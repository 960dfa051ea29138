"""Regression tests for the precision rules learnt after held-out batch D (issue 25, round 2): where
an answer names the task's question without answering it, the rules must stay undecided; where a
tick, a cross or a closing "...: label" gives the verdict, they read it. Every sentence here was
written for this file; each kind is tested in both languages where it exists in both, with the
cases that must stay undecided beside the ones that decide."""

from __future__ import annotations

import pytest

from somekit.answers.extract import extract_label


def _read(task: str, answer: str) -> str | None:
    return extract_label(task, answer).label


@pytest.mark.parametrize("task, answer", [
    # the call handed to someone else
    ("mcr", "Whether this goes into the feed is a choice for the curation team, not up to me."),
    ("ubp", "That's the ranking model's decision to make, not mine to guess; I'll leave it to the model."),
    # more input asked for first, in either order, with the task's own words in the request
    ("ucs", "I would need a few more of her comments to determine authorship with any confidence."),
    ("mcr", "To decide on a recommendation I'd need his interest history, which wasn't given."),
    ("ucs", "Please share the account's earlier replies; the writing style can't be compared otherwise."),
    ("mcr", "需要看到用户的关注列表才能判断要不要推荐。"),
    # both outcomes called acceptable
    ("mcr", "转发与否都说得过去，两边理由差不多。"),
    ("ubp", "Either answer is defensible here; the user's history points both ways."),
    # no side taken
    ("mid", "Parts of the statement check out, others don't, and I can't tell which way the whole leans."),
    ("mid", "Some of the figures are right while others are off; without the report I can't say which way it goes."),
])
def test_declines_and_requests_stay_undecided(task, answer):
    assert _read(task, answer) is None


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
    # a mark bound to the task's act or question
    ("mcr", "Show in feed: ✗", "no"),          # showing it in the feed is the act MCR asks about (a feed verb)
    ("mcr", "Topic match: ✗", None),           # a criterion, not the act: left to other rules, no guess
    ("mcr", "Recommend ✘", "no"),
    ("mcr", "recommend — ✔", "yes"),
    ("ubp", "点赞：✗", "no"),
    ("ubp", "转发 ✓", "yes"),
    ("ubp", "✘ 不评论", "no"),                # a cross before a negated act underlines it
    ("mcr", "don't recommend ✔", "no"),
    ("ucs", "is_author: ✓", "yes"),
    # a mark bound to a label, one per line
    ("mid", "- true ✗\n- half ✗\n- false ✓", "false"),
    ("uea", "悲伤 ✓\n愤怒 ✗", "sad"),
    # a checkbox list with one option ticked, in either language
    ("mcr", "Decision: [ ] recommend  [x] don't recommend", "no"),
    ("ubp", "☑ 评论  ☐ 不评论", "yes"),
    ("mid-zh", "[x] 非谣言 [ ] 谣言", "non-rumor"),
    # marks that disagree, and a list with every box ticked, give nothing
    ("mcr", "Recommend: ✓\nRecommend: ✗", None),
    ("mid", "[x] true [x] false", None),
])
def test_ticks_and_crosses(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # a closing label after a colon concludes, over an earlier marker's reading
    ("mcr", "I'd say the odds she taps on it are maybe one in six. Worth a slot in her feed: no.", "no"),
    ("ubp", "我估计他大概率会看到这条。值得他点赞吗？综合来看：否", "no"),
    ("mid", "My first guess was that the number is inflated. After checking the census table: true", "true"),
    # ...but not inside a counterfactual
    ("mcr", "I'd recommend it. If she had muted the tag: no.", "yes"),
])
def test_closing_label_after_colon_concludes(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # a view held at first and then left is not the verdict
    ("mid", "Initially this looked mostly true to me. Then I found the original table: the count is off by half. False.", "false"),
    ("mid", "At first I'd have called it half true, but the quote was invented outright, so it is false.", "false"),
    ("mid-zh", "起初我以为是谣言，但官方通报原文确实这么写，所以是真实信息。", "non-rumor"),
    # with nothing after it, the first view stands alone and is no verdict
    ("mid", "At first glance it seemed half true; I ran out of sources before checking further.", None),
    # "can't make it half true": a verdict word under "make" is negated like "call"
    ("mid", "One right date can't make this claim half true; the rest is invented. False.", "false"),
])
def test_superseded_first_views(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    ("mcr", "I'd rather not recommend it; the author posts rage bait.", "no"),       # "I'd rather" prefers, it does not contrast
    ("mcr", "I'd lean no - she scrolls past that genre.", "no"),
    ("ucs", "I'm answering yes. A small note, which doesn't change the answer: the emoji could be copied.", "yes"),
    ("mcr", '{"decision": "do_not_recommend"}', "no"),                            # an enum-style JSON value
    ("mid-zh", '{"verdict": "non_rumor"}', "non-rumor"),
])
def test_preferences_asides_and_enum_values(task, answer, label):
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


@pytest.mark.parametrize("task, answer, label", [
    # an answer made only of label-score pairs: the clearly likeliest label
    ("ucs", "no 0.9 | yes 0.1", "no"),
    ("uea", "angry 0.65, sad 0.25, neutral 0.10", "angry"),
    ("mid-zh", "谣言 80%，非谣言 20%", "rumor"),
    # too close, or more than scores said: no reading
    ("ucs", "yes 0.55 / no 0.45", None),
    ("mcr", "yes 0.8 since she follows the author / no 0.2", None),
])
def test_label_scores(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer", [
    ("mcr", "The post is about a bakery that opened near the station last week."),
    ("ucs", "这条评论说的是昨晚的球赛，语气挺轻松的。"),
])
def test_a_description_of_the_post_is_left_to_no_fallback(task, answer):
    """No verdict to find: the rules give none and mark it so no fallback guesses from its topic."""
    ex = extract_label(task, answer)
    assert ex.label is None and ex.hedged
