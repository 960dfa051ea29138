"""Chinese names that jieba cuts apart, found by the words around them (context cues).

jieba's segmentation of a name it has never seen is erratic: 魏国 / 栋, 崔 / 立新, 去段 / 晨家,
谢 / 永年. Reading characters instead of jieba's words, a surname followed by one or two given
characters is a name when the sentence treats it as a person:

- a cue before it: a preposition or conjunction that takes a person (和 跟 与 同 给 问 让 叫 请
  陪 替 向 对 找 据 听 被 帮; not 把, whose object is mostly a thing: 把钱, 把路), a verb of meeting or address (恭喜 感谢 谢谢 多亏 梦见 碰到 遇到
  见到 想念 致敬 收到 ...), or a role or kinship noun in apposition (同事 室友 表姐 班长 老板 主力 发言人 ...);
  hearsay or praise (听说 据说 没想到 夸) only before a candidate that opens with no dictionary word;
- a cue after it: a title (老师 同学 先生 女士 医生 经理 教练 大爷 ...), a verb of speech (说 讲
  问 告诉 透露 ...), 家 (someone's home), 一起;

and the other side of the candidate is a boundary: the start of the text or a punctuation mark,
or a word jieba tags as a verb, adverb, particle, preposition, time or numeral. A three-character
candidate at a boundary on both sides (魏国栋做的..., 长孙悦是...) needs no cue: three characters
opening with a surname that are no word are a name far more often than not.

Guards against common words that start with a surname character (高中, 金融, 向南, 时间):
wordfreq's Chinese frequency of the candidate and of its first two characters. Surname
characters are the census list of names_zh.py plus the one-character words jieba's own
dictionary tags as person names (乜 亓 仉 訾 逄 郦 蒯 鞠 ...: rarer surnames).
"""

from __future__ import annotations

import functools
import os
from typing import Any, Callable

#: wordfreq Zipf (log10 per billion words): a candidate this frequent is a word (向南 4.0, 高中
#: 4.8), not a private person's name (孙立军 2.2, 胡欣然 2.2; famous names run to ~3.5).
WORD_ZIPF = 3.5
#: The first two characters of a three-character candidate: 罗海 3.55 and 金宝 3.55 start
#: names, 高中 4.8 and 时间 5.9 do not.
PREFIX_ZIPF = 4.0
#: A three-character candidate with no cue at all must be rarer still.
UNCUED_ZIPF = 2.6
LEFT_CUES = tuple(sorted(set(
    "和 跟 与 同 给 帮 问 让 叫 请 陪 替 向 对 找 据 听 被 喊 等 "
    "恭喜 感谢 谢谢 多亏 多亏了 梦见 碰到 遇到 见到 看到 想念 致敬 收到 认识 告诉 通知 提醒 祝 祝福 支持 "
    "同事 同学 室友 朋友 闺蜜 老婆 老公 男友 女友 表姐 表哥 表妹 表弟 堂姐 堂哥 堂妹 堂弟 哥哥 姐姐 弟弟 妹妹 "
    "班长 队长 组长 主任 校长 老师 邻居 舍友 学长 学姐 学弟 学妹 师兄 师姐 师弟 师妹 网友 博主 记者 "
    "选手 队友 搭档 老板 主力 领队 作者 发言人 主持人 嘉宾 面试官 负责人 实习生 译者 预报员 教练 医生 律师 "
    "经理 教授".split()), key=len, reverse=True))
#: Hearsay and praise before a name (听说何濛, 据说蔺婷婷, 没想到唐诗雅, 夸冯建国): they take a thing as
#: often as a person (听说黄焖鸡, 夸杨梅甜), so they find a name but, unlike LEFT_CUES, do not keep
#: one against the frames of things_zh.
HEARSAY_CUES = ("没想到", "听说", "据说", "夸")
RIGHT_CUES = tuple(sorted(set(
    "老师 同学 先生 女士 小姐 医生 大夫 护士 经理 总监 教练 师傅 大爷 大妈 阿姨 叔叔 奶奶 爷爷 老板 主任 "
    "教授 律师 警官 队长 班长 组长 博士 局长 书记 校长 总 哥 姐 同志 师兄 师姐 学长 学姐 "
    "妈妈 爸爸 哥哥 姐姐 弟弟 妹妹 老婆 老公 女儿 儿子 爷爷 奶奶 外婆 外公 男友 女友 "
    "说 讲 问 告诉 表示 透露 回答 回复 喊 笑着 笑道 提到 说过 家 一起".split()), key=len, reverse=True))
