"""Chinese place names that read like personal names (阳朔, 桂林: a surname character first).

The list is China's administrative divisions as cpca ships them (adcodes.csv: provinces, cities,
counties, districts), each also without its rank suffix (阳朔县 -> 阳朔), as Chinese writes
them in running text. The CSV is read straight from the package folder: importing cpca would
load pandas and build a matcher we never use.

A place's name is still a possible personal name (阳朔 is surname 阳 + 朔), so it is vetoed only
where the text treats it as a place: joined to another place (桂林和阳朔, 桂林、阳朔).

Two rules of Chinese grammar read any candidate as a place, listed or not:

- locative grammar: a verb or preposition of going or being somewhere (去, 到, 在, 逛, 路过,
  顺路去...) takes a place as its object. A person after one needs a locative word (去张伟家,
  到张伟那里, 在张伟身边, 在张伟眼里) or starts a phrase (在张伟的帮助下, 在张伟看来), so
  去/在/到 + candidate + anything else (a verb, a time, a new clause) is a place (去黄姚住了两晚,
  在杨梅坑集合); 到 right after another verb says the verb reached someone (邀请到了肖宇辰, 找到了张伟)
  and is no locative verb;
- a place-type noun right after the candidate (曹杨 / 新村, 彭浦 / 新村): jieba's dictionary word
  tagged a place's (ns) ending in a place character.
"""

from __future__ import annotations

import csv
import functools

from ..deps import locate
from .names_zh_cues import RIGHT_CUES, jieba_tagger

#: Rank suffixes of divisions, longest first, dropped to give the short form.
_SUFFIXES = ("自治县", "自治州", "自治区", "特别行政区", "林区", "新区", "地区", "盟", "旗", "省", "市", "县", "区")
#: Between two places in a list: 和, 与, 跟, 及, 、 or a dash of a route (桂林到阳朔).
_JOIN = "和与跟及、到至"
#: Verbs and prepositions of going or being somewhere, as jieba cuts them (顺路去 is one of its
#: words): their object is a place. 到 counts only as a word of its own: 遇到, 收到, 想到, 轮到 are
#: jieba words whose object is anyone. 回 and 来 are left out: 回张伟消息 'reply to', 来一罐 'have'.
LOCATIVE_VERBS = frozenset("去 到 在 逛 游 住 飞 路过 途经 前往 抵达 来到 回到 住在 顺路去 飞往 飞到 赶到 赶往 "
                           "走到 跑到 搬到 搬去 开到".split())
#: Words right after a candidate that keep it a person after a locative verb: a locative word
#: that makes a place of a person (那儿, 家, 身边, 手里, 面前), a phrase about a person (的 in
#: 在张伟的帮助下, 看来, 眼里), another person joined to it (和, 、). Titles and verbs of speech
#: (names_zh_cues.RIGHT_CUES) count too.
PERSON_AFTER = ("那儿", "那里", "那边", "那", "这儿", "这里", "这边", "这", "家", "身边", "手里", "手上", "手下",
                "处", "的", "看来", "眼里", "眼中", "心里", "心中", "身上", "名下", "面前", "跟前", "前面", "后面",
                "旁边", "对面", "左边", "右边", "之前", "之后", "中间", "附近", "们", "和", "与", "跟", "同", "及",
                "、", "一起")
#: jieba tags of the word after the candidate that close the place reading: a verb (去黄姚住,
#: 在杨梅坑集合), a time, an adverb, a numeral or the clause's end. A noun after it may be the
#: person's own place (去张伟宿舍, 在张伟朋友圈), so it takes a place-type noun (place_type_follows).
PLACE_CLOSING_TAGS = frozenset("v vd vi t d m mq x w".split())
#: Last characters of a place-type noun jieba's dictionary tags a place's (ns: 古镇, 新村, 老街):
#: the second half of a place's name. Nouns tagged n that a person's name may take without 的
#: (张伟小区, 张伟宿舍, 张伟公司: his compound, dorm, firm) are left out, and so are 路, 门, 山, 场
#: and 头 (思路, 部门, 立场, 眉头 follow a person's name).
PLACE_TYPE_CHARS = frozenset("镇村乡区园站城圈街巷庄湾港岛寺庙塔")


