"""Verdict structure, in general form and both languages (issue 25): counterfactual scope, asides
after the verdict, graded scales with "rather than" / "not X but Y" / "still", concession before
conclusion, "X or not X" left undecided, reported speech, mixed zh/en. The phrasings here are
written for these rules, not copied from the held-out batches that measure them."""

from __future__ import annotations

import pytest

from somekit.answers.extract import extract_label


@pytest.mark.parametrize("task,answer,label", [
    # a counterfactual's verdict is for another world; the answerer's forced choice is not one
    ("mcr", "If the post were about cooking I'd say yes, but it's about cars, which they ignore. No.", "no"),
    ("ubp", "要是这条是他关注的博主发的，我会说会点赞；可惜不是，所以不会。", "no"),
    ("uea", "Had the news been good, I'd pick positive. It is a disaster report; the user will be sad.", "sad"),
    ("ucs", "If the question were about style alone: yes. Authorship, though? The account never writes in English. No.", "no"),
    ("ubp", "If I had to pick, I'd say yes.", "yes"),
    # text after the verdict that does not revise it
    ("mcr", "Answer: no. Note: I would say the user likes travel posts.", "no"),
    ("ubp", "不会。\n备注：该用户会在晚上给别的帖子点赞。", "no"),
    # graded scales: exclusion is not negation, a negated grade is not its opposite
    ("mid", "Mostly-true rather than true.", "true"),
    ("mid", "I'd call it half-true rather than false.", "half"),
    ("mid", "Not pants-on-fire, but still false.", "false"),
    ("mid", "It isn't mostly true; it's half-true.", "half"),
    ("mid", "Neither true nor false: somewhere between.", "half"),
    ("mid", "既不是真的，也不是假的。", "half"),
    ("mid", "勉强属实。", "half"),
    # concession, then conclusion
    ("mid-zh", "不可否认有些细节是真的，但整体是编造的，因此属于谣言。", "rumor"),
    ("mid-zh", "虽然传播很广，但不应该被认定为谣言。", "non-rumor"),
    ("mid-zh", "Admittedly it spread fast, but it should not be considered a rumour.", "non-rumor"),
    ("ucs", "Admittedly the tone is similar, but the account never writes in English, so it is not theirs.", "no"),
    # reported speech never decides
    ("ucs", "评论写的是“对，我会去”，但该用户从不用这种语气，所以不是他写的。", "no"),
    ("ubp", 'The post says "Yes, we will!" but the user never engages with ads. No.', "no"),
    ("ubp", '答案："否"', "no"),
    # a list shares its negation
    ("uea", "Nothing here would provoke anger, fear or sadness; the user will stay calm and neutral.", "emotionless"),
    # mixed languages, emoji, arrows, asides in brackets
    ("ubp", "Prediction: 会 repost。", "yes"),
    ("ubp", "我觉得 he 不会 like 这条。", "no"),
    ("mcr", "No 👎 totally off-topic for them", "no"),
    ("ucs", "风格、用词都对得上 → 是他写的", "yes"),
    ("ucs", "否（把握不大）", "no"),
    ("mcr", "recommended=false", "no"),
    # the rumour vocabulary, negations included
    ("mid-zh", "这是假新闻。", "rumor"), ("mid-zh", "内容真实可靠。", "non-rumor"), ("mid-zh", "我不认为这是谣言。", "non-rumor"),
    ("mid-zh", "Pure misinformation.", "rumor"), ("mid-zh", "Credible: two outlets confirm it.", "non-rumor"),
])
def test_verdict_structure(task, answer, label):
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
