"""How an argument turns before its verdict: a retraction takes back what came before ("Hmm, no...
wait, actually yes"), a verdict about to be given and not ("I was going to say false"), an earlier
answer corrected ("我之前说..."), weighing the parts and landing ("putting those together", "that
makes it"), 只是 limiting a concession, a label called wrong ("calling it a rumour is unfair"), and
a weak verdict that is still the verdict ("not a definite no")."""

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
    # a weak verdict stays the verdict
    ("ubp", "Not a resounding yes, but yes: she reposts most of his threads.", "yes"),
    ("mcr", "Not a firm no, still a no.", "no"),
    ("ucs", "不是很肯定的是，但我倾向于是她写的。", "yes"),
])
def test_argument_turns(task, answer, label):
    assert _read(task, answer) == label
