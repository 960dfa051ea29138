"""Label vocabularies of the classification tasks, in Chinese and English.

Words are matched on cleaned text (NFKC, lower case, markdown removed; see extract.py). Gold
labels from SoMe's files (是/否, 积极 ...) and ours (yes/no, positive ...) both normalise through
`normalise_gold`.
"""

from __future__ import annotations

from ..schemas.tasks import TASKS

#: task -> label kind, for every task whose answer is a class label (from the task table)
KIND: dict[str, str] = {code: spec.label_kind for code, spec in TASKS.items() if spec.label_kind}
#: label kind -> one task of that kind (the parser reads by kind; a task names it)
TASK_OF_KIND: dict[str, str] = {kind: task for task, kind in reversed(KIND.items())}

LABELS: dict[str, tuple[str, ...]] = {
    "yesno": ("yes", "no"),
    "emotion": ("positive", "angry", "sad", "fear", "surprise", "emotionless"),
    "mid": ("false", "half", "true"),
    "rumor": ("non-rumor", "rumor"),
}

#: A whole clause (after hedges and fillers are removed) that is a bare verdict.
BARE: dict[str, dict[str, tuple[str, ...]]] = {
    "yesno": {
        "yes": ("yes", "yeah", "yep", "y", "sure", "true", "correct", "definitely", "certainly", "absolutely", "likely",
                "almost certainly", "almost surely", "almost definitely", "very probably", "most probably",
                "是", "是的", "对", "对的", "会", "会的", "能", "肯定", "肯定的", "当然", "有可能", "可能", "很可能", "大概率",
                "yes it will", "yes they will", "yes he will", "yes she will", "it will", "they will", "he will", "she will",
                "will", "would", "they would", "probably", "most likely", "very likely", "highly likely", "positive",
                "affirmative", "i think so", "i believe so", "think so", "yup", "recommend", "recommended", "i'd say so", "i would say so", "i expect so", "肯定会", "当然会", "一定会", "应该会", "可能会", "很可能会", "会点赞", "会转发", "会评论"),
        "no": ("no", "nope", "n", "not", "not really", "never", "false", "incorrect", "unlikely", "very unlikely",
               "highly unlikely", "否", "不", "不是", "不会", "不会的", "不对", "并不会", "没有", "不太可能", "不可能", "不大可能",
               "it won't", "they won't", "he won't", "she won't", "won't", "will not", "wouldn't", "would not",
               "probably not", "likely not", "most likely not", "no it won't", "no they won't", "negative", "否定",
               "否定的", "应该不会", "可能不会", "大概率不会", "不太会", "不会点赞", "不会转发", "不会评论", "no way",
               "not at all", "i don't think so", "don't think so", "i do not think so", "nah", "i doubt it", "doubt it",
               "i don't believe so", "don't believe so", "i don't expect so", "i wouldn't think so", "skip", "not likely", "not recommended", "no recommendation", "don't recommend", "do not recommend", "我不这么认为", "我不这样认为", "definitely not", "certainly not", "absolutely not", "of course not", "当然不会", "绝对不会",
               "don't", "do not", "i wouldn't", "i would not",
               # the act denied, the author named as another, the post kept from the user
               "no like", "no likes", "no repost", "no reposts", "no interaction", "no engagement", "no share",
               "someone else", "somebody else", "another user", "not the user", "not her", "not him", "not hers", "not his",
               "not theirs", "not for her", "not for him", "not for them", "not for this user", "not for the user",
               "别人", "不是她", "不是他", "不是本人", "非本人", "不适合她", "不适合他",
               "different person", "a different person", "a different user", "different author", "a different author",
               "not the same person", "not the same author", "not the same user", "not the same writer", "另有其人", "almost certainly not", "very probably not"),
    },
    "emotion": {
        "positive": ("积极", "正面", "正向", "开心", "高兴", "快乐", "喜悦", "喜爱", "乐观", "兴奋", "幸福", "感动", "欣慰",
                     "愉快", "欢乐", "赞赏", "自豪", "骄傲", "期待", "祝福",
                     "positive", "happy", "happiness", "joy", "joyful", "excited", "excitement", "love", "delighted", "delight",
                     "pleased", "glad", "cheerful", "grateful", "gratitude", "proud", "pride", "admiration", "hopeful",
                     "enthusiastic", "optimistic", "appreciative", "positivity", "approval", "cheer", "celebrate", "thrilled", "激动"),
        "angry": ("愤怒", "生气", "气愤", "恼怒", "愤慨", "不满", "恼火", "愤恨", "暴怒", "怒火", "怒", "厌恶", "反感", "憎恨",
                  "气炸", "气死", "火大", "抓狂", "暴躁", "怒不可遏",
                  "angry", "anger", "furious", "annoyed", "rage", "outraged", "outrage", "irritated", "indignant",
                  "indignation", "frustrated", "frustration", "resentment", "disgust", "disgusted", "mad", "hostile"),
        "sad": ("悲伤", "难过", "伤心", "悲痛", "沮丧", "失望", "哀伤", "痛心", "心痛", "惋惜", "遗憾", "悲哀", "哀悼", "心疼",
                "悲", "sad", "sadness", "sorrow", "grief", "grieving", "upset", "disappointed", "disappointment", "heartbroken",
                "mournful", "mourning", "mourn", "sympathy", "sorrowful", "regret", "melancholy", "depressed", "unhappy"),
        "fear": ("恐惧", "害怕", "恐慌", "惊恐", "担忧", "担心", "不安", "焦虑", "畏惧", "可怕", "后怕", "fear", "afraid",
                 "scared", "fearful", "anxious", "anxiety", "worried", "worry", "terrified", "frightened", "panic",
                 "concerned", "concern", "nervous", "dread", "alarmed"),
        "surprise": ("惊奇", "惊讶", "吃惊", "震惊", "意外", "惊叹", "诧异", "惊喜", "没想到", "吃一惊", "surprise", "surprised",
                     "astonished", "astonishment", "amazed", "amazement", "shocked", "shock", "stunned", "unexpected",
                     "disbelief"),
        "emotionless": ("无情绪", "没有情绪", "无情感", "没有情感", "无情感色彩", "没有情感色彩", "没有任何情感色彩", "没有任何情感", "无明显情绪", "没有明显情绪", "无明显情感", "没有明显的情绪", "没有明显情感",
                        "中性", "中立", "平静", "客观", "无感", "冷静", "平淡", "情绪平稳", "没什么情绪", "不带情绪", "无",
                        "emotionless", "neutral", "no emotion", "no obvious emotion", "no clear emotion", "no particular emotion",
                        "none", "no strong emotion", "without emotion", "calm", "indifferent", "objective", "no emotions",
                        "no emotional", "not emotional", "emotionally neutral", "matter-of-fact", "detached", "not be emotional", "unemotional", "calmly",
                        "without any strong emotion", "without any emotion", "without strong emotion", "without emotion",
                        "不会有明显情绪", "不会有明显的情绪", "不会有什么情绪", "不会有任何情绪", "不会有情绪", "没有任何情绪",
                        "no feelings", "no strong feelings", "won't feel anything", "no particular feeling", "no particular feelings",
                        "no feeling", "no strong feeling", "no real emotion", "no real feelings", "无感觉", "没什么感觉", "没有感觉"),
    },
    "mid": {
        "false": ("假", "虚假", "错误", "不实", "谣言", "不真实", "不正确", "不属实", "完全错误", "假的", "假新闻", "捏造", "失实",
                  "完全虚假", "false", "pants-fire", "pants on fire", "fake", "untrue", "incorrect", "inaccurate", "fabricated",
                  "wrong", "completely false", "totally false", "entirely false", "misinformation", "a lie", "baseless",
                  "not true", "not accurate", "not correct", "debunked", "unfounded"),
        "half": ("半真", "半真半假", "部分真实", "部分正确", "部分属实", "真假参半", "一半", "误导", "有误导性", "部分错误", "部分不实",
                 "不完全属实", "不完全正确", "不完全真实", "基本不实", "大部分错误", "大体错误",
                 "half", "half-true", "half true", "barely-true", "barely true", "partially true", "partly true", "mixed",
                 "mostly false", "mostly-false", "misleading", "partly false", "partially false", "mixture", "half-truth",
                 "partially accurate", "partly accurate", "somewhat true", "not entirely true", "not completely true",
                 "not wholly true", "not fully true", "not entirely accurate", "not completely accurate", "not entirely false",
                 "not completely false", "largely false", "half right", "partly right", "partly wrong", "partially right",
                 "partially wrong", "部分对", "对了一半", "说对一半", "说对了一半", "一半对", "半对半错", "lacks context", "missing context", "needs context"),
        "true": ("真", "真实", "正确", "属实", "准确", "真的", "基本属实", "大体属实", "基本正确", "基本真实", "大部分属实", "可信",
                 "true", "mostly-true", "mostly true", "accurate", "correct", "mostly accurate", "largely true",
                 "largely accurate", "mostly correct", "factual", "verified", "legit", "genuine", "truthful"),
    },
    "rumor": {
        "rumor": ("谣言", "是谣言", "属于谣言", "是", "是的", "虚假", "不实", "rumor", "rumour", "a rumor", "a rumour", "yes", "fake",
                  "假消息", "假新闻", "虚假信息", "虚假消息", "不实信息", "不实消息", "编造", "捏造", "造谣", "谣传", "不属实", "失实",
                  "misinformation", "disinformation", "fake news", "hoax", "fabricated", "false information", "false news",
                  "made up", "a fabrication", "fabrication", "false", "untrue", "not true", "inaccurate"),
        "non-rumor": ("非谣言", "不是谣言", "不属于谣言", "否", "不是", "属实", "真实", "non-rumor", "non-rumour", "not a rumor",
                      "not a rumour", "no", "not rumor", "真消息", "真新闻", "真实信息", "真实消息", "真实可靠", "可信", "确有其事", "是真的",
                      "credible", "authentic", "genuine", "legitimate", "legitimate news", "real news", "true information", "true news", "accurate information",
                      "factual"),
    },
}

