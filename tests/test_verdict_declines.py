"""Answers that give no verdict get no label and no fallback guess: declines and requests for more,
answers that end by declining whatever they weighed first ("... I can't give a yes or a no"),
"X or not X" in any wording, refusing both sides ("neither recommend nor advise against",
"既不推荐也不反对"), hedges, and answers that only describe the post. An echoed either-or question
is no hedge, and a decline inside a reason or an aside is not the answer's last word."""

from __future__ import annotations

import pytest

from somekit.answers.extract import extract_label


def _read(task: str, answer: str) -> str | None:
    return extract_label(task, answer).label


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
    ("ubp", "No prediction: the history endpoint returned nothing for this user."),
    ("mid-zh", "来源不明，暂不判断。"),
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


@pytest.mark.parametrize("task,answer", [
    ("ubp", "Like or not like, I can't call it."),
    ("mcr", "感兴趣或不感兴趣都有可能。"),
    ("ubp", "这个 user 可能会 like，也可能不会，really can't tell."),
    ("mid", "It could be true or false depending on the source."),
    ("mid-zh", "可能是谣言，也可能不是。"),
    ("uea", "Either anger or fear; I can't decide between them."),
])
def test_x_or_not_x_is_undecided_and_never_guessed(task, answer):
    ex = extract_label(task, answer)
    assert ex.label is None and ex.hedged


def test_an_echoed_either_or_question_is_not_a_hedge():
    assert extract_label("ubp", "该用户会还是不会点赞？我认为不会。").label == "no"


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


@pytest.mark.parametrize("task, answer", [
    ("mcr", "The post is about a bakery that opened near the station last week."),
    ("ucs", "这条评论说的是昨晚的球赛，语气挺轻松的。"),
])
def test_a_description_of_the_post_is_left_to_no_fallback(task, answer):
    """No verdict to find: the rules give none and mark it so no fallback guesses from its topic."""
    ex = extract_label(task, answer)
    assert ex.label is None and ex.hedged
