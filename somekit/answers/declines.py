"""Answers that give no verdict, and so no label and no fallback guess (extract.py reads them).

UNANSWERABLE  declines: "无法判断", "I cannot determine", handing the call on ("not up to me"),
              asking for more ("I'd need their history to decide"), both outcomes called fine,
              a tool still running or failed;
BOTH_WAYS     answers that keep both outcomes open: "might or might not", "会还是不会",
              "X or not X" in any wording;
HARNESS_ERRORS what SoMe's harness writes when the agent crashed.
"""

from __future__ import annotations

import re

#: A conclusion withheld in so many words ("我这里不给出结论", "不适合用真、假来评级", "I won't give a
#: verdict"): when the answer's last sentence says it, the labels named in that sentence are the
#: scale it declines, not a verdict.
WITHHELD = re.compile(
    r"不(?:给出?|下|作出?|做出?|予)(?:任何)?(?:明确的?|确定的?)?(?:结论|判断|评级|标签|定论|定性|判定)|不予置评|不适合(?:用|以|拿|按)[^。;；,，]{0,24}?(?:评级|评判|打标签|判定|归类|衡量)|"
    # ("I won't give a rating of true to ..." rejects one grade; it withholds none)
    r"\b(?:i(?:'ll| will)?|we(?:'ll| will)?) (?:not|won't|will not) (?:give|offer|assign|issue) (?:a |any )?(?:verdict|label|rating|grade|answer)\b(?!\s+(?:of|as)\b)|"
    r"\b(?:doesn't|does not|don't|do not) fit (?:on )?(?:a |the |any )(?:true[/ -]?(?:or )?false |three-point |rating )?scale\b")

#: Answers that decline to answer: not completed, and not worth an LLM call.
UNANSWERABLE = re.compile(
    "(?:" + WITHHELD.pattern + ")|"
    r"无法(?:判断|确定|得知|回答|预测|推断|给出|识别|做出|判定|得出)|"
    # the judgement declined with its object between: "无法对该内容进行真实性判断", "I can't assess this claim"
    r"(?:无法|不能|没法|难以)(?:对|就)[^。;；]{1,24}?(?:进行|作出|做出|给出)?[^。;；]{0,8}?(?:判断|判定|评估|评级|鉴定|核实)|"
    r"\b(?:can't|cannot|can not|unable to|not able to) (?:assess|evaluate|rate|judge|classify|label)\b|不能(?:确定|判断)|难以(?:判断|确定|预测)|信息不足|数据不足|"
    r"没有足够(?:的)?(?:信息|数据|证据)|缺乏(?:足够的)?(?:信息|数据|证据)|不知道|抱歉|"
    r"\bcannot (?:determine|tell|say|be determined|answer|decide|predict|judge|verify)|\bcan't (?:determine|tell|say|answer|decide|predict)|"
    r"\bunable to (?:determine|tell|say|answer|decide|predict|verify)|\b(?:not enough|insufficient) (?:information|data|evidence)|"
    r"\bi (?:don't|do not) know\b|\bimpossible to (?:tell|say|determine)|\bsorry\b|\bno way to (?:tell|know)|"
    # asking for more instead of answering; a tool still running or failed: no verdict was given
    r"无法(?:核实|验证|证实|确认|查证|核查)|需要更多|请(?:提供|补充|重试)|需要(?:先)?(?:查看|查询|获取|了解|调用)|正在(?:调用|检索|查询|查看|加载|搜索|获取)|"
    r"暂(?:时)?不可用|为时(?:过|尚)早|"
    r"\b(?:don't|do not) have (?:enough |sufficient |any )?(?:information|data|access|context)|\bneed (?:more|additional) (?:information|data|context)|"
    r"\bcan't (?:make|give) (?:a |any )?(?:recommendation|prediction|judgement|judgment|call)|\bas an ai\b|\btoo early to (?:tell|say)|"
    r"\[error|\berror\s*:?\s*(?:\d{3}|tool)|\btool call\b[^.]*\bfailed|\btimed? ?out\b|^\W*loading\b|"
    # declining in other words: "我没法核实", "不好判断", "I'll abstain", "as a language model", "it depends on"
    r"(?:没法|没办法|不好|很难)(?:判断|确定|预测|核实|验证|回答|说|判定)|(?:要|(?<!值)得)看(?:用户|他|她|ta)?|取决于|视情况而定|我是\s*ai|作为(?:一个)?\s*ai|"
    r"\bas (?:a|an) (?:language model|ai model|ai assistant)\b|\b(?:i'll|i will|i must|i have to|i'd rather) (?:abstain|refrain|pass)\b|"
    r"\brefrain from\b|\bi won't (?:guess|predict|speculate)\b|\bcan(?:'t|not) settle\b|\bit depends\b|\bdepends on (?:whether|how|what|the)\b|"
    r"\b(?:i'd|i would) need (?:to|more)\b|\b(?:hard|difficult|tough) to (?:call|say|judge)\b(?! (?:no|yes)\b)|\bisn't something i can\b|"
    # no access, a crash: "unable to access Weibo", "调用失败", a Python traceback
    r"\bunable to (?:access|verify|check|fact-check|read|complete)\b|\bcan(?:'t|not) (?:access|fact-check|verify|check|read)\b|"
    r"\btraceback \(most recent call last\)|无法(?:完成|访问|读取|获取)|(?:调用|请求)[^。]{0,24}失败|\bleave (?:this|it) (?:open|undecided|unanswered)\b|"
    # the call handed to someone else, or more input asked for first: "not up to me", "I'd need their history to decide"
    r"\bnot (?:by|up to) me\b|\bnot my (?:call|decision|place)\b|\bleave (?:this|it|that)(?: one| call| decision)? to\b|"
    r"\b(?:i|we)(?:'d| would| will|'ll)? need\b[^.;!?]{0,80}?\bto (?:decide|determine|tell|judge|answer|say|assess|make (?:a|the|this) call)\b|"
    r"\bto (?:decide|determine|tell|judge|assess)\b[^.;!?]{0,60}?\b(?:i|we)(?:'d| would)? need\b|\bplease (?:provide|share|send|supply|give me)\b|"
    r"需要[^。;]{0,30}(?:才能|才可以|来)(?:判断|确定|决定|回答)|"
    # both outcomes called acceptable: "推荐与否都说得过去", "either answer is defensible"
    # no verdict offered in so many words: "I can't give a yes or a no", "won't commit to a label", "给不出结论"
    r"\b(?:can't|cannot|can not|won't|will not|unable to|not able to|couldn't|wouldn't) (?:give|offer|provide|commit to|settle on|make|land on|pick) "
    r"(?:you )?(?:a |an |any |either |one )?(?:yes or (?:a )?no|(?:firm |clear |definite |confident |honest |real )?(?:verdict|answer|label|call|side|rating|grade))\b|"
    r"^\W*no (?:prediction|verdict|call|label|rating|judgement|judgment|decision|answer)\b(?! (?:is|would be)\b)|"
    r"暂不(?:判断|预测|判定|评级)|不(?:作|做|予)(?:判断|预测|判定|评级)|给不出|(?:没法|无法|不能)(?:给出?|下)(?:明确的?|确定的?)?(?:答案|结论|判断|标签|定论)|下不了(?:结论|判断|定论)|"
    r"都(?:说得过去|有道理|站得住)|\b(?:both|either)(?: \w+){0,2} (?:is|are|would be|seems?) (?:defensible|justifiable|reasonable|fine|plausible)\b")
