"""Rewrites of a cleaned answer that make its verdict structure explicit before the clause rules
read it (extract.py). Each one states a general reading, not a phrasing:

  reported speech   quoted text ("评论里写着“是的，支持！”") is what someone else wrote, never the
                    answerer's verdict, unless the quote is itself a bare label ('答案："否"');
  "X, not Y"        "half true, not true", "是半真，不是真": the second label is only set aside (as
                    "X rather than Y" does); X is the verdict, Y is not negated into its opposite;
  neither-nor       on MID's graded scale, "neither true nor false" / "not false, but not true
                    either" / "既不是真的也不是假的" is the middle grade, and so is a claim graded only in
                    part ("half of it is true", "the second part is false");
  "not X? absurd"    "不点赞反而奇怪了", "如果不是他写的，那才奇怪呢", "不推荐就可惜了", "没有理由不推荐",
                    "no reason not to share it": not doing X would be the odd (or wasteful) outcome, so
                    the answer asserts X; the negation belongs to the rejected case;
  assignments       "recommend=False", "is_rumor: true": a boolean given to a key that asks the
                    task's own question, read as the JSON answer it imitates;
  scores            an answer that is only labels with probabilities ("yes 0.84 / no 0.16",
                    "真 70%，假 30%"): the clearly likeliest label;
  marks             a tick or a cross bound to the task's question or to a label ("Recommend: ✗",
                    "[x] 不推荐  [ ] 推荐", "half ✓"): the form's answer, read before cleaning drops
                    the symbols;
  label called wrong "calling it a rumour is wrong", "说它是谣言是不对的", "it would be unfair to rate
                    it false": the label is rejected, not asserted (a rumour verdict flips, a grade or
                    an emotion is only set aside);
  weak verdicts     "not a definite no", "not a strong yes", "不是很肯定的否": a hedged verdict, still the
                    verdict, not its negation.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .answer_json import VERDICT_KEYS, polar_label
from .labels import BARE
from .verdict import bare_label, mentions
from .yesno import is_bare_act, yesno

_QUOTED = re.compile(r"“([^“”]{1,120})”|「([^「」]{1,120})」|『([^『』]{1,120})』|(?<![\w\\])\"([^\"\n]{1,120})\"(?!\w)")
_NEITHER = re.compile(
    r"\bneither (?:\w+ )?(?:true|false|accurate) nor (?:\w+ )?(?:true|false|accurate)\b|"
    r"\bnot (?:entirely |completely |wholly |totally )?(?:true|false)\b[^.;!?]{0,40}?\bnot (?:entirely |completely |wholly |totally )?"
    r"(?:true|false)(?: either)?\b|"
    r"(?:既|既不能说是?|既不是|既非)(?:不是)?(?:真|假)的?[,，]?\s*也(?:不能说是?|不是|非|不)(?:真|假)的?|"
    r"不(?:能说)?是(?:真|假)的[,，]\s*也不(?:能说)?是(?:真|假)的")
_ABSURD_IF_NOT = re.compile(r"(?:如果|要是|假如)?不(是)?([\u4e00-\u9fff]{1,6}?)[的了]?[,，]?\s*(?:那|那就)?(?:反而|才|就|倒)(?:奇怪|怪|稀奇|可惜|浪费)(?:了|呢|啊)?")
#: "没有理由不推荐", "no reason not to like it", "can't not share it": two negations that assert.
_NO_REASON_NOT = re.compile(r"(?:没有|没|找不到)(?:任何)?理由不|不(?=[\u4e00-\u9fff]{1,4}的理由(?:我|实在)?(?:找不到|没有|想不出))|\b(?:there's |there is )?no reason (?:for (?:them|him|her|the user) )?not to\b|\bcan't not\b|\bcannot not\b")
_ASSIGNMENT = re.compile(r"(?<![\w])([a-z_]{3,40}|是否[\u4e00-\u9fff]{1,8})\s*[=:]\s*[\"']?(true|false)\b[\"']?")


def reported_speech(kind: str, text: str) -> str:
    """Quoted spans blanked out, except a quoted bare label."""
    def blank(m: re.Match) -> str:
        inner = next(g for g in m.groups() if g is not None)
        return m.group(0) if bare_label(kind, inner) is not None else " “…” "
    return _QUOTED.sub(blank, text)


def absurd_if_not(text: str) -> str:
    """"不X才怪" / "不X就可惜了" / "没有理由不X": the answer asserts X."""
    text = _ABSURD_IF_NOT.sub(lambda m: ("是" if m.group(1) else "会") + m.group(2) + "。", text)
    return _NO_REASON_NOT.sub(lambda m: "会" if m.group(0)[0] in "没找不" else "will ", text)


#: ", not Y" / "，不是Y" / "，而非Y" closing a clause (Y read as a label below).
_NOT_INSTEAD = re.compile(r"[,，]\s*(?:and |but )?(?:not|而?不是|而非)\s*([^,，.;!?。；！？\n]{1,24}?)(?=\s*(?:[.;!?。；！？\n]|$))")
_SENTENCE_START = re.compile(r".*[.;!?。；！？\n]", re.S)


def not_instead(kind: str, text: str) -> str:
    """"X, not Y" where X and Y are different labels: "X rather than Y" (Y set aside, not negated)."""
    def swap(m: re.Match) -> str:
        excluded = bare_label(kind, m.group(1))
        head = text[:m.start()]
        before = _SENTENCE_START.sub("", head)   # the clause's own sentence
        kept = {label for _, label, negation in mentions(kind, before) if negation is None}
        if excluded is None or not kept or excluded in kept or len(kept) > 1:
            return m.group(0)
        return (" rather than " if m.group(1).isascii() else "而不是") + m.group(1)
    return _NOT_INSTEAD.sub(swap, text)


#: What joins the members of a listed scale ("true, half true, or false", "true / half / false", "真、半真、假").
_SCALE_JOIN = re.compile(r"^\s*(?:,|/|\||、|;)?\s*(?:\bor\b|\band\b|或者?|和|与|及)?\s*$")


def scale_listed(kind: str, text: str) -> str:
    """The task's scale named in full ("The options are true, half true, or false", "on a true / half
    / false scale") blanked out: three or more labels joined only by commas, slashes and "or" are
    the question's options, never a verdict, even when commas split them into clauses."""
    spans: list[tuple[int, int]] = []
    run: list[tuple[int, int, str]] = []

    def close() -> None:
        if len({label for _, _, label in run}) >= 3:
            spans.append((run[0][0], run[-1][1]))

    for start, end, label in _label_words(kind, text):
        if run and not _SCALE_JOIN.match(text[run[-1][1]:start]):
            close()
            run = []
        run.append((start, end, label))
    close()
    for start, end in reversed(spans):
        text = text[:start] + " the scale " + text[end:]
    return text


