"""What the offline drafters (RED and SES extractive) say in words: key terms, titles, quotes.

A reviewer reads these drafts in Label Studio and keeps them only when they read like a person
wrote them, so each part follows a rule a person would use:

- key terms: jieba's TF-IDF keyword extraction (`jieba.analyse`) restricted to content parts of
  speech (nouns, place, organisation and other proper names, verbal nouns), and of those only
  words of jieba's dictionary: its HMM guesses split phrases across word boundaries (`车企在虹桥`
  gave `企在`). Hashtags (`#…#`) are kept whole; English words of 3+ letters count as before. A
  term must occur in 2+ of the posts, so it describes the event and not one post;
- titles: the representative post's first clause (cut at punctuation, trimmed at a word
  boundary with `…` when long), or the event's hashtag when the post has no usable clause;
- quotes: the media text view tags OCR, caption and transcript lines (`[OCR] ...`) so no model
  mistakes a picture's words for the author's; a draft says the same in words (`图中文字：`).

`somekit verify` re-checks each rule with its own code (verify/draft_text.py).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache

from ..enrich.textview import SOURCES, TAGS

#: Parts of speech of jieba's tag set that carry content: common nouns, person, place and
#: organisation names, other proper nouns, verbal and adjectival nouns.
CONTENT_POS = ("n", "nr", "ns", "nt", "nz", "nw", "vn", "an")
#: Nouns so general that they name no event (jieba tags them n; they fill social-media posts).
GENERIC_NOUNS = frozenset("""时候 时间 事情 情况 问题 东西 地方 方面 大家 网友 朋友 人们 今天 昨天 明天 现在 消息 视频 图片 照片
    微博 话题 全文 网页 链接 原图 评论 转发 点赞 样子 感觉 心情 办法 原因 结果 部分 一下 一点 有点""".split())
_ENGLISH = re.compile(r"[a-z][a-z0-9']{2,}")
_ENGLISH_STOP = frozenset("the and for are but not you all any can had her was one our out has him his how its may new now "
                          "see two who did get let say she too use this that with from have they will what when your just "
                          "more been were into than them then some http https www com".split()) | set(SOURCES)
HASHTAG = re.compile(r"#([^#\n]{1,40})#")
_TAG_LINE = re.compile(r"^(" + "|".join(re.escape(t) for t in TAGS.values()) + r") ?", re.M)
#: How a draft names each media source in words, instead of the view's bracketed tag.
SPOKEN = {"zh": {"ocr": "图中文字：", "caption": "图片内容：", "transcript": "视频语音："},
          "en": {"ocr": "Text in the picture: ", "caption": "Picture shows: ", "transcript": "Speech in the video: "}}
_SOURCE_OF_TAG = {tag: src for src, tag in TAGS.items()}
#: Where a clause ends: sentence and clause punctuation, quotes and brackets, hashtag marks,
#: the ' / ' the text view puts between OCR lines, and line breaks.
_CLAUSE_END = re.compile(r"[。！？!?；;，,、：:…\n#/|【】\[\]()（）《》「」『』“”\"]+|\.(?:\s|$)")
_EMOJI_CODE = re.compile(r"\[[^\[\]\s]{1,12}\]")
_NOT_CLAUSE = re.compile(r"@|https?|www\.|//")
#: Words the platform fills in, not the author's: never a title.
_BOILERPLATE = frozenset({"转发微博", "轉發微博", "分享图片", "网页链接", "查看图片", "展开全文"})
#: Not words of the post: links (their path letters look like English words to a regex) and
#: @mentions (user names, copied along every repost chain).
_LINKS_AND_MENTIONS = re.compile(r"https?://\S+|www\.\S+|@[^\s@:：,，。!！?？/]+")


def without_tags(text: str | None) -> str:
    """The text with the media view's tags removed (the media words stay, as content)."""
    return _TAG_LINE.sub("", text or "")


def readable(text: str | None, lang: str) -> str:
    """The text with each media tag said in words (`[OCR] 暴雨` -> `图中文字：暴雨`)."""
    spoken = SPOKEN.get(lang, SPOKEN["en"])
    return _TAG_LINE.sub(lambda m: spoken[_SOURCE_OF_TAG[m.group(1)]], text or "")


@lru_cache(maxsize=1)
def _jieba():
    import jieba
    import jieba.analyse
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)     # its dictionary-loading chatter is not ours to print
    jieba.posseg.dt.tokenizer.check_initialized()
    extractor = jieba.analyse.TFIDF()
    extractor.stop_words = extractor.stop_words | GENERIC_NOUNS
    return extractor, jieba.posseg.dt.word_tag_tab