#: Colloquial and idiomatic verdicts (没戏, 胡说八道, nah, 毫无波澜), kept apart from the label words
#: above so each can be judged on its own: every one states its label outright, none is a hint.
COLLOQUIAL: dict[str, dict[str, tuple[str, ...]]] = {
    "yesno": {
        "yes": ("yess", "yesss", "of course", "for sure", "totally", "def", "defo", "definitely yes", "100%", "必须的", "那必须", "那肯定", "必然", "必然会", "那是肯定的",
                "i wouldn't bet against it", "wouldn't bet against it", "confirmed", "本人", "该用户", "用户本人", "该用户本人",
                "本人所写", "是本人", "是本人写的", "出自本人"),
        "no": ("没戏", "没门", "门都没有", "没可能", "不可能的", "想都别想", "no chance", "not a chance", "fat chance", "hard pass",
               "not gonna happen", "no interaction", "no interaction expected", "跳过", "不转发", "不点赞", "不评论", "不回复",
               "非本人", "非本人评论", "非本人所写", "不是本人", "不是同一个人", "不是同一人", "别人写的", "是别人写的", "不是他写的"),
    },
    "emotion": {
        "emotionless": ("毫无波澜", "无动于衷", "漠不关心", "不在乎", "无所谓", "apathetic", "apathy", "unmoved", "shrug"),
        "angry": ("enraged", "livid", "fuming", "pissed", "pissed off", "incensed", "火冒三丈", "气坏", "炸毛"),
        "sad": ("失落", "心酸", "低落", "伤感", "难受", "心碎", "devastated", "gutted", "crushed", "heartbreaking"),
        "fear": ("惶恐", "吓坏", "吓到", "freaked out", "spooked", "petrified"),
        "surprise": ("惊呆", "不敢相信", "blown away", "taken aback", "caught off guard"),
    },
    "mid": {
        "false": ("与事实不符", "不符合事实", "不是事实", "胡说八道", "一派胡言", "胡扯", "扯淡", "瞎扯", "无稽之谈", "子虚乌有", "纯属虚构", "纯属捏造", "没这回事",
                  "根本没这回事", "nonsense", "bogus", "total nonsense", "complete nonsense", "hogwash", "bunk"),
        "true": ("是事实", "符合事实", "与事实相符", "没毛病", "没问题", "站得住脚", "holds up", "checks out"),
        "half": ("只有一部分说对", "只有一部分说对了", "一部分说对了", "只说对了一部分", "说对了一部分", "half right, half wrong"),
    },
    "rumor": {
        "rumor": ("假的", "胡说八道", "子虚乌有", "无稽之谈", "没这回事", "别信", "不要信", "nonsense", "bogus", "hoax"),
        "non-rumor": ("真的", "准确", "是准确的", "确有此事", "已证实", "官方已经证实", "经过核实", "核实无误", "accurate",
                      "confirmed", "verified"),
    },
}
for _kind, _by_label in COLLOQUIAL.items():
    for _label, _words in _by_label.items():
        BARE[_kind][_label] = BARE[_kind][_label] + tuple(w for w in _words if w not in BARE[_kind][_label])