@functools.lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    folder = locate("cpca", "Chinese place names")
    names: set[str] = set()
    with open(folder / "resources" / "adcodes.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = row["name"]
            names.add(name)
            short = next((name[:-len(s)] for s in _SUFFIXES if name.endswith(s)), name)
            if len(short) >= 2:
                names.add(short)
    return frozenset(names)


def _place_at_end(text: str) -> bool:
    return any(text.endswith(p) for p in (text[-n:] for n in (2, 3, 4)) if p in place_names())


def _place_at_start(text: str) -> bool:
    return any(text[:n] in place_names() for n in (2, 3, 4))


def is_place_in_context(text: str, start: int, end: int, words: list[tuple[int, int, str]]) -> bool:
    """text[start:end] (a candidate name) is a place by the words around it (see the module
    docstring). `words` holds jieba's (start, end, tag) of every word of `text`."""
    return (_listed_with_places(text, start, end) or after_a_locative_verb(text, start, end, words)
            or place_type_follows(text, end, words))


def _listed_with_places(text: str, start: int, end: int) -> bool:
    """A division's name (or it without a leading joining character: 和阳朔) beside another."""
    if text[start] in _JOIN and end - start > 2:
        start += 1
    if text[start:end] not in place_names():
        return False
    before, after = text[:start], text[end:]
    if before[-1:] and before[-1] in _JOIN and _place_at_end(before[:-1]):
        return True
    return bool(after[:1] and after[0] in _JOIN and _place_at_start(after[1:]))


def after_a_locative_verb(text: str, start: int, end: int, words: list[tuple[int, int, str]]) -> bool:
    """去/在/到 + the candidate + no locative word or person phrase after it: a place."""
    verb_end = start - 1 if _word_before(text, start, words) == "了" else start  # 去了黄姚
    verb = _word_before(text, verb_end, words)
    if verb not in LOCATIVE_VERBS or (verb == "到" and _verb_before(verb_end - 1, words)):
        return False  # 邀请 / 到 / 了 / 肖宇辰: 到 after a verb says it reached someone, not somewhere
    # The candidate may be a character longer or shorter than the name (孙骁的, 赵敏身, 郑梓 of
    # 郑梓涵): a locative word or cue one character either side of its end counts too.
    if any(text.startswith(PERSON_AFTER + RIGHT_CUES, k) for k in (end - 1, end, end + 1)):
        return False
    if "了" in text[end - 1:end + 1]:
        return False  # 到张伟了 'it is Zhang Wei's turn'
    nxt = next(((ws, we, tag) for ws, we, tag in words if ws == end), None)
    if nxt is None:
        return end == len(text)
    # 在张伟住的地方, 去张伟工作的公司: a verb opening a relative clause about the person.
    return nxt[2] in PLACE_CLOSING_TAGS and text[nxt[1]:nxt[1] + 1] != "的"


def _verb_before(start: int, words: list[tuple[int, int, str]]) -> bool:
    return any(we == start and tag.startswith("v") for _, we, tag in words)


def _word_before(text: str, start: int, words: list[tuple[int, int, str]]) -> str:
    """The part before `start` of the jieba word ending at or running across it (在 of 在杨)."""
    return next((text[ws:start] for ws, we, _ in words if ws < start <= we), "")


def place_type_follows(text: str, end: int, words: list[tuple[int, int, str]]) -> bool:
    """A place-type noun right after the candidate (曹杨 / 新村): a dictionary word tagged a
    place's (ns) that ends in a place character."""
    _, freq = jieba_tagger()
    noun, tag = next(((text[ws:we], tag) for ws, we, tag in words if ws == end), ("", ""))
    return tag == "ns" and len(noun) >= 2 and freq.get(noun, 0) > 0 and noun[-1] in PLACE_TYPE_CHARS
