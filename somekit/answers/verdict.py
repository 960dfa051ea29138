"""The verdict of one clause for emotion and MID labels, with negation scoped to that clause, and
the bare label of any kind (yes/no clauses: yesno.py).

emotion / MID: the labels named in the clause, each dropped (emotion) or flipped (MID) when a
negation stands right before it ("not angry, just sad" -> sad; "not true" -> false).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .labels import BARE, BARE_ONLY
from .yesno import yesno


_NEG_BEFORE_ZH = re.compile(r"(?:不是|并非|并不|不|没有|没|毫无|无|非|不算|谈不上|称不上|算不上|说不上)(?:很|太|特别|十分|那么|什么|感到|觉得|是|有|带有|表现出|明显的?|任何)?"
                            r"(?:一条|一个|一则|一种)?\s*$|"
                            # "我不能说它是谣言", "不认为这是谣言": the negation scopes over a reported verdict
                            r"(?:不能|不应该?|不宜|不该|不会|没法|无法|不可能|很难|不敢|不必|不用|不)(?:被)?(?:说|认为|断定|认定|判定|判|定性|视为|看作|归为|算作?|"
                            r"称为?|当作|确定)(?:它|这|这条|此|该)?(?:微博|消息|信息|说法|内容|帖子)?(?:是|为|成)?(?:一条|一个|一则)?\s*$|"
                            r"(?:不认为|不觉得|不相信)(?:它|这|这条|此|该)?(?:微博|消息|信息|说法|内容)?(?:是|为)?\s*$")
#: Words that set a label aside in favour of another ("half-true rather than mostly-true"): the
#: label is excluded, never turned into its opposite.
_EXCLUDE_ZH = re.compile(r"(?:而不是|而非|与其说是?|排除|不是说)(?:很|太|特别|什么|是|有)?(?:一条|一个|一则|一种)?\s*$")
_EXCLUDE_EN = re.compile(r"\b(?:rather than|instead of|other than|as opposed to|ruling out|exclude|excluding)\b(?:\s+\S+){0,3}\s*$")
_NEG_BEFORE_EN = re.compile(r"(?:\bnot\b|n't\b|\bno\b|\bnever\b|\bwithout\b|\bnor\b|\bneither\b|"
                            r"\bless\b|\black of\b)"
                            r"(?:\s+(?:a|an|the|very|really|so|too|particularly|especially|at all|just|merely|simply|overly|"
                            r"feeling|feel|show|showing|express|expressing|being|be|any|much|entirely|completely|truly|"
                            # "should not be considered a rumour", "I don't think it is true": a verdict verb in the negation's scope
                            r"think|believe|say|call|called|make|makes|making|consider|considered|label|labelled|labeled|classify|classified|rate|rated|"
                            r"deem|deemed|regard|regarded|view|viewed|treat|treated|count|counted|as|it|this|that|is|was|been|it's|"
                            # "doesn't fit the rumour label", "does not warrant a false rating"
                            r"fit|fits|match|matches|meet|meets|warrant|warrants|deserve|deserves|earn|earns|merit|merits))*\s*$|"
                            # "I don't see anything that would trigger anger": the negation reaches the evoked label
                            # "no part of the claim holds up", "none of it is accurate": the quantifier denies every part
                            r"\b(?:no|none|not one|not a single|not any)\s+(?:(?:part|parts|piece|bit|portion|element|detail|aspect|word|line)\s+)?"
                            r"of\s+(?:the|this|that|its|it|them|these|those)?\s*(?:\w+\s+)?(?:(?:is|are|was|were|seems?|looks?)\s+)?$|"
                            r"(?:\bnot?\b|n't\b|\bnothing\b|\bnever\b|\bwithout\b)[^,.;:]{0,40}?\b(?:trigger|triggers|suggest|suggests|"
                            r"indicate|indicates|signal|signals|signs? of|hint of|trace of|cause|causes|evoke|evokes|provoke|provokes|"
                            r"deserve|deserves|warrant|warrants|merit|merits|justify|justifies|call for|calls for)\b"
                            r"(?:\s+(?:any|a|an|the|much|real|strong|particular))*\s*$")
#: Graded MID words: "not mostly true" does not say which way the claim errs, so it is dropped.
_GRADED = re.compile(r"mostly|largely|partly|partially|half|barely|pants|completely|totally|entirely|基本|大体|大部分|部分|完全|半")
#: A hedge that lowers a true-verdict one grade ("barely true", "勉强属实").
_BARELY = re.compile(r"(?:\bbarely|\bonly just|勉强|勉勉强强)\s*$")


@lru_cache(maxsize=None)
def _mention_patterns(kind: str) -> tuple[tuple[str, str, re.Pattern], ...]:
    out = []
    for label, words in BARE[kind].items():
        for word in words:
            if word in BARE_ONLY.get(kind, ()):
                continue
            esc = re.escape(word).replace(r"\-", r"[\s\-]?").replace(r"\ ", r"[\s\-]+")
            pat = rf"(?<![a-z]){esc}(?![a-z])" if word[0].isascii() else esc
            out.append((label, word, re.compile(pat)))
    return tuple(out)


def _negation(clause: str, start: int) -> str | None:
    """'exclude', 'not' or None for the label word starting at `start`."""
    before_en, before_zh = clause[max(0, start - 40):start], clause[max(0, start - 12):start]
    if _EXCLUDE_EN.search(before_en) or _EXCLUDE_ZH.search(before_zh):
        return "exclude"
    if _NEG_BEFORE_EN.search(before_en) or _NEG_BEFORE_ZH.search(before_zh):
        return "not"
    return None


def mentions(kind: str, clause: str) -> list[tuple[int, str, str | None]]:
    """(position, label, negation) for each label word in the clause, longest match first;
    negation is None, 'not' or 'exclude' (see _negation)."""
    return [(start, label, neg) for start, label, neg, _ in _mentions(kind, clause)]


def _mentions(kind: str, clause: str) -> list[tuple[int, str, str | None, str]]:
    found = []
    for label, word, pattern in _mention_patterns(kind):
        for m in pattern.finditer(clause):
            found.append((m.start(), m.end(), label))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[int, str, str | None, str]] = []
    end = prev_end = -1
    for start, stop, label in found:
        if start < end:
            continue
        end = stop
        word = clause[start:stop]
        if kind == "mid" and label == "true" and _BARELY.search(clause[max(0, start - 12):start]):
            label = "half"
        negation = _negation(clause, start)
        if negation is None and out and out[-1][2] and _LIST_JOIN.match(clause[prev_end:start]):
            negation = out[-1][2]   # "not angry or sad": a list shares its negation
        out.append((start, label, negation, word))
        prev_end = stop
    return out


_LIST_JOIN = re.compile(r"^\s*(?:,|、|/|\bor\b|\band\b|\bnor\b|或者?|和|与|及)\s*(?:\bor\b|\band\b|\bnor\b)?\s*$")
_FLIP = {"true": "false", "false": "true", "half": None, "rumor": "non-rumor", "non-rumor": "rumor"}


def labels_in(kind: str, clause: str) -> list[str]:
    """The labels a clause asserts, in order: an excluded label is dropped; a negated emotion is
    dropped; a negated MID or rumour verdict is flipped, unless it is a grade ("not mostly true")."""
    out = []
    for _, label, negation, word in _mentions(kind, clause):
        if negation == "not" and kind in ("mid", "rumor") and _FLIP[label] and not (kind == "mid" and _GRADED.search(word)):
            out.append(_FLIP[label])
        elif negation is None:
            out.append(label)
    return out


_EDGES = re.compile(r"^[\s\"'“”「」()\[\]{}（）:：.。!！,，-]+|[\s\"'“”「」()\[\]{}（）:：.。!！,，-]+$")
#: Sentence-final particles (吧, 啊, 呀) and chat interjections (lol, haha, tbh) colour a verdict
#: without changing it: "假的吧" is "假的", "for sure lol" is "for sure".
_TAIL_PARTICLE = re.compile(r"(?:[吧啊呀哦嘛啦哈喔噢]+|\b(?:lol|lmao|haha+|hehe|tbh|imo|imho|honestly|fr)\b)\W*$")


def _trim(text: str) -> str:
    t = _EDGES.sub("", text)
    for _ in range(3):
        shorter = _EDGES.sub("", _TAIL_PARTICLE.sub("", t))
        if shorter == t or not shorter:
            break
        t = shorter
    return t


def bare_label(kind: str, text: str) -> str | None:
    """The label when the whole text is one label word (quotes and punctuation aside)."""
    t = _trim(text)
    for label, words in BARE[kind].items():
        if t in words:
            return label
    hedged = re.fullmatch(r"(?:most |very |highly |quite )?(?:likely|probably)\s+(\S.{0,20})", t)
    if hedged and (label := bare_label(kind, hedged.group(1))) is not None:
        return label   # "likely yes", "probably half-true": a hedged verdict is still the verdict
    aside = re.fullmatch(r"(.{1,40}?)\s*\(([^()]{1,80})\)?", t)   # (the closing bracket went with the trim)
    if aside:   # "是 (yes)", "否(置信度0.8)": a label with an aside that names no other label
        label = bare_label(kind, aside.group(1))
        inner = aside.group(2)
        if label is not None and bare_label(kind, inner) in (None, label) and not (kind != "yesno" and labels_in(kind, inner)) \
                and (len(inner) <= 30 or (kind == "yesno" and yesno(inner) in (None, label))):
            return label   # a longer aside is a gloss only when it agrees ("否 (the user did not post this)")
    return None