#: Words matched in a clause only as whole-answer verdicts (too common inside sentences).
BARE_ONLY = {"emotion": {"none", "无", "怒", "悲", "calm", "objective", "客观", "concern", "concerned"},
             "mid": {"真", "假", "一半", "half", "verified", "legit", "mixed"},
             "rumor": {"是", "是的", "否", "不是", "yes", "no", "fake", "真的", "假的", "准确", "confirmed", "verified", "legitimate"},
             "yesno": {"本人", "该用户", "用户本人"}}

#: Emoji that state one label when they are the whole answer (or lead it): a tick or a cross for
#: yes/no, and the faces whose emotion is unambiguous.
EMOJI: dict[str, dict[str, tuple[str, ...]]] = {
    "yesno": {"yes": ("✅", "✔️", "✔", "✓", "👍"), "no": ("❌", "✖️", "✗", "✘", "👎", "🚫")},
    "emotion": {"angry": ("😡", "🤬", "😠"), "sad": ("😢", "😭", "😞"), "fear": ("😨", "😱", "😰"),
                "surprise": ("😮", "😲", "😯"), "positive": ("😊", "😄", "😁", "🥰", "😍")},
}
for _kind, _by_label in EMOJI.items():
    for _label, _marks in _by_label.items():
        BARE[_kind][_label] = BARE[_kind][_label] + _marks
        BARE_ONLY.setdefault(_kind, set()).update(_marks)

