"""The corpus language, which picks the query templates and prompts (zh or en). One rule for
every builder: an explicit choice, else somekit.toml's `workspace.lang`, else the corpus."""

from __future__ import annotations

import re
from typing import Any, Sequence

_CJK = re.compile(r"[\u4e00-\u9fff]")
LANGS = ("zh", "en")


def text_lang(texts: Sequence[str]) -> str:
    """'zh' when a fair share (over 20%) of the letters are Chinese characters, else 'en'."""
    joined = "".join(texts)[:20000]
    letters = sum(ch.isalpha() for ch in joined)
    return "zh" if letters and len(_CJK.findall(joined)) / letters > 0.2 else "en"


def prompt_lang(text: str) -> str:
    """The prompt language for one text (an answer, a reference): 'zh' when it holds any Chinese
    character, else 'en'."""
    return "zh" if _CJK.search(text) else "en"


def corpus_lang(con: Any, lang: str | None = None, cfg: Any = None) -> str:
    """zh or en: `lang` when given (not 'auto'), else the config's, else the posts': their language
    tags when most posts carry one, otherwise the script of the first 300 post texts."""
    if lang in LANGS:
        return lang
    if cfg is not None and cfg.workspace.lang in LANGS:
        return cfg.workspace.lang
    total, tagged = con.execute("SELECT count(*), count(lang) FROM posts WHERE text <> ''").fetchone()
    if total and tagged * 2 > total:
        top = con.execute("SELECT lang FROM posts WHERE lang IS NOT NULL AND text <> '' GROUP BY lang "
                          "ORDER BY count(*) DESC, lang LIMIT 1").fetchone()[0]
        return "en" if top.lower().startswith("en") else "zh"
    rows = con.execute("SELECT text FROM posts WHERE text <> '' ORDER BY id LIMIT 300").fetchall()
    return text_lang([r[0] for r in rows]) if rows else "zh"
