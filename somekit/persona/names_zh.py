"""Chinese personal names in running text: jieba's part-of-speech tags plus the surname list.

Mentions (`@张伟`, `回复@张伟`, `//@张伟`) are handles and go earlier, with the structured
patterns (persona/pii.py). What is left is a name inside a sentence, found by four signals:

- `zh_pos`: a word jieba's dictionary does not hold, that its HMM tagged as a person (`nr`)
  and that opens with a surname (张伟, 李晓梅: a private person's name is not a dictionary word);
- `zh_surname_word`: the same without the person tag (jieba's HMM joined the characters into a
  new word and tagged it `n`, `ns`, `i`...: 程强, 雷洋);
- `zh_surname_split`: a name jieba cut apart: a surname standing alone followed by a one or
  two character noun-like word (夏 / 建军), by the first character of a word whose second one
  opens a frequent word with what follows (张 / 伟大 / 学: 张伟 + 大学), or, when jieba tags the surname a person's, by one or
  two single characters (崔 / 祐 / 司); a person-tagged surname + first given character followed
  by the last one (胡家 / 豪); a given name it knows after a surname (余 / 海燕); a surname glued
  to a particle before it (了付 / 世宗).

- `zh_context` (persona/names_zh_cues.py): a surname and one or two given characters that the
  words around them mark as a person (和/跟/给 before, 老师/说/家 after), wherever jieba cut them.

wordfreq's Chinese frequencies keep common words out (陈皮, 高中, 向南), and place endings keep
villages and streets out (季阳村), brand endings keep shops out (李锦记), and a surname character
jieba reads as a verb before a dictionary noun starts a phrase, not a name (戴 / 头盔). Dictionary words are never names here, whatever their
tag: jieba's dictionary tags many common words `nr` (顾客, 熊猫, 叶子, 黎明), and the names it holds are public figures' (蒋介石).
A span the words around it make a thing (杨国福麻辣烫, 白切鸡, 雷阵雨: persona/things_zh.py), a
place (去黄姚住了两晚: persona/places_zh.py) or a flavour (杨枝甘露味的月饼) is dropped.

The surnames are the most frequent ones of the 2020 census (about 86% of the population) and
the common two-character ones (欧阳, 司马...). jieba is a core dependency (key terms of event
summaries); its dictionary loads once per process (~1 s).
"""

from __future__ import annotations

import re

from .known_things import is_known_thing
from .names_zh_cues import PERSON_TAGS, PLACE_ENDINGS, cued_name_spans, is_common_zh, jieba_person_chars, jieba_tagger
from .places_zh import is_place_in_context
from .things_zh import BRAND_ENDINGS, FREQUENT_WORD, names_a_product, names_a_zh_thing

SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常"
    "温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍"
    "涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景"
    "党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫 西门 呼延 "
    "单于 濮阳 澹台 公冶 宗政 太叔 申屠 钟离 闻人 万俟 赫连 亓官 司寇 仉督 子车 颛孙 巫马 公西 漆雕 "
    "乐正 壤驷 公良 拓跋 夹谷 宰父 谷梁 段干 百里 东郭 南门 羊舌 微生 梁丘 左丘 东门 第五".split())
#: Rarer surnames of the Hundred Family Surnames whose characters are seldom anything but a
#: surname (郗, 笪, 蔺...): safe to read as one wherever they open a candidate.
RARE_SURNAMES = frozenset("郗笪蔺庹钭濮禤冼郦亓訾仉逄乜隗阙芮蒯鞠糜郏邴宓璩暨夔厍晁阚竺逯岑佘缪邝昝谌郜郇蓟嵇荀羿邰邸胥扈冀"
                          "郁牟闫邬殷詹")
