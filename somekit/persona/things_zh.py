"""Chinese surname-led spans that name a thing, a shop or a place, read from the words around them.

A surname and one or two characters (黄浦, 杨国福, 陈李济) look like a personal name; the sentence
says otherwise when

- jieba's dictionary holds the span, or a longer word holding it, with a tag that is no
  person's (黄浦江 ns, 方舟 n, 温暖 an; 向左转: the span 左转 is only part of a word). Tags of
  person (nr...) stay candidates: jieba tags many given names and some common words `nr`;
- the given name's place holds a title (鲍师傅 'master Bao', 钱大妈 'auntie Qian'): what a shop
  or a stranger is called, no full name;
- a place suffix closes a dictionary word (钱塘江, 岳麓山, whatever jieba's tag) or follows the
  span inside the word jieba cut (黄浦 / 江边 read as 黄浦江): rivers, lakes, hills, bridges
  and streets are named after people and places alike; a surname, 家 and a place suffix is a
  clan's village (沈家门, 王家庄) whether jieba knows it or not;
- a dictionary word and a suffix that makes a new noun of it (杨梅 + 季 'season', 啤酒 + 节);
- a weather word: a three-character dictionary word whose last two characters are a dictionary
  noun of rain, hail, frost, fog or thunder (雷 + 阵雨 = 雷阵雨, 连 + 阴雨; whatever jieba's tag
  of the whole). Wind and cloud are left out: 乘风, 青云 are given names;
- a clause: a common noun and an adjective or verb (枫叶 / 红), or a dictionary word jieba tags a
  person's, an adjective and 了 (李子 / 熟 / 了: 'the plums are ripe');
- a shop or a clan: a surname and 记 or 氏 and whatever jieba glued on (去陈记吃: 'Chen's');
- a dish: a food character closing it or a few characters after it (白切鸡, 黄焖鸡米饭);
- a shop frame: 老字号, 连锁, 品牌 or 牌子 just before it, or a buying, eating or ordering verb or a count of goods before it (点了杨国福麻辣烫,
  来一罐王老吉): people are met, asked and thanked; food, goods and shops are bought and eaten
  (去陈李济买了凉茶 is places_zh's locative grammar: 去 + a place + a verb);
- goods: a food or goods noun straight after it (杨国福麻辣烫: names_a_product), or after 的
  with talk of goods in the clause (吴裕泰的茉莉花茶排了二十分钟, X的鸭蛋粉是必买的伴手礼);
- a brand: a commerce noun a few characters after it in the same clause (周大福今天的金价, X的
  专柜, X新品, X打折);
- a dictionary word built on a dictionary word (林荫 + 道), like a noun suffix, or on a season
  suffix where jieba holds the whole (黄梅 + 天);
- a word boundary: the span opens inside a frequent word of the clause's best cut (胡萝 / 卜切丝);
- a common word of CC-CEDICT (persona/lexicon_zh.py), or one followed by characters no given name
  uses or by a frequent word of the cut (车厘子, 朱砂 + 色, 梧桐叶子 / 全黄了), unless a person cue
  follows the word (田野 / 讲完); a noun suffix closing the noun before it (桃花 / 季快到了).

A person cue beside the span (先生, 老师, 说, 告诉 after it; 和, 跟, 恭喜 before it: the cues of
names_zh_cues; a title only where it is a word of the cut: 钟薛高 / 总是 has none) or 家 'home'
after it keeps it a name whatever the frame; only a title, a place, a noun suffix, a weather
word or a longer dictionary word holding the span outrank a cue (和钱塘江, 向左转).
"""

from __future__ import annotations

import re

from .lexicon_zh import common_words, given_name_chars
from .names_zh_cues import CHAR_WORD_FREQ, LEFT_CUES, PERSON_TAGS, RIGHT_CUES, jieba_tagger

