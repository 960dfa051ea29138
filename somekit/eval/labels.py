"""Label vocabularies of the classification tasks, in Chinese and English.

Each label has synonyms (exact words an answer may use) and cues (phrases that imply it inside a
sentence). Gold labels from SoMe's files (是/否, 积极 ...) and ours (yes/no, positive ...) both
normalise through `normalise_gold`.
"""

from __future__ import annotations

#: task -> label kind
KIND: dict[str, str] = {"ubp": "yesno", "ucs": "yesno", "mcr": "yesno", "uea": "emotion", "mid": "mid", "mid-zh": "rumor"}

LABELS: dict[str, tuple[str, ...]] = {
    "yesno": ("yes", "no"),
    "emotion": ("positive", "angry", "sad", "fear", "surprise", "emotionless"),
    "mid": ("false", "half", "true"),
    "rumor": ("non-rumor", "rumor"),
}

#: Whole-answer synonyms (matched against the entire stripped answer, or right after a marker
#: such as "答案：" / "Answer:"). Single characters are safe only here.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "yesno": {
        "yes": ("是", "是的", "对", "会", "会的", "肯定", "肯定的", "可能会", "yes", "y", "true", "correct", "likely", "will"),
        "no": ("否", "不是", "不会", "不对", "否定", "否定的", "不", "no", "n", "false", "incorrect", "unlikely", "won't", "will not"),
    },
    "emotion": {
        "positive": ("积极", "正面", "正向", "开心", "高兴", "快乐", "喜悦", "喜爱", "乐观", "兴奋", "幸福", "感动", "支持",
                     "positive", "happy", "happiness", "joy", "joyful", "excited", "excitement", "love", "delighted"),
        "angry": ("愤怒", "生气", "气愤", "恼怒", "愤慨", "不满", "恼火", "angry", "anger", "furious", "annoyed", "rage", "outraged"),
        "sad": ("悲伤", "难过", "伤心", "悲痛", "沮丧", "失望", "哀伤", "sad", "sadness", "sorrow", "grief", "upset", "disappointed", "disappointment"),
        "fear": ("恐惧", "害怕", "恐慌", "惊恐", "担忧", "担心", "fear", "afraid", "scared", "fearful", "anxious", "anxiety", "worried", "worry"),
        "surprise": ("惊奇", "惊讶", "吃惊", "震惊", "意外", "惊叹", "surprise", "surprised", "astonished", "astonishment", "amazed", "shocked", "shock"),
        "emotionless": ("无情绪", "没有情绪", "无明显情绪", "没有明显情绪", "无明显情感", "没有明显的情绪", "中性", "中立", "平静", "客观",
                        "emotionless", "neutral", "no emotion", "no obvious emotion", "no clear emotion", "no particular emotion", "none"),
    },
    "mid": {
        "false": ("假", "虚假", "错误", "不实", "谣言", "不真实", "不正确", "不属实", "完全错误", "false", "pants-fire", "pants on fire",
                  "fake", "not true", "untrue", "incorrect", "mostly-false"),
        "half": ("半真", "半真半假", "部分真实", "部分正确", "部分属实", "真假参半", "一半", "half", "half-true", "half true", "barely-true",
                 "barely true", "partially true", "partly true", "mixed", "mostly false", "mostly-false",
                 "misleading", "partly false", "partially false", "mixture", "误导", "有误导性", "部分错误", "部分不实"),
        "true": ("真", "真实", "正确", "属实", "准确", "true", "mostly-true", "mostly true", "accurate", "correct"),
    },
    "rumor": {
        "rumor": ("谣言", "是谣言", "属于谣言", "是", "是的", "虚假", "不实", "rumor", "rumour", "a rumor", "a rumour", "yes", "fake"),
        "non-rumor": ("非谣言", "不是谣言", "不属于谣言", "否", "不是", "属实", "真实", "non-rumor", "non-rumour", "not a rumor",
                      "not a rumour", "no", "not rumor"),
    },
}

_VERBS_ZH = r"(?:点赞|赞|转发|评论|回复|发表|发布|发出|写下?|喜欢|感兴趣|互动|关注|参与|推荐|看|阅读|浏览)"
_VERBS_EN = r"(?:like|repost|share|comment|reply|engage|interact|be interested|enjoy|read|click|retweet)"