#: SoMe's Chinese gold labels and LIAR's 6-way labels -> ours.
GOLD_ALIASES: dict[str, str] = {
    "是": "yes", "否": "no", "积极": "positive", "愤怒": "angry", "悲伤": "sad", "恐惧": "fear", "惊奇": "surprise",
    "无情绪": "emotionless",
    "pants-fire": "false", "barely-true": "half", "half-true": "half", "mostly-true": "true",
}


#: Per label kind: the words a gold file may use for our labels. Our mid-zh export writes SoMe's
#: MID vocabulary so SoMe's MID scoring reads it unchanged (a rumour is "false"); its `veracity`
#: field keeps CED's word.
KIND_GOLD_ALIASES: dict[str, dict[str, str]] = {
    "rumor": {"false": "rumor", "true": "non-rumor", "rumour": "rumor", "non-rumour": "non-rumor",
              "谣言": "rumor", "非谣言": "non-rumor"},
}


def normalise_gold(task: str, label: str) -> str:
    """A gold label in our vocabulary; raises ValueError for a label outside it."""
    stripped = label.strip()
    value = KIND_GOLD_ALIASES.get(KIND[task], {}).get(stripped.lower()) or GOLD_ALIASES.get(stripped, stripped.lower())
    if value not in LABELS[KIND[task]]:
        raise ValueError(f"{task}: gold label {label!r} is not one of {LABELS[KIND[task]]}")
    return value