#: jieba dictionary count from which its tag of a word is trusted: rarer entries come from its
#: training text with tags as they fell (欧阳建 2 ns, 左转 3 nr); 黄浦江 134, 方舟 67.
TRUSTED_FREQ = 10
#: Characters that make a surname a shop's or a clan's name (李锦记, 陈记 'Chen's', 王氏 'the Wang
#: clan'), never part of a given name.
BRAND_ENDINGS = frozenset("记氏")
#: Place suffixes that close a geographic or street name (黄浦江, 金鸡湖, 南京路, 曹妃甸, 沈家门) or a
#: clan's hall (陈家祠); 海 and
#: 峰, common in given names (林晓峰, 王海), are left out.
PLACE_SUFFIXES = frozenset("江河湖山岭桥路街巷区镇村寺庙祠塔港湾岛门甸营屯墩峪沟洲坝滩庄堡坊")
#: Suffixes that make a new noun of the word before them (杨梅 + 季 'bayberry season', 啤酒 + 节
#: 'beer festival'), never a given name's last character.
NOUN_SUFFIXES = frozenset("季节展赛宴")
#: Suffixes of a season or a spell of time (黄梅 + 天 'plum-rain days', 雨 + 季, 汛 + 期): they make
#: a noun of the word before them only where jieba's dictionary holds the whole (黄梅天), since 天
#: also closes given names (王晓天).
SEASON_SUFFIXES = frozenset("天期")
#: jieba dictionary count from which a word the candidate starts inside is a frequent word (胡萝卜
#: 452: 胡萝 / 卜切丝 is no name); glued particles and verbs around names are rarer or no words.
FREQUENT_WORD = 100
#: Last characters of dishes, drinks and foods (白切鸡, 黄焖鸡, 姜葱酱), never of a given name.
FOOD_CHARS = frozenset("鸡鸭鹅肉面饭粉汤锅饼糕酱茶酒菜虾蟹粥")
#: Last characters of goods sold under a maker's or a shop's name besides food (麻辣烫, 米线,
#: 面条, 辣椒, 酸奶, 剪刀).
GOODS_CHARS = FOOD_CHARS | frozenset("烫线条椒奶糖刀剪")
_GOODS_TAGS = frozenset("n nz z".split())  # jieba tags 麻辣烫 z
#: jieba dictionary count from which the noun after a name is a real word: its rarest entries
#: are fragments of its training text.
GOODS_FREQ = 5
#: A food character up to two characters after a span, with no verb or particle between (黄焖 /
#: 鸡米饭; not 王芳带了蛋糕, 请张伟吃饭).
_FOOD_AFTER = re.compile("[^吃喝做买煮炒点送请给和跟说的了过着在是有也都又就还要去来带拿\\W]{0,2}["
                         + "".join(sorted(FOOD_CHARS)) + "]")
_SHOP_BEFORE = re.compile(r"(?:老字号|连锁|品牌|牌子)(?:的)?$")
#: Buying, eating and ordering right before the span (点了杨国福, 喝了一杯王老吉); 点 and 订 only
#: with 了 or 过 (三点张伟来了: 'at three', not 'ordered').
#: A numeral and a measure word of goods right before it counts goods (来一罐王老吉): people are
#: counted with 个, 位, 名.
_CONSUME_BEFORE = re.compile(r"(?:(?:点|订)(?:了|过)|(?:买|吃|喝|囤|网购|下单)(?:了|过)?)(?:[一两几]?[份杯瓶盒包袋碗支罐箱])?$"
                             r"|[一两几半每][杯瓶盒包袋碗罐箱串盘桶壶碟]$")
#: Nouns of trade a few characters after a brand, in the same clause (周大福今天的金价).
#: 新品 and 上新 only straight after it: a designer's 今天的新品 is still a person's.
#: Words of a shop's goods in the clause after X的 + goods (吴裕泰的茉莉花茶排了二十分钟, X的鸭蛋粉是
#: 必买的伴手礼): a person's cake or tea is seldom priced, queued for or bought as a souvenir.
_GOODS_TALK = re.compile(r"[^。！？!?\n]*?(?:涨价|降价|必买|伴手礼|特产|排队|排了[一二三四五六七八九十两半\d]+|限量|售罄|断货|回购|代购)")
_COMMERCE_AFTER = re.compile(r"(?:[\u3400-\u9fff]{0,4}?(?:金价|门店|专柜|柜台|打折|折扣|促销|特价|优惠券|会员卡|清仓|官网|"
                             r"加盟)|新品|上新)")
#: Characters of weather nouns that are seldom a given name's (风 and 云 are common in names).
WEATHER_CHARS = frozenset("雨雹霜雾霾雷电")


