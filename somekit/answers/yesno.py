"""The yes/no verdict of one clause (UBP, UCS, MCR), with negation and hedges scoped to that clause.

A clause decides when it is a bare verdict ("probably not", "不会"), or names the asked behaviour
with a modal ("will like", "会转发"), or carries a self-standing cue ("is interested",
"是该用户发表的", "可能性较低"), or is the feed act itself, maybe negated ("推荐。", "don't show it",
"skip for this user"). Its polarity is the parity of the negations before the cue, so "I don't
think the user will like it" is no and "不是很可能会点赞" is no.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .labels import BARE

UNCLEAR = "?"   # a clause that hedges without deciding ("不一定", "maybe", "not necessarily")

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
_IMPERATIVE = (rf"^\W*(?:强烈|果断|直接|可以|建议)?(?:不建议|不|别|不要|不用|没必要|要|得|必须|该|值得)?\s*{_VERB_ZH}(?:[吧啊了的]|这条|这篇|它|给他|给她)*\W*$|"
               r"^\W*(?:(?:ya|yeah|yes|def|defo|definitely|totally|absolutely|really|just|i'd|i would|would|i'm|i am)\s+)*"
               r"(?:(?:do not|don't|never|not)\s+)?(?:recomm?end|show|surface|push|serve|engage|interact|repost|retweet|put|slot)(?:ing)?\b"
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