#: Surname characters that are far more often a common word on their own (和 'and', 时 'time',
#: 明 'bright', 文 'text'...): as a lone one-character word they start no name.
_LONE_WORDS = frozenset("和时明文成全应单司华高方白金石常向安齐易关兰宁尚谷盛曲路游连宫冷席米边师商沙荣丛查池麻马于余")
#: Tags of a given name jieba split off (noun-like, adjectives such as 秀, idioms).
_GIVEN_TAGS = frozenset("n nr nrt nrfg nz ns ng a i j l vn".split())
#: Tags of a name's last character left on its own (豪 ag, 轩 nr, 娟 zg).
_LAST_CHAR_TAGS = frozenset("nr nrt nrfg ng ag zg yg tg vg g a j x".split())
#: Tags jieba gives single characters it knows as no word of their own (祐 zg, 翊 g, 幸 vg).
_MORPHEME_TAGS = frozenset("zg yg g vg tg ag ng".split())
#: Measure words and numerals: a surname character jieba tags so counts something (这段, 一张).
_MEASURE_TAGS = frozenset("q m mq".split())
#: Tags of words that are never part of a name (prepositions, particles, conjunctions, adverbs,
#: pronouns, numerals, measure words, modal particles, punctuation).
_FUNCTION_TAGS = frozenset("p u uj ul uv ud ug uz c d r m q y e o x w f".split())
#: Particles and verbs jieba glues to a following surname (了付, 据于, 求许, 听任).
_GLUE_CHARS = frozenset("了据求给和跟听是在把被让叫向对与同找问请等的")
#: Degree words, particles and plain adjectives that follow a word, never end a name (叶子 / 黄).
_NOT_LAST_CHARS = frozenset("很太真好都也又就才最更还再已在是的了着过和与跟被把给让从向对为长高大小多少新老黄红白黑绿")
#: A word jieba's dictionary lacks is still a common word at this wordfreq Zipf (陈皮 3.35);
#: private names sit lower (张伟 2.6, 胡欣然 2.2).
NEW_WORD_ZIPF = 3.2
#: Any span at least this frequent is a word (段历史 4.1); common names stay below (王刚 3.8).
COMMON_SPAN_ZIPF = 4.0
CJK = re.compile(r"[\u3400-\u9fff]")
_HAN_WORD = re.compile(r"[\u3400-\u9fff]+")