def _dictionary_thing(word: str) -> bool:
    """jieba's dictionary holds the word, often enough to trust its tag, with no person's tag."""
    posseg, freq = jieba_tagger()
    tag = posseg.dt.word_tag_tab.get(word)
    return tag is not None and freq.get(word, 0) >= TRUSTED_FREQ and not tag.startswith(PERSON_TAGS)


def _common_word(word: str) -> bool:
    """CC-CEDICT's common word (叶子, which jieba tags nr) or jieba's trusted non-person word (古镇 ns)."""
    return word in common_words() or _dictionary_thing(word)


def _weather_word(span: str) -> bool:
    """雷阵雨: a three-character dictionary word ending in a dictionary noun of weather (阵雨)."""
    posseg, freq = jieba_tagger()
    tail = span[1:]
    return (len(span) == 3 and freq.get(span, 0) >= TRUSTED_FREQ and freq.get(tail, 0) >= TRUSTED_FREQ
            and posseg.dt.word_tag_tab.get(tail) == "n" and not WEATHER_CHARS.isdisjoint(tail))


def names_a_zh_thing(text: str, start: int, end: int, words: list[tuple[int, int, str]], compound: bool) -> bool:
    """text[start:end] (a candidate name) is a word, place or shop, not a person. `words` holds
    jieba's (start, end, tag) of every word of `text`; `compound`: the span opens with a
    two-character surname (上官明)."""
    _, freq = jieba_tagger()
    span = text[start:end]
    given = span[2 if compound and len(span) > 2 else 1:]  # 公冶 alone: surname 公 and given name 冶
    if given in RIGHT_CUES:
        return True  # a surname and a title (鲍师傅, 钱大妈): how a shop or a stranger is called, no full name
    if span[-1] in PLACE_SUFFIXES and (freq.get(span) or given[0] == "家"):
        return True  # a dictionary word closed by a place suffix (钱塘江, 曹妃甸), or a clan's village (沈家门)
    if len(given) > 1 and freq.get(span[:-1], 0) >= TRUSTED_FREQ and (
            span[-1] in NOUN_SUFFIXES or freq.get(span, 0) >= TRUSTED_FREQ
            or (span[-1] in SEASON_SUFFIXES and freq.get(span))):
        # 杨梅季, 龙虾季: a dictionary word and a noun suffix; 林荫 + 道: a dictionary word built
        # on one, whatever jieba's tags (it tags both 林荫 and 林荫道 nr); 黄梅 + 天.
        return True
    for ws, we, _ in words:
        if ws <= start and end <= we and (ws, we) != (start, end) and freq.get(text[ws:we]):
            return True  # part of a dictionary word (向左转), whatever stands around it
    if _weather_word(span):
        return True  # 雷阵雨
    before, after = text[:start], text[end:]
    # A person cue on either side (跟甘露, 恭喜甘露, 钟情说), or 家 'home' right after or closing
    # the span (去晏紫家吃饭: someone's home), keeps a candidate a name.
    if _right_cue(text, end, words) or before.endswith(LEFT_CUES) or text[end - 1] == "家":
        return False
    if any(ws < start < we and freq.get(text[ws:we], 0) >= FREQUENT_WORD for ws, we, _ in words):
        return True  # 胡萝 / 卜切丝: it opens inside a frequent word of the clause's best cut
    if _dictionary_thing(span):
        return True  # 黄浦 ns, 方舟 n
    if (len(span) > 2 and span in common_words()) or _common_word_and_more(text, start, end, words, compound):
        return True  # 车厘子, 朱砂 + 色, 梧桐叶子 / 全黄了: CC-CEDICT's common words (persona/lexicon_zh.py)
    if text[start] in NOUN_SUFFIXES and any(we == start and tag == "n" and text[ws:we] in common_words() for ws, we, tag in words):
        return True  # 桃花 / 季快到了: the suffix closes the noun before it ('peach-blossom season')
    if given[0] in BRAND_ENDINGS:
        return True  # 陈记 / 吃, 王氏 + whatever jieba glued on: a shop or a clan
    food = _FOOD_AFTER.match(after)
    if span[-1] in FOOD_CHARS or (food and any(we == end + food.end() and tag.startswith("n") for _, we, tag in words)):
        return True  # 白切鸡, 黄焖 / 鸡米饭: a dish, not a person (but 请张伟吃饭; 面前, 后面 are no 面 'noodles')
    if not compound and _noun_and_predicate(span, start, words, after):
        return True
    if _SHOP_BEFORE.search(before) or _COMMERCE_AFTER.match(after):
        return True
    # 买了张伟的书: a person's possession; 买了张小泉菜刀 / 点了杨国福麻辣烫: the goods themselves.
    if _CONSUME_BEFORE.search(before) and not after.startswith(("的", "家", "那", "说", "送", "给")):
        return True
    return _goods_after_de(text, end, words)