#: jieba's tags of a person's name (nr, and its transliterated and foreign-given forms).
PERSON_TAGS = ("nr", "nrt", "nrfg")
#: jieba tags of a word that may follow (or precede) a name: verbs, adverbs, particles,
#: prepositions, conjunctions, time words, numerals, pronouns.
_BOUNDARY_TAGS = frozenset("x w v vd vn vg d ad p c u uj ul uv ud ug uz t tg m mq r y zg".split())
#: Last characters of place, building and stall names (季阳村, 彭家弄, 龙潭岭, 张家院, 王府井, 包子铺), not of given names.
PLACE_ENDINGS = frozenset("村镇乡县市省区路街巷弄院屋岭坊园寺庙店铺摊馆厂站港湾岛塘角州城楼粉所队庄堡井")
#: jieba dictionary count from which a verb is too common to be a given name (取出 1077, 建新 39).
VERB_FREQ = 300
#: jieba dictionary count from which a one-character word is a function word or a common verb
#: that ends no name, even before a title (当 42694, 去 123402; 安 8837 and 陪 3654 may).
CHAR_WORD_FREQ = 10000
#: Tags of a one-character word jieba cut after a candidate's second character: a verb,
#: preposition, adverb or particle that is no part of the name (端木晴 / 去).
_WORD_OF_ITS_OWN = frozenset("v p d c u uj ul uv ud ug uz f r y".split())
_NUMERAL_TAGS = frozenset("m mq q".split())
#: Characters never inside a given name (particles, prepositions, pronouns).
_NOT_GIVEN = frozenset("的了是在和与跟也都就又说把被给让向对着过吗呢吧啊呀么个们这那我你他她它不没有很太"
                       "姐哥叔姨爷奶妈爸老")  # kinship words and 老 follow or open a title (房东姐, 王老师)


@functools.lru_cache(maxsize=1)
def jieba_tagger() -> Any:
    """(jieba.posseg, jieba's word counts): the tagger and dictionary every Chinese rule reads,
    loaded once per process."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)  # its "Building prefix dict" chatter goes to stderr otherwise
    jieba.initialize()
    return jieba.posseg, jieba.dt.FREQ


@functools.lru_cache(maxsize=1)
def jieba_person_chars() -> frozenset[str]:
    """One-character words jieba's dictionary tags as person names (mostly surnames)."""
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    with open(path, encoding="utf-8") as fh:
        return frozenset(w for w, _, tag in (line.split() for line in fh) if len(w) == 1 and tag == "nr")


@functools.lru_cache(maxsize=1)
def _zipf() -> Callable[[str], float]:
    from ..deps import require

    wf = require("wordfreq", "Chinese name guard (word frequencies)")
    return functools.lru_cache(maxsize=200_000)(lambda w: wf.zipf_frequency(w, "zh"))


def is_common_zh(word: str, limit: float = WORD_ZIPF) -> bool:
    return _zipf()(word) >= limit