def chinese_name_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, signal) of Chinese personal names in a text (empty without Han characters)."""
    if not CJK.search(text):
        return []
    posseg, freq = jieba_tagger()
    words = [(w.word, w.flag) for w in posseg.cut(text)]
    starts = [0]
    for word, _ in words:
        starts.append(starts[-1] + len(word))
    spans: list[tuple[int, int, str]] = []
    for i, (word, flag) in enumerate(words):
        if not _HAN_WORD.fullmatch(word):
            continue
        after = [w for w in words[i + 1:i + 3] if _HAN_WORD.fullmatch(w[0])]
        found = _new_word(word, flag, freq) or _split_name(word, flag, after)
        if found:
            skip, length, signal = found
            spans.append((starts[i] + skip, starts[i] + length, signal))
        elif flag in PERSON_TAGS and len(word) == 2 and i and words[i - 1][0][-1:] in SURNAMES:
            # A given name jieba knows (海燕, 俊杰) after a surname it split off or glued to the
            # word before (余 / 海燕, 听任 / 俊杰).
            spans.append((starts[i] - 1, starts[i + 1], "zh_surname_split"))
    tags = [(starts[i], starts[i + 1], flag) for i, (_, flag) in enumerate(words)]
    spans += cued_name_spans(text, tags, SURNAMES | RARE_SURNAMES, COMPOUND_SURNAMES, _LONE_WORDS)
    # Whatever the rule, a span this frequent in written Chinese is a word (段历史, 任上海), and a
    # span followed straight by a noun names a thing (杨国福麻辣烫).
    tag_at = {s: t for s, _, t in tags}
    kept = [s for s in spans if not is_common_zh(text[s[0]:s[1]], COMMON_SPAN_ZIPF)
            and not names_a_product(text, s[1], tag_at) and not _brand_name(text, s[1], freq)
            and not names_a_flavour(text, s[1]) and not is_place_in_context(text, s[0], s[1], tags)
            and not names_a_zh_thing(text, s[0], s[1], tags, text[s[0]:s[0] + 2] in COMPOUND_SURNAMES)
            and not is_known_thing(text, s[0], s[1], "zh")]
    # A span inside a longer one the words around it made a thing (吃钟薛高: the brand 钟薛高, so
    # not its tail 薛高 either) goes with it: the frame was read at the longer span's edge.
    vetoed = [s for s in spans if s not in kept and s[0] in tag_at]  # not 谢程立 of 感谢程立
    return [s for s in kept if not any(v[0] <= s[0] and s[1] <= v[1] and v[1] - v[0] > s[1] - s[0] for v in vetoed)]


#: Aspect particles after a verb: 记了, 记着, 记过 (someone noted) are no shop's 记.
_ASPECT = frozenset("了着过")


def _brand_name(text: str, end: int, freq: dict) -> bool:
    """A span closed or followed by 记 or 氏 (李锦记, 蔡林 / 记), where the 记 is no part of a word
    or verb phrase (张伟记得, 王芳记了): a shop or a clan, not a person."""
    if text[end - 1] in BRAND_ENDINGS:
        return True
    nxt = text[end:end + 2]
    return nxt[:1] in BRAND_ENDINGS and not freq.get(nxt) and nxt[1:] not in _ASPECT


#: 味 ('flavour') just after a span, alone or after a word or two (杨枝甘露味的月饼, 榴莲味):
#: a taste, not a person (味道 'taste of' may follow a name's dish, so it does not count).
_FLAVOUR_AFTER = re.compile(r"[\u3400-\u9fff]{0,2}味(?!道)")


def names_a_flavour(text: str, end: int) -> bool:
    return text[end - 1] == "味" or _FLAVOUR_AFTER.match(text, end) is not None


def _new_word(word: str, flag: str, freq: dict) -> tuple[int, int, str] | None:
    """A word the dictionary does not hold, opening with a surname (张伟, 程强), or tagged a
    person's by jieba's HMM and opening with a character jieba's dictionary knows as a person's
    (訾雅婷, 逄博: rarer surnames); wordfreq vetoes words jieba lacks but people write (陈皮)."""
    surname = _surname_of(word)
    if surname is None and flag in PERSON_TAGS and word[0] in jieba_person_chars():
        surname = word[0]
    if surname is None or freq.get(word) or not 2 <= len(word) <= len(surname) + 2 or len(set(word)) == 1:
        return None  # FREQ also holds every prefix of a word, with 0: falsy is "not a word"
    if is_common_zh(word, NEW_WORD_ZIPF) or word[-1] in PLACE_ENDINGS:
        return None  # 陈皮 (a word), 季阳村 (a village)
    return 0, len(word), "zh_pos" if flag in PERSON_TAGS else "zh_surname_word"


def _split_name(word: str, flag: str, after: list[tuple[str, str]]) -> tuple[int, int, str] | None:
    """A name jieba cut apart: (characters of `word` to skip, length from word's start, signal)."""
    if not after:
        return None
    nxt, nxt_flag = after[0]
    if len(word) == 2 and word[0] in _GLUE_CHARS and word[1] in SURNAMES and _given_name(nxt, nxt_flag):
        return 1, 2 + len(nxt), "zh_surname_split"  # 了付 / 世宗, 据于 / 品宏: a particle glued to the surname
    surname = _surname_of(word)
    if surname is None:
        return None
    if word == surname and _given_name(nxt, nxt_flag) and len(nxt) == 2 and len(after) > 1 and surname not in _LONE_WORDS \
            and jieba_tagger()[1].get(nxt[1] + after[1][0][0], 0) >= FREQUENT_WORD:  # not 钱 / 取出 / 来
        return 0, len(word) + 1, "zh_surname_split"  # 张 / 伟大 / 学: 张伟 + 大学, 周 / 杰出 / 差: 周杰 + 出差
    if word == surname:
        if len(nxt) == 1 and (nxt_flag in _MORPHEME_TAGS or flag in PERSON_TAGS and nxt_flag not in _FUNCTION_TAGS):
            # jieba tagged the lone surname a person's, or the next character is a bare morpheme
            # (zg, yg...: name characters jieba knows no word for): one or two characters (崔 / 祐 / 司).
            two = len(after) > 1 and len(after[1][0]) == 1 and after[1][1] not in _FUNCTION_TAGS \
                and after[1][0] not in _NOT_LAST_CHARS and after[1][0] != word
            return 0, len(word) + 1 + two, "zh_surname_split"
        if (flag.startswith("v") and nxt_flag == "n") or flag in _MEASURE_TAGS:
            # 戴 / 头盔: jieba reads the surname character as a verb taking a noun; 这 / 段 / 视频:
            # as a measure word after a demonstrative or numeral.
            return None
        if (flag in PERSON_TAGS or word not in _LONE_WORDS) and _given_name(nxt, nxt_flag):
            return 0, len(word) + len(nxt), "zh_surname_split"  # 夏 / 建军, 欧阳 / 娜娜
        return None
    if (len(word) == 2 and flag in PERSON_TAGS and len(nxt) == 1 and nxt_flag in _LAST_CHAR_TAGS
            and nxt not in _NOT_LAST_CHARS and nxt != word[0]):
        return 0, 3, "zh_surname_split"  # 胡家 / 豪, 汪子 / 瑄
    return None


def _surname_of(word: str) -> str | None:
    if word[:2] in COMPOUND_SURNAMES:
        return word[:2]
    return word[0] if word[0] in SURNAMES or word[0] in RARE_SURNAMES else None


def _given_name(word: str, flag: str) -> bool:
    return 1 <= len(word) <= 2 and flag in _GIVEN_TAGS