def _common_word_and_more(text: str, start: int, end: int, words: list[tuple[int, int, str]], compound: bool) -> bool:
    """The span opens with a common word and goes on with characters no given name uses (朱砂 +
    色, 甘蔗 + 汁), or with a frequent word of the cut's own (梧桐叶子 / 全黄了, 古镇 / 人太多): a
    word and what follows it, unless a person cue follows the word (田野 / 讲完)."""
    span = text[start:end]
    # A two-character surname (上官明) is the opening word itself.
    head = 0 if compound else next((k for k in range(len(span) - 1, 1, -1) if _common_word(span[:k])), 0)
    if not head or _right_cue(text, start + head, words):
        return False
    _, freq = jieba_tagger()
    after = next((text[ws:we] for ws, we, _ in words if ws == start + head), "")
    return freq.get(after, 0) >= CHAR_WORD_FREQ or given_name_chars().isdisjoint(text[start + head:end])


def _right_cue(text: str, end: int, words: list[tuple[int, int, str]]) -> bool:
    """A title or verb of speech right after the span, unless it only opens a longer word of the
    clause's cut (总 'boss Zhong' is a title, 总是 'always' is not)."""
    cue = next((c for c in RIGHT_CUES if text.startswith(c, end)), None)
    word = next((text[ws:we] for ws, we, _ in words if ws == end), "")
    return cue is not None and (len(word) <= len(cue) or word in RIGHT_CUES)


def _goods_after_de(text: str, end: int, words: list[tuple[int, int, str]]) -> bool:
    """X的 + a food or goods noun in the next two words + talk of goods in the clause: a brand. A
    person also takes 的 + a noun (张伟的茉莉花茶), so the goods noun alone is not enough."""
    if not text.startswith("的", end):
        return False
    nouns = [text[ws:we] for ws, we, tag in words if end + 1 <= ws < end + 7 and tag in _GOODS_TAGS][:2]
    return any(n[-1] in GOODS_CHARS for n in nouns) and bool(_GOODS_TALK.match(text, end))


def names_a_product(text: str, end: int, tag_at: dict[int, str]) -> bool:
    """A name followed straight by goods, a dictionary noun ending in a food or goods character
    (杨国福麻辣烫, 陈克明面条, 张小泉剪刀), names a maker or a shop. Any other noun keeps the
    name: Chinese joins a person to their own places and circles without 的 (张伟宿舍, 张伟公司,
    张伟朋友圈) and to their things with it (张伟的书)."""
    if tag_at.get(end) not in _GOODS_TAGS or text[end:].startswith(RIGHT_CUES):
        return False
    _, freq = jieba_tagger()
    # The noun must be a dictionary word of two or more characters (面条), not a piece jieba's
    # HMM glued together around the name (杨梓 / 萱的).
    stop = min((s for s in tag_at if s > end), default=len(text))
    noun = text[end:stop]
    return len(noun) >= 2 and noun[-1] in GOODS_CHARS and freq.get(noun, 0) >= GOODS_FREQ


def _noun_and_predicate(span: str, start: int, words: list[tuple[int, int, str]], after: str) -> bool:
    """A three-character span that jieba cut into a common dictionary noun and an adjective or
    verb (枫叶 / 红, 'the maple leaves are red'): a clause, not a surname and a given name. A
    noun jieba's dictionary tags a person's (李子 nr) counts with an adjective and 了 after it
    (李子 / 熟 / 了), since a given name's last character is seldom tagged an adjective."""
    cut = {ws: (we, tag) for ws, we, tag in words}
    first, second = cut.get(start), cut.get(start + 2)
    if len(span) != 3 or first is None or second is None or first[0] != start + 2 or second[0] != start + 3:
        return False
    _, freq = jieba_tagger()
    if freq.get(span[:2], 0) < TRUSTED_FREQ:
        return False
    if first[1] == "nr":
        return second[1] == "a" and after.startswith("了")
    return first[1] == "n" and second[1] in ("a", "v", "ad", "vi")
