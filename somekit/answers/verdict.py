"""The verdict of one clause, per label kind, with negation and hedges scoped to that clause.

yes/no: a clause decides when it is a bare verdict ("probably not", "不会"), or names the asked
behaviour with a modal ("will like", "会转发"), or carries a self-standing cue ("is interested",
"是该用户发表的", "可能性较低"). Its polarity is the parity of the negations before the cue, so
"I don't think the user will like it" is no and "不是很可能会点赞" is no.
emotion / MID: the labels named in the clause, each dropped (emotion) or flipped (MID) when a
negation stands right before it ("not angry, just sad" -> sad; "not true" -> false).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .labels import BARE, BARE_ONLY

UNCLEAR = "?"   # a clause that hedges without deciding ("不一定", "maybe", "not necessarily")

# ---- yes/no -----------------------------------------------------------------------------------

_FILLERS = re.compile(
    r"\b(?:i|we)(?: would|'d| do)? (?:think|believe|guess|say|predict|expect|assume|reckon|suppose|bet|conclude|judge)(?: that)?\b|"
    r"\bin my (?:opinion|view|judgement|judgment)\b|\bmy (?:final )?(?:answer|prediction|verdict|guess) (?:is|would be)\b|"
    r"\bthe (?:final )?answer (?:is|would be)\b|\bi'm (?:fairly |pretty |quite )?(?:sure|confident)(?: that)?\b|"
    r"\b(?:so|therefore|thus|hence|overall|then|well|ok|okay|honestly|answer|final answer|prediction|verdict|conclusion|"
    r"in conclusion|in summary|to sum up|ultimately|it seems|it appears|i'd say|i would say|based on (?:this|that|the above)|"
    r"the user|this user|the person|they|he|she|it|this|that|the post|this post|post|weibo|tweet|to|one|too|either|"
    r"also|probably|possibly|likely|most|very|highly|quite|really|indeed|simply|just|definitely|certainly|surely|"
    r"absolutely|clearly|obviously|of course|perhaps|maybe|actually|wait|hmm+|on second thought|on reflection)\b|"
    r"我(?:的)?(?:认为|觉得|猜测?|推测|判断|预测|估计|倾向于认为|想|看)|(?:还是|仍然|依然|仍)?(?:判为|判定为|判断为|认定为|定为|归为|标为|选)|(?:我的)?(?:最终)?(?:答案|回答|结论|判断|预测)(?:是|为)?|"
    r"但是|但|不过|然而|可是|而是|反而|只是|只不过|\bbut\b|\bhowever\b|\byet\b|\binstead\b|"
    r"综上所述|综上|总之|总的来说|综合(?:来看|考虑|判断|分析|以上)?|最终|所以|因此|因而|那么|由此可见|"
    r"该用户|这位用户|此用户|用户|他们|他|她|ta|这条(?:微博|帖子|贴文|内容)?|微博|帖子|贴文|"
    r"这次|这回|这一次|\bthis time\b|认为|觉得|推测|预计|估计|大概率|大概|应该|也许|或许|可能|很|比较|较|非常|十分|确实|一定|肯定|当然|绝对|"
    r"[的了吧啊呀哦嘛呢。.!,，、\"'“”「」()\[\]（）\s-]")
_LIKELY = re.compile(r"\b(?:probably|likely|most likely|very likely|highly likely)\b|应该|可能|大概率|很可能")
_MAYBE = re.compile(r"^\W*(?:maybe|perhaps|possibly|也许|或许|说不定|不一定|未必|not necessarily|hard to say|不好说|难说)\W*$")
_NOT_NECESSARILY = re.compile(r"不一定|未必|不见得|not necessarily|not sure|不确定|50/50|fifty-fifty|either way|一半一半")

#: "推" and "转" are the chat forms of 推荐 and 转发 ("必须推", "必转"); 推 only where no other word
#: (推测, 推文) begins with it.
_VERB_ZH = (r"(?:点赞|赞|转发|转|评论|回复|留言|喜欢|感兴趣|互动|关注|参与|推荐|推(?![测断理论文特送广出动翻进迟])|阅读|浏览|点开|分享|"
            r"发表|发布|写|出自|点击)")
_VERB_EN = (r"(?:like|likes|liked|repost|reposts|share|shares|comment|comments|reply|replies|engage|engages|interact|"
            r"interacts|enjoy|enjoys|click|clicks|retweet|retweets|recomm?end|recomm?ended|read|reads|respond|react|"
            r"show|surface|push|serve|include|"
            r"write|written|wrote|post|posted|be interested|care|give it a like|hit like|leave a comment)\b")
#: Obligation counts like "会" ("应推荐", "必须推", "必转", "得点"); 该 and 得 only where they are
#: not part of another word (该用户 "this user", 觉得 "think").
_MODAL_ZH = (r"(?:会|可能|应该|应当|应(?![用对聘])|(?<=[不应就也都本])该|必须|必(?![然要定])|(?<![觉记显懂获使晓免值])得|值得|"
             r"愿意|倾向于?|大概率|想要|想|将|能|可以)")
_MODAL_EN = (r"(?:\bpredict(?:s|ed)?\b|\bwill\b|\bwould\b|'ll\b|'d\b|\bwon't\b|\bwouldn't\b|\bgoing to\b|\bexpect(?:s|ed)?\b|\blikely\b|\bprobably\b|\bmay\b|\bmight\b|\bcould\b|"
             r"\bshould\b|\bgonna\b|\btends? to\b|\bexpected to\b|\bwants? to\b|\binclined to\b|\bchance\b|\bis set to\b|\bunlikely\b)")
#: Cues that decide without a modal: authorship (UCS), interest (MCR), stated likelihood.
_ID = r"(?:id\s*[为是:]?\s*\w+\s*的)?"   # SoMe's queries name the user as "ID为<uid>的用户"
_SELF_YES = (rf"(?:是|系|非|为)(?:由)?{_ID}(?:该|这位|此|这个|同一)?(?:用户|人|他|她|ta|本人)(?:本人|自己)?(?:所)?(?:发表|发布|写|发|撰写|留下)|出自{_ID}(?:该|这位|此|同一)?用户|"
             r"(?:是|系|非)(?:该|这位|此|同一)?用户(?:本人)?的(?:评论|留言|发言|回复)|\b(?:the|this) user's (?:own )?(?:comment|reply|writing|words)\b|"
             r"^\W*(?:so |therefore |所以|因此|因而|那么)?\W*(?:not |do not |don't |不|不要|不建议|建议|没有|没必要|无需)?(?:recommend(?:ed)?\b|推荐(?!分|度|值|理由|系统|算法|列表|位|指数|得分|权重))|"
             r"\b(?:likes?|reposts?|comments?|repl(?:y|ies)|shares?|retweets?|engagement|interaction)\s+(?:is|seems|looks|appears)\s+"
             r"(?:very |highly |quite |fairly |rather )?(?:un)?likely\b|\binteresting to (?:the|this|him|her|them)\b|"
             rf"由{_ID}(?:该|这位|此)?用户(?:本人)?(?:发表|发布|撰写|写)|"
             r"感兴趣|有兴趣|(?:没有?|无)(?:什么|任何)?兴趣|(?:得|必|必须|会|要|肯定)点(?:个)?(?:赞)?(?=[啊吧呀了的]|\W|$)|兴趣(?:较|很|比较)?(?:大|浓)|值得推荐|应该推荐|适合推荐|"
             # authorship named at the clause's end: "是他", "不会是他本人", "不是 user U"
             r"(?:是|系)\s*(?:该|这位|此|同一)?\s*(?:用户|user|他|她|ta|本人)(?:\s?[a-z0-9]{1,4}\b)?\s*(?:本人|自己)?(?:所)?(?:写|发|发表|发布)?的?\W*$|"
             # interest idioms: "(不是)他的菜", "right up their alley", "their kind of content"
             r"(?:他|她|ta|用户)的菜|\bup (?:their|his|her) (?:alley|street)\b|\b(?:their|his|her) (?:kind|type|sort) of (?:content|thing|post|stuff)\b|"
             r"\bworth (?:showing|surfacing|pushing|recommending|a like|sharing|a repost|a (?:slot|spot|place)(?: in)?)\b|"
             r"\b(?:deserves|earns|gets) a (?:slot|spot|place) in\b|\b(?:their|his|her) cup of tea\b|"
             r"可能性(?:较|很|比较|非常|极)?(?:高|大)|概率(?:较|很|比较|非常|极)?(?:高|大)|"
             r"\b(?:belongs?|belonged) to (?:the|this) user\b|"
             # "written by the user": the author named must be a person; "decisions made by the ranking system" is no authorship
             r"\b(?:(?:was|is|were|been) (?:\w+ )?)?(?:written|posted|made|sent|authored|published) by (?:(?:the|this|that|the same) "
             r"(?:user|person|account|author)|them|him|her|the user|user|someone else|another (?:user|person|account)|a different "
             r"(?:user|person)|other users?|u|@?[a-z_]*\d+)\b|\binterest(?:ed)?\b(?! (?:profile|history|data|vector|tags?|graph)\b)|"
             r"(?:别人|其他用户|另一(?:个|位)?用户|他人)(?:所)?(?:发表|写|发布)|(?:就是|即|是)(?:该|这位|此)?用户本人|"
             # ("differs from theirs", "unlike hers" compare with the user's writing; they claim no authorship)
             r"(?<!\bfrom )(?<!\bunlike )\btheirs\b|(?<!\bfrom )(?<!\bunlike )\bhers\b|\b(?:the|this) user's\W*$|\b(?:is|was|'s) his\b|"
             r"\b(?:chances?|probability|likelihood|odds)\b[^,.;:]{0,40}?(?:\b(?:is|are|seems?|looks?)\s+(?:\w+\s+)?|[:=]\s*)(?:high|good|strong|very high)\b|"
             # resemblance as the authorship call: "像她写的", "不太像他本人发的"
             r"像(?:是)?(?:她|他|ta|该用户|用户|本人)(?:本人|自己)?(?:亲自)?(?:写|发|发表|发布)的?|"
             r"\b(?:wrote|authored|posted) (?:this|the|that|it)\b|\b(?:did|does)(?:n't| not)? write (?:this|the|that|it)\b|\bis the (?:author|writer)\b|\bcame from (?:this|the) (?:user|person|account)\b|"
             r"\b(?:high|good|strong) (?:chance|probability|likelihood)\b|\bworth recommending\b|\bappeal(?:s)? to\b|"
             r"\bmatch(?:es)? (?:the|their|his|her) (?:interests?|style)\b|\bconsistent with (?:the|their|his|her) (?:style|interests?)\b")
_SELF_NO = (r"\b(?:chances?|probability|likelihood|odds)\b[^,.;:]{0,40}?(?:\b(?:is|are|seems?|looks?)\s+(?:\w+\s+)?|[:=]\s*)"
            r"(?:low|slim|small|tiny|minimal|negligible|very low)\b|可能性(?:较|很|比较|非常|极)?(?:低|小)|概率(?:较|很|比较|非常|极)?(?:低|小)|"
            r"\b(?:low|slim|little|small) (?:chance|probability|likelihood)\b|\bchances are (?:low|slim)\b|"
            # passing over the post as the call: "I'd skip it", "she'll scroll past it", "leave this one out of her feed"
            r"(?:\b(?:i|we|he|she|they|you)(?:'d|'ll| would| will| should)|\bwould|\bwill)\s+(?:\w+\s+)?(?:skip|scroll past|pass on|"
            r"hold (?:it|this|that)(?: one| post)? back|keep (?:it|this|that)(?: one| post)? (?:out|off)|"
            r"leave (?:it|this|that)(?: one| post)? out|filter (?:it|this|that)(?: one| post)? out)\b")
#: A clause that is a task verb in the imperative, optionally negated ("推荐。", "不推", "别转了",
#: "Show this post to the user", "don't recommend it"): the answerer's own call. English only for the
#: feed verbs, which open no other kind of sentence ("Like most users..." would).
#: What may follow a feed verb in its imperative ("push it to her feed", "show this one to the user").
_FEED_OBJECT = (r"(?:\s+(?:it|this|the|that|post|p|to|him|her|them|his|their|user|u|one|for|in|into|on|with|feed|timeline|"
                r"stream|list|now|please|anyway|content)\b)*")
_IMPERATIVE = (rf"^\W*(?:不|别|不要|不用|没必要|要|得|必须|该|值得)?\s*{_VERB_ZH}(?:[吧啊了的]|这条|这篇|它|给他|给她)*\W*$|"
               r"^\W*(?:(?:ya|yeah|yes|def|defo|definitely|totally|absolutely|really|just|i'd|i would|would)\s+)*"
               r"(?:(?:do not|don't|never|not)\s+)?(?:recomm?end|show|surface|push|serve|engage|interact|repost|retweet)\b"
               rf"{_FEED_OBJECT}\W*$")
#: A call to pass the post over ("skip for this user", "👎 pass on it", "跳过吧"): the imperative's no.
_PASS_OVER = (r"^\W*(?:(?:i'd|i would|would|just|def|definitely)\s+)*(?:skip|pass(?: on)?|hide|bury|scroll past|"
              r"(?:filter|leave|keep) (?:it|this|that)(?: one| post)? out)\b" + _FEED_OBJECT + r"\W*$|"
              r"^\W*(?:跳过|略过|划走|划过|过滤掉|屏蔽)(?:[吧啊了的]|这条|这篇|它)*\W*$")
_NEG_ZH = re.compile(r"(?:不错|不少|不断|不久|不同|不过|不管|不论|不禁|不满|不安|不然|不如|非常|非凡|非得|无论|无需|无须|未来|别人|别的|无法|"
                     r"无关|没想到)|([不没无非未别])")
_NEG_EN = re.compile(r"\b(?:not|never|no|nor|neither|hardly|barely|cannot|unlikely|doubt|doubts|doubtful|rarely|seldom|"
                     r"nothing|nobody|none of|no one|zero)\b|n't\b|"
                     r"\b(?:someone else|another (?:user|person|account)|a different (?:user|person)|other users?)\b")
#: Another author named in place of the asked user counts as a negation ("其他用户发表的").
_OTHER_ZH = re.compile(r"别人|其他用户|另一(?:个|位)?用户|他人")


def _negations(text: str) -> int:
    zh = sum(1 for m in _NEG_ZH.finditer(text) if m.group(1))
    return zh + len(_NEG_EN.findall(text)) + len(_OTHER_ZH.findall(text))


@lru_cache(maxsize=None)
def _bare_words() -> dict[str, str]:
    """Each bare yes/no word, as written and without its spaces (the filler-stripped residue of a
    clause has none), -> its label."""
    return {form: label for label, words in BARE["yesno"].items() for w in words for form in (w, w.replace(" ", ""))}


def yesno(clause: str) -> str | None:
    """'yes', 'no', UNCLEAR or None (the clause says nothing about the verdict)."""
    c = clause.strip()
    bare = _bare_words()
    if (label := bare.get(c.strip(" .!,。！，\"'“”"))) is not None:
        return label
    if _MAYBE.match(c):
        return UNCLEAR
    residual = _FILLERS.sub("", c)
    if (label := bare.get(residual)) is not None:
        return label
    if not residual and _LIKELY.search(c):
        return "yes"
    if _NOT_NECESSARILY.search(c):
        return UNCLEAR
    cue = _cue(c)
    if cue is None:
        return None
    end, extra = cue
    return "no" if (_negations(c[:end]) + extra) % 2 else "yes"


#: (cue, negations it carries): a stated low likelihood, a self-standing cue, an imperative, a
#: modal before an asked verb (Chinese, English, and mixed: "不会 comment").
_CUES = tuple((re.compile(pattern), extra) for pattern, extra in (
    (_SELF_NO, 1), (_SELF_YES, 0), (_IMPERATIVE, 0), (_PASS_OVER, 1), (rf"{_MODAL_ZH}(?:[^，,。]{{0,12}}?){_VERB_ZH}", 0),
    (rf"{_MODAL_EN}(?:\s+\S+){{0,4}}?\s+{_VERB_EN}", 0), (rf"{_MODAL_ZH}\s*{_VERB_EN}", 0)))


def is_bare_act(text: str) -> bool:
    """Whether the text is only the asked act, maybe negated ("recommend", "不推荐", "don't show it")."""
    return bool(_IMPERATIVE_RE.match(text.strip()))


_IMPERATIVE_RE = re.compile(f"{_IMPERATIVE}|{_PASS_OVER}")


def _cue(c: str) -> tuple[int, int] | None:
    """(end of the first verdict cue, negations the cue itself carries); negations before the
    end count toward the polarity."""
    found = [(m.start(), m.end(), extra) for pattern, extra in _CUES if (m := pattern.search(c))]
    if not found:
        return None
    start, _, end, extra = min((f[0], -f[2], f[1], f[2]) for f in found)
    return end, extra


# ---- emotion and MID --------------------------------------------------------------------------

_NEG_BEFORE_ZH = re.compile(r"(?:不是|并非|并不|不|没有|没|毫无|无|非|不算|谈不上|称不上|算不上|说不上)(?:很|太|特别|十分|那么|什么|感到|觉得|是|有|带有|表现出|明显的?|任何)?"
                            r"(?:一条|一个|一则|一种)?\s*$|"
                            # "我不能说它是谣言", "不认为这是谣言": the negation scopes over a reported verdict
                            r"(?:不能|不应该?|不宜|不该|不会|没法|无法|不可能|很难|不敢|不必|不用)(?:被)?(?:说|认为|断定|认定|判定|定性|视为|看作|归为|算作?|"
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
                            r"deem|deemed|regard|regarded|view|viewed|treat|treated|count|counted|as|it|this|that|is|was|been|it's))*\s*$|"
                            # "I don't see anything that would trigger anger": the negation reaches the evoked label
                            r"(?:\bnot?\b|n't\b|\bnothing\b|\bnever\b|\bwithout\b)[^,.;:]{0,40}?\b(?:trigger|triggers|suggest|suggests|"
                            r"indicate|indicates|signal|signals|signs? of|hint of|trace of|cause|causes|evoke|evokes|provoke|provokes)\b"
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

