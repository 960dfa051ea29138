"""A written list of well-known things named after people, or written like a person's name.

Ted Baker (a shop), Murphy's Law, Gantt charts, Abel Tasman National Park, Tame Impala (a
band), 谢馥春 and 吴裕泰 (shops named after their founders): the words around them often say
nothing a rule could read, so no frame test keeps them. Knowing them does. The lists are
data/known_things_en.txt and data/known_things_zh.txt (one entry a line, `# ` lines group
them), written from general knowledge, not from any test set.

A name a signal found is dropped when it lies inside (or is) an occurrence of a listed thing,
unless a person cue stands right beside that occurrence: Paul Smith is a shop and also many
private people's name, and "Dr. Paul Smith said" is one of the people. English entries match
case-sensitively on word boundaries, with a possessive 's after them (Ted Baker's stores);
Chinese ones anywhere in the text. Where two entries start at the same place the longer wins.

VETO_COUNTS counts the names each list kept (counts only, never the strings) for the stats.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path

from .names_zh_cues import LEFT_CUES, RIGHT_CUES

DATA = Path(__file__).with_name("data")
#: lang -> names a listed thing kept, since the process started or take_veto_counts().
VETO_COUNTS: Counter[str] = Counter()
_WORD = re.compile(r"\w+")
_POSSESSIVE = re.compile(r"['’]s?")
#: A title or form of address straight before a thing's name makes it a person's (Dr. Paul Smith).
_TITLE_BEFORE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Professor|Coach|Sir|Dame|Aunt|Auntie|Uncle|Cousin|"
                           r"Grandma|Grandpa|Nurse|Officer|Captain|Capt|Judge|Rev|Father|Sister|Brother|Pastor|"
                           r"Detective|Sgt|Sergeant|Councillor|Senator|Rep|Deputy)\.?\s+$")
#: Words that address or meet a person just before the name (Thanks Tory Burch, Dinner with Paul
#: Smith, my neighbour Ted Baker): people are thanked, met and related to; a brand is bought
#: ("Thanks to Ted Baker's sale" gives a cause, so "thanks to" is no cue).
_PERSON_BEFORE = re.compile(r"\b(?:(?:[Tt]hanks|[Tt]hank you|[Cc]heers|[Hh]i|[Hh]ey|[Hh]ello|[Dd]ear|[Cc]ongrats|"
                            r"[Cc]ongratulations|[Cc]c|RIP|[Hh]appy birthday),?|(?:[Cc]ongrats|[Cc]ongratulations|[Hh]appy birthday) to|"
                            r"(?:[Dd]inner|[Ll]unch|[Bb]reakfast|[Bb]runch|[Cc]offee|[Dd]rinks|[Cc]hatting|[Tt]alking|[Ss]poke|"
                            r"[Ss]peaking|met up|hanging out|catching up|[Dd]ate|[Cc]all|[Ww]alk) with|"
                            r"(?:[Mm]y|[Oo]ur) (?:friend|mate|colleague|coworker|co-worker|neighbour|neighbor|boss|cousin|"
                            r"brother|sister|mum|mom|dad|wife|husband|partner|son|daughter|teacher|tutor|classmate|"
                            r"roommate|flatmate|landlord|landlady|doctor|dentist|uncle|aunt|niece|nephew|grandson|"
                            r"granddaughter|boyfriend|girlfriend|fiancée?))\s+$")
#: A verb of speech or thought, a relation, or an apposition giving a role, straight after it
#: (Paul Smith said; Paul Smith is my neighbour; Paul Smith and I; Paul Smith, our neighbour;
#: Paul Smith, who ...); not the idioms "who knew", "who cares", "who would have thought",
#: which remark on the thing.
_PERSON_AFTER = re.compile(r"(?:['’]s?)?(?:\s+(?:said|says|told|tells|wrote|writes|thinks|thought|asked|asks|"
                           r"replied|explained|added|texted|emailed|called|messaged|reckons|(?:is|was) my|and I|and me)\b|"
                           r",?\s+(?:he|she|they)\s+(?:is|was|said|says|told|had|has|will|can|lives|works)\b|"
                           r",\s+(?:who(?!\s+(?:(?:knew|cares)\s*(?:[?!.,]|$)|would(?:'ve|\s+have)\s+thought))|our|my|his|her|their|your)\b)")


@functools.lru_cache(maxsize=2)
def entries(lang: str) -> dict[str, tuple[str, ...]]:
    """The list of one language, keyed by where a match can start (_key); each key's entries
    longest first."""
    keyed: dict[str, set[str]] = {}
    for line in (DATA / f"known_things_{lang}.txt").read_text(encoding="utf-8").splitlines():
        entry = line.strip()
        if entry and not entry.startswith("#"):
            keyed.setdefault(_key(entry, 0, lang), set()).add(entry)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in keyed.items()}


def _key(text: str, at: int, lang: str) -> str:
    """An English entry's first word, a Chinese entry's first character."""
    if lang == "zh":
        return text[at]
    word = _WORD.match(text, at)
    return word.group() if word else ""


def entry_count(lang: str) -> int:
    return sum(len(v) for v in entries(lang).values())


@functools.lru_cache(maxsize=256)
def occurrences(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every listed thing in `text`, leftmost-longest, not overlapping (cached:
    each name span of a text asks)."""
    listed = entries(lang)
    found: list[tuple[int, int]] = []
    starts = range(len(text)) if lang == "zh" else (m.start() for m in _WORD.finditer(text))
    for start in starts:
        if found and start < found[-1][1]:
            continue
        for entry in listed.get(_key(text, start, lang), ()):
            end = start + len(entry)
            if not text.startswith(entry, start):
                continue
            if lang == "en":
                possessive = _POSSESSIVE.match(text, end)
                end = possessive.end() if possessive and entry[-1] not in "'’" else end
                if end < len(text) and (text[end].isalnum() or text[end] == "_") or start and text[start - 1].isalnum():
                    continue
            found.append((start, end))
            break
    return tuple(found)


def _only_filler(text: str, start: int, end: int) -> bool:
    """text[start:end] (empty when start >= end) holds no character a name is made of: no
    capital, no Han character (a capitalised word, even the text's first, may be a first name:
    Will Houston came round)."""
    return not any(c.isupper() or c > "\u2e7f" for c in text[start:end])


def _person_cue(text: str, start: int, end: int, lang: str) -> bool:
    if lang == "zh":
        return text[:start].endswith(LEFT_CUES) or text[end:].startswith(RIGHT_CUES)
    return (_TITLE_BEFORE.search(text, 0, start) is not None or _PERSON_BEFORE.search(text, 0, start) is not None
            or _PERSON_AFTER.match(text, end) is not None)


def is_known_thing(text: str, start: int, end: int, lang: str) -> bool:
    """The name span text[start:end] lies inside a listed thing with no person cue beside it
    (counted in VETO_COUNTS). Lower-case words the NER model took in with the thing ("a
    Raspberry Pi") do not take it outside."""
    for a, b in occurrences(text, lang):
        if a < end and start < b and _only_filler(text, start, a) and _only_filler(text, b, end) \
                and not _person_cue(text, a, b, lang):
            VETO_COUNTS[lang] += 1
            return True
    return False


def take_veto_counts() -> dict[str, int]:
    counts = {f"known_thing_{lang}": n for lang, n in sorted(VETO_COUNTS.items())}
    VETO_COUNTS.clear()
    return counts