#: What SoMe's harness writes when the agent crashed: not an answer.
HARNESS_ERRORS = {"error", "运行错误", "错误"}

#: Answers that keep both outcomes open ("might or might not", "可能是，也可能不是").
BOTH_WAYS = re.compile(r"\b(?:might|may|could|will|would) or (?:might|may|could|will|would) not\b|\bor (?:might|may) not\b|"
                        r"(?<!\bfeeling )(?<!\bfeelings )(?<!\bemotion )(?<!\bemotions )\beither way\b|\bcould be (?:true|yes) or (?:false|no)\b|\b(?:true|yes) or (?:false|no)\b|"
                        r"可能(?:是|会)[^。.]{0,12}也(?:有)?可能不(?:是|会)|可能会也可能不会|是也不是|"
                        # "有可能是谣言，也有可能是真的", "可能开心也可能难过": two outcomes side by side
                        r"(?:有)?可能[^。.;!?]{1,16}?[,，]?\s*也(?:有)?可能|\bsomewhere between [^.;!?]{1,30} and\b|介于[^。.]{1,16}之间|"
                        r"\b50 ?/ ?50\b|\bfifty[- ]fifty\b|\btoss[- ]up\b|\bcoin[- ]?flip\b|\binconclusive\b|\bcan't decide between\b|"
                        r"\b(?:could|might|may) (?:be|go) [^.;!?]{0,40}\bor\b|"
                        # for and against both refused: "neither recommend nor advise against", "既不推荐也不反对"
                        r"\bneither (?:\w+ ){0,2}nor (?:\w+ ){0,2}(?:against|discourage|oppose|reject|not|the opposite|hide|skip|bury|block|ignore|suppress|demote)\b|\bneither for nor against\b|"
                        r"\bneither (?:a )?yes nor (?:a )?no\b|既不\S{1,4}也不(?:反对|否定|拒绝|排斥)|不(?:支持|推荐)也不反对|"
                        r"\b(?:probably|maybe|perhaps)\W+(?:maybe|perhaps|probably) not\b|说不准|拿不准|吃不准|说不清|五五开|一半一半|不好说|"
                        # "X or not X" in any wording: "interested or not interested", "会还是不会", "是或不是"
                        r"\b(\w{3,}) or not (?:\w+ )?\1\b|(\S{1,4})(?:还是|或者?|或是)不\2|\byes and no\b|"
                        # "could be theirs, could be a copycat": two possibilities side by side
                        r"\b(could|might|may) be\b[^.;!?]{1,40}[,;] (?:or )?(?:it )?\3 be\b|"
                        # "some parts accurate, others not", "can't say which way it leans": no side taken
                        r"\bsome\b[^.;!?]{0,60}?\b(?:and|while|but|,) (?:others|other parts|the rest)\b|"
                        r"\b(?:can't|cannot|can not|not|hard to|unable to) (?:say|tell|know|determine|see) which way\b|"
                        r"(?:说不出|看不出|不好说|难说)(?:[^。]{0,6})(?:偏向|倾向)哪")