def _label_words(kind: str, text: str) -> list[tuple[int, int, str]]:
    """Every label word of the kind in the text, bare-only ones too ("half", "真"), longest first."""
    found = sorted(((m.start(), m.end(), label) for label, pattern in _scale_patterns(kind) for m in pattern.finditer(text)),
                   key=lambda f: (f[0], f[0] - f[1]))
    out: list[tuple[int, int, str]] = []
    for start, end, label in found:
        if not out or start >= out[-1][1]:
            out.append((start, end, label))
    return out


@lru_cache(maxsize=None)
def _scale_patterns(kind: str) -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((label, re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])" if word.isascii() else re.escape(word)))
                 for label, words in BARE[kind].items() for word in words if len(word) > 1 or not word.isascii())


#: A part of the claim graded ("half of it is true", "the second part is false", "部分是真的"): on MID's
#: scale a claim true or false only in part is the middle grade, whichever part is named.
_IN_PART = re.compile(
    r"\b(?:only )?(?:half|part|parts|some|one part|a part|the (?:first|second|other|latter|former|last) (?:half|part))"
    r"(?: of (?:it|this|that|the (?:claim|post|statement|story)))? (?:is|are|was|were|seems|looks) (?:\w+ )?(?:true|accurate|correct|right|false|wrong|inaccurate)\b|"
    r"(?:一部分|有一部分|部分内容|前半部分|后半部分|前半句|后半句)(?:是|为)?(?:真|假|对|错)的?")


def neither_nor(kind: str, text: str) -> str:
    return _IN_PART.sub(" half-true ", _NEITHER.sub(" half-true ", text)) if kind == "mid" else text


def assignment_label(kind: str, text: str) -> str | None:
    """The label of a lone `key=true|false` answer whose key asks the task's question."""
    found = {polar_label(kind, key, value == "true") for key, value in _ASSIGNMENT.findall(text)}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