#: In-sentence cues (regular expressions) for yes/no questions: "会点赞" / "won't repost".
CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "yesno": {
        "yes": (rf"(?:很可能|大概率|应该|可能|愿意|会)+(?:会)?(?:去)?{_VERBS_ZH}", r"可能性(?:较|很|比较|非常)?(?:大|高)",
                r"(?<![不没])感兴趣", r"是(?:该|这位|此)?用户(?:本人)?(?:发表|发布|写)的",
                rf"\b(?:will|would|is likely to|likely to|probably|is going to)\s+(?!not\b|never\b)(?:\w+\s+){{0,2}}?{_VERBS_EN}",
                r"\b(?:is|are) interested\b", r"\b(?:was|is|were) (?:written|posted|made|sent) by (?:this|the same|the) user\b",
                r"(?:认为|觉得|应该|我想|可能|也许|大概|估计)会(?:的)?(?=$|[，。,.!！；;\s])"),
        "no": (rf"(?:不太可能|不大可能|不可能|不会|并不会|应该不会|大概率不会|不太会|没有|不|没)(?:会)?(?:去)?{_VERBS_ZH}",
               r"不太可能|不大可能|可能性(?:较|很|比较|非常)?(?:小|低)", r"不感兴趣|没有兴趣|没兴趣", r"不是(?:该|这位|此)?用户(?:本人)?(?:发表|发布|写)的",
               rf"\b(?:will not|won't|would not|wouldn't|unlikely to|not likely to|does not|doesn't|did not|didn't|is not going to)\s+(?:\w+\s+){{0,2}}?{_VERBS_EN}",
               r"\bnot interested\b", r"\bunlikely\b", r"\b(?:was|is|were) not (?:written|posted|made|sent) by\b",
               r"\b(?:didn't|did not|doesn't|does not) (?:write|post)\b",
               r"(?:认为|觉得|应该|我想|大概率)?不会(?:的)?(?=$|[，。,.!！；;\s])"),
    },
}

#: Answers that decline to answer: they count as not completed and are not sent to the LLM.
UNANSWERABLE = (
    r"无法(?:判断|确定|得知|回答|预测|推断|给出|识别|做出)", r"不能(?:确定|判断)", r"难以(?:判断|确定)", r"不确定", r"信息不足",
    r"没有足够(?:的)?(?:信息|数据|证据)", r"不知道", r"抱歉",
    r"\bcannot (?:determine|tell|say|be determined|answer|decide|predict)", r"\bcan't (?:determine|tell|say|answer|decide)",
    r"\bunable to (?:determine|tell|say|answer|decide)", r"\b(?:not enough|insufficient) (?:information|data|evidence)",
    r"\bi (?:don't|do not) know\b", r"\bnot sure\b", r"\bimpossible to (?:tell|say|determine)", r"\bsorry\b",
)

#: Phrases that introduce the final answer; the label right after the last one wins.
MARKERS = (
    r"(?:最终)?(?:答案|回答|结论|判断|预测|预测结果|判断结果|结果|情绪|情感|情绪类别|情感类别|标签|分类)(?:应该|应当|可能)?(?:是|为)?\s*[:：]?",
    r"\b(?:final answer|answer|prediction|label|emotion|sentiment|verdict|conclusion|classification|rating)\b\s*(?:is|would be|should be|[:=\-])*",
)

#: A negation right before a label cancels it ("不愤怒", "not happy").
NEGATION_BEFORE = r"(?:不|没有|并非|不是|并不|毫无|\bnot\s+|\bno\s+|\bisn't\s+|\bwasn't\s+|\bnever\s+)$"

#: SoMe's Chinese gold labels -> ours.
GOLD_ALIASES: dict[str, str] = {
    "是": "yes", "否": "no", "积极": "positive", "愤怒": "angry", "悲伤": "sad", "恐惧": "fear", "惊奇": "surprise",
    "无情绪": "emotionless",
    "pants-fire": "false", "barely-true": "half", "half-true": "half", "mostly-true": "true",
}


def normalise_gold(task: str, label: str) -> str:
    """A gold label in our vocabulary; raises ValueError for a label outside it."""
    value = GOLD_ALIASES.get(label.strip(), label.strip().lower())
    if value not in LABELS[KIND[task]]:
        raise ValueError(f"{task}: gold label {label!r} is not one of {LABELS[KIND[task]]}")
    return value
