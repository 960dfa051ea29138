"""A second opinion on a name the NER model alone found (no gazetteer pair overlaps it).

The small model catches real names the gazetteer rightly doubts because their words are also
English words (Inyang Son, Faith Ezra, Smart Awe), and misfires on capitalised words in a few
positions where capitals say nothing about a person. Its find is believed unless it sits in one:

- a headline (nearly every word capitalised: Open Source Summit Europe Announces Keynote
  Lineup) and no word of the span is a known first name, or a known surname that is not also a
  common lower-case English word or its plural (Winter Landslip Repairs: the names list holds
  Repairs as a surname only);
- one word right after a lower-case common noun it modifies (eggs Benedict), unless the noun
  names a person (my cousin Tunde, our neighbour Agu);
- one word right after a capitalised word and a colon: a work's subtitle (Hollow Knight:
  Silksong); an all-caps label (ALT:, BREAKING:) is no title.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from .gazetteer import Gazetteer, without_possessive

#: Nouns of kin, friendship and role that stand before a person's name in apposition, and the
#: greetings' nouns that address one (happy birthday Agu, good morning Agu).
PERSON_NOUNS = frozenset("""
birthday anniversary morning afternoon evening night congrats thanks cheers welcome bye
cousin cousins friend friends mate mates buddy pal neighbour neighbor neighbours neighbors brother brothers sister
sisters mum mom mother dad father son daughter wife husband partner boyfriend girlfriend uncle aunt auntie nephew niece
grandma grandpa granddad grandmother grandfather nan gran colleague colleagues coworker boss manager teacher coach
tutor doctor nurse student classmate flatmate roommate housemate landlord landlady client captain chef author
singer drummer guitarist councillor mayor director editor founder host guest bestie babe kid kids baby
""".split())
_WORD = re.compile(r"[^\W\d_]{2,}")
_SUBTITLE_BEFORE = re.compile(r"[A-Z][^\W\d_A-Z]+:[ \u00a0]+$")  # titled word, then a colon
_PREV_LOWER = re.compile(r"([a-z]+)[ \u00a0]+$")


def believes_ner_only(text: str, start: int, end: int, g: Gazetteer, tagger: Callable[[], Any]) -> bool:
    """Whether a NER-only find text[start:end] is kept as a name (see the module docstring)."""
    words = [without_possessive(w) for w in text[start:end].split()]
    if is_headline(text) and not any(w in g.first or (w in g.last and not _common_word(w, g)) for w in words):
        return False
    if len(words) != 1:
        return True
    if _SUBTITLE_BEFORE.search(text, 0, start):
        return False
    prev = _PREV_LOWER.search(text, 0, start)
    if prev is None or prev.group(1) in PERSON_NOUNS:
        return True
    token = next((t for t in tagger()(text) if t.idx == prev.start(1)), None)
    return token is None or token.tag_ not in ("NN", "NNS")


def _common_word(word: str, g: Gazetteer) -> bool:
    return word in g.common_words or (word.endswith("s") and word[:-1] in g.common_words)


def is_headline(text: str) -> bool:
    """Four or more words, nearly all titled (a capital, then lower case). An all-caps shout is
    no headline: the titled words in it are the ones a writer capitalised (TICKETS FOR Satsuki
    Yukio'S FAREWELL GIG)."""
    words = _WORD.findall(text)
    return len(words) >= 4 and sum(w[0].isupper() and not w.isupper() for w in words) >= 0.8 * len(words)
