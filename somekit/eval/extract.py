"""Rule-based label extraction from an agent's free-text answer (Chinese and English).

Rules, in order; the first that decides wins:
  exact       the whole answer is a label word ("是", "Angry.", "half-true")
  marker      a label right after the last answer marker ("答案：否", "Final answer: yes")
  leading     the answer opens with a label word ("是的，……", "No, because ...")
  unanswerable  the answer declines ("无法判断", "I cannot determine"): no label, no LLM fallback
  mention     exactly one label is implied by the sentences ("该用户不会转发", "expresses sadness")
Anything else is 'ambiguous' and may go to the LLM fallback (see classify.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .labels import CUES, KIND, MARKERS, NEGATION_BEFORE, SYNONYMS, UNANSWERABLE


@dataclass(frozen=True)
class Extraction:
    label: str | None
    rule: str          # exact | marker | leading | mention | unanswerable | ambiguous | empty | llm


_STRIP = re.compile(r"[\s\*`#_>\"'“”‘’「」『』【】\[\]\(\)（）.。,，!！?？:：;；~～、-]+")
_MENTION_SKIP = {"none", "y", "n", "will", "likely", "unlikely", "won't", "will not", "true", "false", "correct", "incorrect"}


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


def _word_pattern(word: str) -> str:
    escaped = re.escape(word).replace(r"\ ", r"\s+").replace(r"\-", r"[\s\-]?")
    # English words need word boundaries; Chinese words cannot have them.
    return rf"(?<![a-z]){escaped}(?![a-z])" if word[0].isascii() else escaped


@lru_cache(maxsize=None)
def _patterns(kind: str, for_mentions: bool) -> tuple[tuple[str, re.Pattern], ...]:
    out = []
    for label, words in SYNONYMS[kind].items():
        for word in words:
            if for_mentions and (word in _MENTION_SKIP or len(word) == 1 or kind == "yesno"):
                continue
            out.append((label, re.compile(_word_pattern(word))))
        if for_mentions:
            for cue in CUES.get(kind, {}).get(label, ()):
                out.append((label, re.compile(cue)))
    if for_mentions and kind == "yesno":
        # Bare yes/no words, and 是/否 standing alone between punctuation.
        out.append(("yes", re.compile(r"(?<![a-z])yes(?![a-z])|(?:^|(?<=[，。,.!！；;\s]))是(?:的)?(?=$|[，。,.!！；;\s])")))
        out.append(("no", re.compile(r"(?<![a-z'])no(?![a-z'])(?!\s+(?:emotion|information|evidence))|(?:^|(?<=[，。,.!！；;\s]))(?:否|不是)(?=$|[，。,.!！；;\s])")))
    return tuple(out)


def _mentions(kind: str, text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping label mentions (start, end, label), earliest then longest first, with
    negated ones dropped; `不会点赞` is one 'no' mention, not a 'no' and a 'yes'."""
    found = []
    for label, pattern in _patterns(kind, True):
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), label))
    # Same span for two labels: the negative reading wins ("will not like" is a 'no').
    found.sort(key=lambda f: (f[0], -(f[1] - f[0]), f[2] != "no"))
    kept: list[tuple[int, int, str]] = []
    end = -1
    for start, stop, label in found:
        if start < end:
            continue
        end = stop
        if kind != "yesno" and re.search(NEGATION_BEFORE, text[max(0, start - 8):start]):
            continue
        kept.append((start, stop, label))
    return kept


def _exact(kind: str, text: str) -> str | None:
    bare = _STRIP.sub(" ", text).strip()
    for label, words in SYNONYMS[kind].items():
        if bare in words:
            return label
    return None


def _leading(kind: str, text: str) -> str | None:
    head = _STRIP.sub(" ", text[:40]).strip()
    best = None
    for label, words in SYNONYMS[kind].items():
        for word in words:
            if head.startswith(word) and (len(head) == len(word) or not head[len(word)].isalnum() or head[len(word)] == " "):
                # A label word must be followed by a break: "是的，" yes, "是该用户发表的" is not leading.
                if len(head) > len(word) and head[len(word)] != " " and not word[0].isascii():
                    continue
                if best is None or len(word) > len(best[1]):
                    best = (label, word)
    return best[0] if best else None


def _after_marker(kind: str, text: str) -> str | None:
    last = None
    for pattern in MARKERS:
        for m in re.finditer(pattern, text):
            if re.search(r"(?:无法|不能|难以|不好|没法)\s*$", text[max(0, m.start() - 4):m.start()]):
                continue  # "无法判断" is a refusal, not a marker
            if last is None or m.end() > last:
                last = m.end()
    if last is None:
        return None
    window = text[last:last + 30]
    label = _exact(kind, window.split("\n")[0]) or _leading(kind, window)
    if label:
        return label
    mentions = _mentions(kind, window)
    return mentions[0][2] if mentions else None


def extract_label(task: str, answer: str | None) -> Extraction:
    """The label an answer gives for a classification task, with the rule that found it."""
    kind = KIND[task]
    if answer is None or not str(answer).strip():
        return Extraction(None, "empty")
    text = _norm(str(answer))
    if (label := _exact(kind, text)) is not None:
        return Extraction(label, "exact")
    if (label := _after_marker(kind, text)) is not None:
        return Extraction(label, "marker")
    if (label := _leading(kind, text)) is not None:
        return Extraction(label, "leading")
    if any(re.search(p, text) for p in UNANSWERABLE):
        return Extraction(None, "unanswerable")
    labels = {m[2] for m in _mentions(kind, text.replace("是否", "").replace("是不是", ""))}
    if len(labels) == 1:
        return Extraction(labels.pop(), "mention")
    return Extraction(None, "ambiguous")
