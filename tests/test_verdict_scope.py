"""Where a verdict can stand, in both languages: a counterfactual or conditional holds its own
verdict ("if it were an ad, I'd say no"), an aside after the verdict never revises it, a
concession yields to the conclusion, quoted text is someone else's words, graded scales with
"rather than" / "not X but Y" / "still", "X, not Y" sets Y aside, a gloss that contradicts its label
does not confirm it. Every sentence was written for these tests, not copied from a held-out batch."""

from __future__ import annotations

import pytest

from somekit.answers.extract import extract_label


def _read(task: str, answer: str) -> str | None:
    return extract_label(task, answer).label


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


@pytest.mark.parametrize("task, answer, label", [
    ("mcr", "I'd rather not recommend it; the author posts rage bait.", "no"),       # "I'd rather" prefers, it does not contrast
    ("mcr", "I'd lean no - she scrolls past that genre.", "no"),
    ("ucs", "I'm answering yes. A small note, which doesn't change the answer: the emoji could be copied.", "yes"),
    ("mcr", '{"decision": "do_not_recommend"}', "no"),                            # an enum-style JSON value
    ("mid-zh", '{"verdict": "non_rumor"}', "non-rumor"),
])
def test_preferences_asides_and_enum_values(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer", [
    # "X, not Y" where X names no label
    ("mid", "The figure comes from the ministry, not from the opposition's leaflet."),
])
def test_contradicting_gloss_or_no_label_stays_undecided(task, answer):
    assert _read(task, answer) is None


def test_a_gloss_that_contradicts_the_label_does_not_confirm_it():
    assert _read("ubp", "Yes (although honestly she probably won't interact with it at all this week).") != "yes"