#: ☒ is neither: forms use it for a ticked box, prose for a cross; a thumb is a tick or a cross
#: only where it is bound to the question or a label, as every mark here ("Recommend? 👍")
_TICKS, _CROSSES = "✓✔☑✅👍", "✗✘❌❎👎"
#: A line that is a head and one mark ("Recommend: ✗", "Verdict → ✓", "- half-true ✓", "✓ 推荐").
_MARKED_LINE = re.compile(rf"^[\s\-*>#|]*(?:([^\n:：=|{_TICKS}{_CROSSES}]{{1,30}}?)\s*(?:[:：=]|→|⇒|=>|->)?\s*([{_TICKS}{_CROSSES}])|"
                          rf"([{_TICKS}{_CROSSES}])\s*([^\n:：=|{_TICKS}{_CROSSES}]{{1,30}}?))[\s.。!|*]*"
                          # an aside in brackets after the mark ("Recommend: ❌ (off-topic for her)")
                          r"(?:[(（][^()（）\n]{0,80}[)）][\s.。!]*)?"
                          # or a reason in a sentence of its own ("Recommend? ✗. She dislikes video.")
                          r"(?:(?<=[.。!])\s*[^\n]*)?$", re.M)
#: A checkbox and its option ("[x] 推荐", "[ ] not recommend", "☐ no").
_BOX = re.compile(r"(\[[xX✓✔ ]\]|☑|☐)\s*([^\[\]☑☐\n]{1,30}?)(?=\s*(?:\[|☑|☐|\n|$))")


def marked_label(kind: str, raw: str) -> tuple[str | None, bool]:
    """(the label ticks and crosses give, whether they gave a verdict at all): (None, True) when
    marks bound to the question or a label disagree or cannot be read ("不推荐 ✗"), so no later
    rule reads the same words without their marks; (None, False) when there are none."""
    found: set[str | None] = set()
    if _BOX.search(raw):
        found.add(_box_label(kind, raw))
    for m in _MARKED_LINE.finditer(raw):
        head, mark = (m.group(1), m.group(2)) if m.group(2) else (m.group(4), m.group(3))
        head = head.strip().lower().rstrip("?？ ")   # "Recommend? 👍": the question, answered by the mark
        ticked = mark in _TICKS
        if _bound(kind, head) and (ticked or kind == "yesno"):   # a crossed emotion or grade is only set aside
            found.add(_mark_reading(kind, head, ticked))
    labels = found - {None}
    if len(found) == 1 and labels:
        return labels.pop(), True
    return None, bool(found)


def _bound(kind: str, head: str) -> bool:
    """Whether a mark's head is the task's question or a label (not "Topic match ✓")."""
    if kind == "yesno" and (is_bare_act(head) or polar_label(kind, re.sub(r"\s+", "_", head), True) is not None
                            or _answer_key(head)):
        return True
    return bare_label(kind, head) is not None


def _answer_key(head: str) -> bool:
    """A head that names the answer itself ("verdict", "final answer", "结论")."""
    return re.sub(r"^(?:my |the |final |最终)+", "", head).replace(" ", "_") in VERDICT_KEYS


def _box_label(kind: str, raw: str) -> str | None:
    """The one option ticked in a checkbox list that leaves at least one box empty."""
    boxes = [(box.strip() not in ("[ ]", "[]", "☐"), text.strip().lower()) for box, text in _BOX.findall(raw)]
    ticked = {_option_label(kind, text) for on, text in boxes if on}
    if not any(not on for on, _ in boxes) or len(ticked) != 1:
        return None
    return ticked.pop()


def _option_label(kind: str, text: str) -> str | None:
    if kind == "yesno" and is_bare_act(text):
        return yesno(text)
    return bare_label(kind, text)


def _mark_reading(kind: str, head: str, ticked: bool) -> str | None:
    """A label ticked is chosen (a crossed one only set aside); the task's own act ("recommend",
    "推荐", "is_author") ticked is yes, crossed is no."""
    if kind == "yesno" and is_bare_act(head):
        # a negated act is the verdict whatever its mark ("❎ 不转发", "don't recommend ✓")
        return ("yes" if ticked else "no") if yesno(head) == "yes" else yesno(head)
    if kind == "yesno" and (polar := polar_label(kind, re.sub(r"\s+", "_", head), ticked)) is not None:
        return polar
    if kind == "yesno" and _answer_key(head):
        return "yes" if ticked else "no"   # "Verdict: 👎", "结论：✅": the mark is the yes/no itself
    label = bare_label(kind, head)
    if kind == "yesno" and label == "no":
        return label   # "❌ 不会转发": as with a negated act, the mark underlines the no
    return label if ticked else None


#: One "label score" pair of a score-only answer, and what may separate the pairs.
_SCORE_PAIR = re.compile(r"([^\d\s/|,;，；:：=][^\d/|,;，；:：=]{0,20}?)\s*[:：=]?\s*(\d{1,3}(?:\.\d+)?%|0?\.\d+|1\.0+)")
_SCORE_SEP = re.compile(r"^[\s/|,;，；、]*$")
#: A decision needs the top label this likely, and this far ahead of the next.
_SCORE_TOP, _SCORE_LEAD = 0.6, 0.3


