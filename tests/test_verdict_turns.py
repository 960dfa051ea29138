"""Where the verdict stands in the argument and how the argument turns before it: an opening bare
label that the rest argues for, a closing "...: label", views held at first and left ("起初"),
retractions that take back what came before ("Hmm, no... wait, actually yes"), verdicts about to be
given and not ("I was going to say false"), earlier answers corrected ("我之前说..."), weighing the
parts and landing ("putting those together", "that makes it"), 只是 limiting a concession, someone
else's reported view, a label called wrong ("calling it a rumour is unfair"), and a weak verdict
that is still the verdict ("not a definite no")."""

from __future__ import annotations

import pytest

from somekit.answers.extract import extract_label


def _read(task: str, answer: str) -> str | None:
    return extract_label(task, answer).label


@pytest.mark.parametrize("task, answer, label", [
    # a retraction takes back the verdicts before it; one that decides nothing takes back nothing
    ("ubp", "Yes... no, hold on. Wait, actually no: she only likes her own team's posts.", "no"),
    ("mcr", "Hmm, yes. Actually, no — the account is one she blocked. Don't recommend.", "no"),
    ("ucs", "No. Actually, the sign-off '~Mei' is hers after all, so yes.", "yes"),
    ("ubp", "Yes. Actually, I should add that her last like was a week ago.", "yes"),
    # a verdict about to be given, then not; an earlier answer corrected
    ("mid", "I was about to say true, but the date is wrong by a decade, so the claim is false.", "false"),
    ("ucs", "I almost said no because of the emoji. Looking at the slang again, it is hers: yes.", "yes"),
    ("ucs", "我刚才说是她写的，更正一下：不是她写的，她从不用繁体。", "no"),
    ("mid-zh", "我本来想说是谣言，但查到了卫健委的原始通报，所以不是谣言。", "non-rumor"),
    ("ucs", "My gut answer was yes; on reflection the timestamps rule her out. No.", "no"),
    # weighing the parts and landing
    ("mid", "The first number is right. The second is invented. Taken together, half true.", "half"),
    ("mid", "The quote is genuine; the context is dropped. On balance it is half-true.", "half"),
    ("mid", "The chart is real but the axis is cut; that makes it half true, not true.", "half"),
    ("mid-zh", "有官方通报，但细节被夸大，权衡之下不算谣言。", "non-rumor"),
    # 只是 after a double negation limits it
    ("ubp", "他不是不会转发，只是这次应该不会。", "no"),
    # a label called wrong is rejected: a rumour verdict flips, a grade or an emotion is set aside
    ("mid-zh", "把这条定为谣言是不对的，原视频就在央视官网。", "non-rumor"),
    ("mid-zh", "Labelling this a rumour would be a mistake — the police confirmed it.", "non-rumor"),
    ("mid", "Calling it true is misleading; the survey had 40 people. Half true.", "half"),
    ("mid", "It would be unfair to rate it false.", None),    # not false: but which grade is not said
    ("uea", "Calling it fear would be wrong; the commenter is plainly thrilled.", "positive"),
    ("mid-zh", "将其判为谣言太重了，标题夸张但事件属实。", "non-rumor"),
    # someone else's view, reported, is never the verdict
    ("mid-zh", "网友说这是谣言，这种说法站不住。", None),
    ("mid-zh", "有人认为是谣言，但原始报道就在官网，不是谣言。", "non-rumor"),
    ("mid", "Critics call it false, but every figure matches the audit. True.", "true"),
    # a plain marker is no final answer: a contrast or a retraction that lands on another bare label revises it
    ("ucs", "I'd lean no, but the emoji habit is exactly hers. Yes.", "yes"),
    ("mcr", "我倾向于推荐，不过她上周刚屏蔽了这个博主。不推荐。", "no"),
    ("ucs", "My answer is yes. However, some would say no.", "yes"),       # someone else's view revises nothing
    ("mcr", "Recommendation: no. But the account does post some cooking, which she likes.", "no"),
    # a verdict announced, or only considered
    ("ucs", "I'm going to say no; the slang is a decade too young for her.", "no"),
    ("ucs", "I'm inclined to say yes, given the identical sign-off.", "yes"),
    ("ucs", "I'm tempted to say yes, but she never writes in English. No.", "no"),
    # a counterfactual after a contrast word holds its own verdict
    ("ubp", "Yes. But if she were travelling this week, no.", "yes"),
    ("mid", "Half true. However, had the post said 2019, it would be true.", "half"),
    # a verdict only considered ("it's tempting to say", "one might think", "很容易认为") is no verdict
    ("ubp", "It's tempting to say yes because the post went viral, but she never engages with viral posts. No.", "no"),
    ("mid", "One might say false, since the headline exaggerates; the body is accurate, though. Half true.", "half"),
    ("mid-zh", "很容易认为这是谣言，但卫健委的通报原文就在官网，不是谣言。", "non-rumor"),
    # a heading that states a verdict ("It's a rumour: ...") is the verdict; one that names a topic is not
    ("mid-zh", "It's a rumour: the quoted ministry has no such department.", "rumor"),
    ("mid-zh", "Rumour check: the photo's metadata says 2017.", None),
    ("mcr", "值得推荐：她收藏了这位作者的每一篇游记。", "yes"),
    ("mcr", "不推荐：标题党，而且她举报过同类内容。", "no"),
    ("uea", "Proud and grateful: \"thank you, the nurses saved him\".", "positive"),
    ("uea", "Sad and angry: the comment mourns and blames at once.", None),   # two labels: no verdict
    ("ubp", "Add: she never likes ads.", None),                              # a one-word section name is no act
    ("mcr", "Slot it into her feed; it's her hometown's festival.", "yes"),
        # a concession granted with a word ("sure", "确实") before a contrast is no verdict of its own
    ("ubp", "Like it? Unlikely. She knows the brand, granted, but she never likes ads.", "no"),
    ("ubp", "会点赞吗？不会。她确实关注了这个博主，确实，但从不给广告点赞。", "no"),
    ("ubp", "Yes, but not for the reason you'd think: she likes everything her sister posts.", "yes"),   # a verdict word is no concession
    # a weak verdict stays the verdict
    ("ubp", "Not a resounding yes, but yes: she reposts most of his threads.", "yes"),
    ("mcr", "Not a firm no, still a no.", "no"),
    ("ucs", "不是很肯定的是，但我倾向于是她写的。", "yes"),
])
def test_argument_turns(task, answer, label):
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