def is_content_word(word: str) -> bool:
    """A word of jieba's dictionary whose part of speech carries content, and not a generic noun."""
    tag = _jieba()[1].get(word)
    return tag is not None and tag in CONTENT_POS and word not in GENERIC_NOUNS


def key_terms(texts: list[str], k: int = 3, exclude: str = "") -> list[str]:
    """Up to k terms of a group of posts: hashtags, content words (jieba TF-IDF) and English
    words, each in 2+ posts and not inside `exclude` (the place or topic, said elsewhere); ranked
    hashtags first, then by posts holding the term, then TF-IDF weight, then the term."""
    plain = [_LINKS_AND_MENTIONS.sub(" ", without_tags(t)) for t in texts]
    lowered = [t.lower() for t in plain]
    skip = (exclude or "").lower()

    def in_posts(term: str) -> int:
        return sum(term.lower() in t for t in lowered)

    tags = Counter(h for t in plain for h in _hashtags(t) if h.strip("#").lower() not in skip)
    ranked_tags = [h for h, c in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0])) if c >= 2]
    extractor, _ = _jieba()
    body = "\n".join(HASHTAG.sub(" ", t) for t in plain)   # a hashtag is one term, not its parts
    weights = dict(extractor.extract_tags(body, topK=None, withWeight=True, allowPOS=CONTENT_POS))
    words = {w: wt for w, wt in weights.items() if len(w) >= 2 and w not in skip and is_content_word(w)}
    for w in {w for t in lowered for w in _ENGLISH.findall(t)} - _ENGLISH_STOP:
        if w not in skip:
            words.setdefault(w, 0.0)
    said = {h.strip("#").lower() for h in ranked_tags}      # `暴雨` adds nothing beside `#暴雨#`
    counted = {w: in_posts(w) for w in words if w.lower() not in said}
    ranked_words = sorted((w for w, c in counted.items() if c >= 2), key=lambda w: (-counted[w], -words[w], w))
    return (ranked_tags + ranked_words)[:k]


def _hashtags(text: str) -> set[str]:
    """The hashtags of a text, marks included (`#暴雨#`); padded ones (`# 暴雨 #`) are not tags."""
    return {f"#{x}#" for x in HASHTAG.findall(text) if x and x == x.strip()}


def clauses(text: str | None) -> list[str]:
    """The clauses of a post (media tags removed, emoji codes dropped), in order, stripped."""
    t = _EMOJI_CODE.sub("\n", without_tags(text))
    return [c.strip() for c in _CLAUSE_END.split(t) if c and c.strip()]


def _trim(clause: str, max_chars: int) -> str:
    """A clause cut to max_chars at a word boundary (jieba words, or spaces), marked with '…'."""
    if len(clause) <= max_chars:
        return clause
    import jieba

    _jieba()
    out = ""
    for word in jieba.lcut(clause, HMM=False):
        if len(out) + len(word) > max_chars - 1:
            break
        out += word
    return (out.rstrip() or clause[:max_chars - 1]) + "…"


def first_clause(text: str | None, min_chars: int = 4, max_chars: int = 30) -> str | None:
    """The first clause of a text that reads as words: min_chars or more, no @mention, link or
    repost chain; trimmed to max_chars at a word boundary."""
    for clause in clauses(text):
        if len(clause) >= min_chars and not _NOT_CLAUSE.search(clause) and clause not in _BOILERPLATE:
            return _trim(clause, max_chars)
    return None


def event_hashtag(texts: list[str]) -> str | None:
    """The hashtag most of a group's posts carry (2+ posts; ties: the first in sort order)."""
    seen = Counter(h for t in texts for h in _hashtags(without_tags(t)))
    best = sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))
    return best[0][0] if best and best[0][1] >= 2 else None


def headline(rep_text: str | None, texts: list[str], lang: str) -> str | None:
    """What a title says besides the place: the representative post's first clause, else the
    group's hashtag, else the first clause of another post; None when no post has words."""
    max_chars = 30 if lang == "zh" else 80
    return (first_clause(rep_text, max_chars=max_chars) or event_hashtag(texts)
            or next((c for t in texts if (c := first_clause(t, max_chars=max_chars))), None))


def excerpt(text: str | None, lang: str, n: int = 140) -> str:
    """The text on one line, media tags said in words, cut at n characters with '…'."""
    t = " ".join(readable(text, lang).split())
    return t if len(t) <= n else t[:n] + "…"