def scored_label(kind: str, text: str) -> str | None:
    """The likeliest label of an answer made only of label-score pairs; None when anything else is
    said, a name is no label, or no label is clearly ahead."""
    scores: dict[str, float] = {}
    end = 0
    for m in _SCORE_PAIR.finditer(text):
        label = bare_label(kind, m.group(1))
        if not _SCORE_SEP.match(text[end:m.start()]) or label is None or label in scores:
            return None
        value = m.group(2)
        scores[label] = float(value[:-1]) / 100 if value.endswith("%") else float(value)
        end = m.end()
    if len(scores) < 2 or not _SCORE_SEP.match(text[end:].rstrip(".。")):
        return None
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < _SCORE_TOP or ranked[0] - ranked[1] < _SCORE_LEAD:
        return None
    return max(scores, key=scores.__getitem__)


#: A label someone might give, called wrong: the label sits in group "label".
_CALLED_WRONG = re.compile(
    r"\b(?:calling|labell?ing|rating|classifying|marking|tagging|branding|deeming) (?:it|this|that|the (?:post|claim|statement|comment|weibo|story))"
    r"(?: as)? (?:a |an )?(?P<label>[\w\- ]{1,24}?) (?:is|would be|seems|feels) (?:\w+ )?(?:wrong|unfair|a stretch|misleading|inaccurate|"
    r"incorrect|a mistake|mistaken|too (?:harsh|strong|much|far)|going too far|overkill|unwarranted|unjustified)\b|"
    r"\bit(?: would be|'d be| is|'s) (?:\w+ )?(?:wrong|unfair|a stretch|misleading|inaccurate|incorrect|a mistake|unwarranted|unjustified) to "
    r"(?:call|label|rate|classify|mark|tag|brand|deem) (?:it|this|that|the \w+)(?: as)? (?:a |an )?(?P<label2>[\w\-]{1,16}(?: [\w\-]{1,10})?)(?=\s*(?:[.,;!?]|$))|"
    r"(?:说|认为|称|把(?:它|这条|这|此|该)?(?:微博|消息|帖子|说法|内容)?(?:当作?|定为|判为|归为|看作|看成|列为)|定性为|定为|判为|归为|贴上)"
    r"(?:它|这条|这|此|该)?(?:微博|消息|帖子|说法|内容)?(?:是|为|成)?"
    r"(?:一条|一个|一则)?(?P<label3>[\u4e00-\u9fff\w\-]{1,6}?)(?:的?标签)?(?:是|就|未免|有点|有些)?(?:不对|错误|错|不准确|不妥|不恰当|不合适|站不住脚?|"
    r"不成立|言过其实|过头|太重|冤枉)(?:的|了)?")
_WEAK = re.compile(r"\bnot (?:a |an )?(?:very |totally |completely |entirely )?(?:definite|firm|strong|clear|certain|hard|confident|resounding|"
                   r"emphatic|solid|absolute|categorical|100%|full|total|outright|flat|clean|sure|strict|slam[- ]dunk|unqualified) (?P<word>[\w\-]{1,16})|"
                   r"不是(?:很|十分|非常|特别|那么)?(?:肯定|确定|明确|绝对|坚定|百分之?百)的(?P<zh>[\u4e00-\u9fff]{1,4})")


def called_wrong(kind: str, text: str) -> str:
    """"Calling it X is wrong": a rumour verdict X becomes "not X"; a grade or an emotion is set aside."""
    def reject(m: re.Match) -> str:
        word = m.group("label") or m.group("label2") or m.group("label3")
        label = bare_label(kind, word)
        if label is None or kind == "yesno":
            return m.group(0)
        ascii_word = word.isascii()
        if kind == "rumor":
            return f" not {word} " if ascii_word else f"不是{word}"
        return f" rather than {word} " if ascii_word else f"而不是{word}"
    return _CALLED_WRONG.sub(reject, text)


def weak_verdict(kind: str, text: str) -> str:
    """"Not a definite no" -> "probably no": the qualifier weakens the verdict; it negates nothing."""
    def hedge(m: re.Match) -> str:
        word = m.group("word") or m.group("zh")
        if bare_label(kind, word) is None:
            return m.group(0)
        return f"probably {word}" if m.group("word") else f"可能{word}"
    return _WEAK.sub(hedge, text)