def _is_han(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff"


def cued_name_spans(text: str, tags: list[tuple[int, int, str]], surnames: frozenset[str],
                    compounds: frozenset[str], lone_words: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, 'zh_context') of names the context marks. `tags` is jieba's (start, end, tag)
    per word of `text`, used to read what kind of word sits beside a candidate. A surname in
    `lone_words` (和 'and', 向 'towards') needs a cue on both sides."""
    tag_at = {s: t for s, _, t in tags}
    tag_ending = {e: t for _, e, t in tags}
    person = surnames | jieba_person_chars()
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(text):
        sur = text[i:i + 2] if text[i:i + 2] in compounds else text[i] if text[i] in person else ""
        found = _candidate(text, i, sur, tag_at, tag_ending, sur in lone_words) if sur else None
        if found:
            spans.append((i, found, "zh_context"))
            i = found
        else:
            i += 1
    return spans


def _candidate(text: str, i: int, sur: str, tag_at: dict[int, str], tag_ending: dict[int, str],
               lone_word: bool) -> int | None:
    """End of the name starting at i with surname `sur`, or None (longer given name first).
    Where a dictionary word of jieba's cut runs across the candidate's start, that side needs a
    cue; a word its HMM glued there (去段 / 晨家) is no evidence either way."""
    person_cue, hearsay = text[:i].endswith(LEFT_CUES), text[:i].endswith(HEARSAY_CUES)
    freq = jieba_tagger()[1]
    if not (person_cue or hearsay) and i and i not in tag_ending and _dictionary_word_across(text, i, tag_ending, freq):
        return None  # 罗海 / 峰家 runs across 海峰; 挂到 / 了余欢 is jieba's HMM glue, no word
    left_edge = None  # computed when needed: it may run jieba
    for given in (2, 1):
        end = i + len(sur) + given
        name = text[i:end]
        # 夸杨梅 / 甜, 没想到林芝 / 美: a dictionary word opening the candidate is a thing's
        left_cue = person_cue or (hearsay and not any(freq.get(name[:k]) for k in range(2, len(name) + 1)))
        if end > len(text) or not all(_is_han(c) for c in name) or any(c in _NOT_GIVEN for c in name[len(sur):]):
            continue
        if given == 2 and (_is_verb(name[-2:]) or (end - 1 in tag_at and end in tag_at
                                                     and tag_at[end - 1] in _WORD_OF_ITS_OWN
                                                     and not (text.startswith(RIGHT_CUES, end)
                                                              and freq.get(name[-1], 0) < CHAR_WORD_FREQ))):
            # 钱取出 (a verb, not a given name), 端木晴 / 去 (去 a word of its own); before a
            # title, a rarer one-character word still ends a name (糜子 / 安 / 老师), 当 does not
            continue
        if name[-1] in PLACE_ENDINGS or is_common_zh(name) or (len(sur) == 1 and is_common_zh(name[:2], WORD_ZIPF if given == 1 else PREFIX_ZIPF)):
            continue  # 高中, 金融; 高中生 (a surname and a given character that make a word)
        right_cue = text[end:].startswith(RIGHT_CUES)
        if not (left_cue or right_cue or len(name) >= 3) or (lone_word and not (left_cue and right_cue)):
            continue
        if not (right_cue or left_cue) and end < len(text) and end not in tag_at:
            continue
        right_edge = end == len(text) or not _is_han(text[end]) or tag_at.get(end) in _BOUNDARY_TAGS \
            or _word_tag(text[end:end + 6], first=True) in _BOUNDARY_TAGS
        if left_cue and (right_edge or right_cue):
            return end
        if left_edge is None:
            left_edge = i == 0 or not _is_han(text[i - 1]) or tag_ending.get(i) in _BOUNDARY_TAGS \
                or _word_tag(text[max(0, i - 6):i], first=False) in _BOUNDARY_TAGS
        if right_cue and left_edge:
            return end
        # No cue: jieba must cut at both ends itself, and not after a numeral (一季财报).
        if (len(name) >= 3 and (i == 0 or i in tag_ending and tag_ending[i] not in _NUMERAL_TAGS)
                and (end == len(text) or end in tag_at) and right_edge and not is_common_zh(name, UNCUED_ZIPF)):
            return end
    return None


def _dictionary_word_across(text: str, i: int, tag_ending: dict[int, str], freq: dict) -> bool:
    """The word jieba cut across position i is one its dictionary holds."""
    start = max((e for e in tag_ending if e < i), default=0)
    end = min((e for e in tag_ending if e > i), default=len(text))
    return bool(freq.get(text[start:end]))


def _is_verb(word: str) -> bool:
    """A word jieba's dictionary holds as a common verb (取出, 回来): no given name (建新 and 立新,
    rarer verbs, are given names as often)."""
    posseg, freq = jieba_tagger()
    return posseg.dt.word_tag_tab.get(word, "") == "v" and freq.get(word, 0) >= VERB_FREQ


def _word_tag(piece: str, first: bool) -> str | None:
    """jieba's tag of the first (or last) word of a piece of text: the candidate's end falls
    between words when the word beside it is a verb, adverb, particle... even where jieba cut
    the name itself differently."""
    if not piece or not _is_han(piece[0 if first else -1]):
        return "x"
    posseg, _ = jieba_tagger()
    words = list(posseg.cut(piece))
    return (words[0] if first else words[-1]).flag if words else None
