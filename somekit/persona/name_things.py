"""Capitalised words that name a thing a person was named after: firms, brands, places, prizes.

"Wells Fargo", "Tim Hortons", "Sydney Harbour", "Johns Hopkins University", "Nobel Prize" open
with a person's name, and neither the NER model nor the gazetteer can tell from the name alone.
The words around it can:

- a head word of an organisation, facility or place right after the span or closing it
  (University, Foundation, Inc, Hotel, Street, Harbour, Prize, Line...), unless that closing
  word is someone's surname too (Desmond Hall stays a name; "Carnegie Hall Foundation" does
  not); a street's or a square's head closes a place whatever surname it also is (Russell
  Square, Baker Street), and whatever person cue comes before it ("to Russell Square");
- a possessive and a lower-case law, effect, theorem... after it (Ohm's law, Murphy's law):
  an eponym, unless a noun follows the head (Desmond's law degree);
- "The" opening it, or an article before it or before the capitalised run it closes (The
  Darwin Centre, a Nissan Micra, a Great Crested Grebe): English puts no article before a
  person's name, unless a private person's full name modifies a noun (the Annika Virtanen
  interview);
- a head word in lower case straight after the span (Marie Curie fellowship, Nobel prize
  money) as a noun compound's modifier, for the heads that are no everyday chat noun;
- a second word that is a known English word of any case (wordfreq) but no one's first or last
  name (Fargo, Madrid, Friday): a phrase or a place, not a surname;
- a head word closing the span after a place's name (Victoria Park, Victoria Station): the
  head may be a surname too (Park, Station), the place makes it a thing;
- a lone capitalised word (the NER model's one-token PERSON) with nothing else saying person:
  an English word that is nobody's name (Danube, Pulitzer, Meeting) or an ordinary lower-case
  word whatever surname it also is (Bread, Baker), a hashtag (#GameDay), a place's name that is no
  known first name (Manchester, Calais; Victoria stays), a one-word German, Dutch or Scandinavian
  place compound that is nobody's known name (Marienplatz, Leidseplein), a word right after an article or
  demonstrative or a possessive (The Pulitzer jury, this Kindle);
- a lone word after "in", "at" or "near" that is a place's name, first name or not (stuck in
  Kent): people are met, places are been in;
- a well-known surname (one wordfreq counts as an English word: Klein, Lauren, Mitchell) used
  straight before a common noun, as the NER model's own tagger reads it (Calvin Klein underwear,
  Paul Mitchell shampoo), or any lone word after a possessive or determiner and before a
  common noun (my Dyson charger, our Bernese mountain dog): a brand or a breed. A rare surname (Okonkwo, Nakagawa) is never read so: the
  names a takedown is about are private people's, whose surnames no frequency list holds.

A surname with an `s` glued on (Tim Hortons) is persona/names.py's (pair_signal).

The head words are a short list on purpose: they are the nouns English uses to close a proper
name of a thing, and no library lists them.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from .frames_en import PRODUCT_NOUNS
from .gazetteer import POSSESSIVE_END, Gazetteer, without_possessive

ORG_HEADS = frozenset("""
Inc Co Corp Corporation Ltd LLC PLC GmbH AG SA Group Holdings Partners Capital Ventures Associates
Company Brothers Bros Industries Enterprises Motors Airlines Airways Records Studios Pictures Labs
Media Press Publishing Foundation Fund Trust Society Association Institute Institution Academy
University College School Hospital Clinic Hotel Hotels Resort Restaurant Cafe Bakery Bank
Street St Avenue Ave Road Rd Boulevard Blvd Lane Square Plaza Park Garden Gardens Center Centre
Station Airport Harbour Harbor Port Bridge Lake River Mountain Mount Island Islands Beach Bay
Valley Canyon Quay County Stadium Arena Theatre Theater Museum Gallery Library Cathedral Abbey Palace
Castle Tower House Building Mall Market Prize Award Awards Medal Trophy Cup Memorial Lecture Fellowship
Scholarship Act Law Syndrome Disease Effect Principle Theorem Line
""".split())
#: Heads of streets, squares and stations: a place whatever surname the head also is (Square,
#: Street, Station and Plaza are surnames somewhere; Lane, Hall and Park are too common ones).
STREET_HEADS = frozenset("Street St Avenue Ave Road Rd Boulevard Blvd Square Plaza Station Airport Terrace "
                         "Crescent Circus Parkway Piazza Platz Strasse Straße "
                         # waterfront and walkway heads (Victoria Embankment, Brighton Pier). Not Quay, a
                         # surname too (an ORG_HEAD: Desmond Quay stays a name); not Marina, a first name.
                         "Embankment Esplanade Promenade Parade Wharf Mews Causeway Pier Boardwalk Drive "
                         # the street types other languages put after the name (de, nl, da, sv, tr, hu)
                         "Gasse Allee Weg Straat Gracht Plein Gade Vej Gatan Vägen Caddesi Sokak Sokağı Utca".split())
#: Lower-case nouns after an eponym's possessive (Ohm's law, Down's syndrome, Halley's comet).
EPONYM_HEADS = frozenset("law laws effect principle syndrome disease theorem constant comet paradox equation "
                         "equations hypothesis conjecture lemma razor rule number formula".split())
#: Words that may follow an eponym's head (Ohm's law for once); any other lower-case word
#: makes the head a modifier of a person's thing (Desmond's law degree).
_AFTER_EPONYM = re.compile(r"(?:['’]?s)?(?:[ \u00a0]*(?:$|[.,;:!?)])|[ \u00a0]+(?:for|of|in|on|and|or|is|was|says|to|"
                           r"at|with|that|which|again|applies|holds|kicks|strikes|before|after|from|by|about|as|when|because|but|"
                           r"[A-Z0-9]))")
#: Heads that may close a thing's name in lower case too (the Marie Curie fellowship); everyday
#: nouns that also follow a name in chat (house, group, press, trust) are left out.
LOWER_HEADS = frozenset(w.lower() for w in ORG_HEADS) - frozenset(
    "house group press trust law act effect company partners brothers bros capital media co st ave rd "
    "market park garden square lane road street cup".split())
_ARTICLE_ONLY_BEFORE = re.compile(r"\b(?:the|a|an)[ \u00a0]+$", re.I)
_NEXT_WORD = re.compile(r"[\s\u00a0]+([^\W\d_]+)")


def next_word(text: str, end: int) -> str:
    m = _NEXT_WORD.match(text, end)
    return m.group(1) if m else ""


def names_a_thing(text: str, start: int, end: int, g: Gazetteer) -> bool:
    """The span text[start:end] names a thing: a head word follows it or closes it, an eponym's
    head follows its possessive, or an article stands before it (see the module docstring)."""
    after = next_word(text, end)
    # A possessive owns the noun after it (Nkiruka Dosunmu's gallery): a person, not a compound.
    if after in ORG_HEADS or (after in LOWER_HEADS and not POSSESSIVE_END.search(text, 0, end)):
        return True
    eponym = _EPONYM.match(text, end)
    if eponym and eponym.group(1) in EPONYM_HEADS and _AFTER_EPONYM.match(text, eponym.end()):
        return True  # Ohm's law
    words = text[start:end].split()
    if ((words and words[0] in ("The", "the")) or _after_article(text, start)) and not _private_modifier(text, end, words, g):
        return True
    if len(words) < 2:
        return False
    return words[-1] in STREET_HEADS or (words[-1] in ORG_HEADS and (words[-1] not in g.last or _is_place(words[:-1], g)))


def _is_place(words: list[str], g: Gazetteer) -> bool:
    joined = " ".join(words)
    return joined in g.places or joined in g.place_words


#: A possessive (kept in the span or after it) and the lower-case word after it.
_EPONYM = re.compile(r"(?:['’]s?)?[ \u00a0]+([a-z]+)")
_CAPITALISED_BEFORE = re.compile(r"[A-Z][^\W\d_A-Z]+[ \u00a0]$")  # titled, not an all-caps shout


_LOWER_NOUNS = re.compile(r"[ \u00a0]+([a-z]+)(?:[ \u00a0]+([a-z]+))?")


def _private_modifier(text: str, end: int, words: list[str], g: Gazetteer) -> bool:
    """A full name whose surname no frequency list holds, before a lower-case noun (the Annika
    Virtanen interview, the Desmond Okafor fan club): a private person's name as a modifier,
    which the article belongs to; brands' surnames are known words (the John Deere tractor)."""
    nouns = _LOWER_NOUNS.match(text, end)
    if nouns is None or len(words) < 2 or words[-2] in ("The", "the") or words[-2] not in g.first:
        return False
    # Goods after an article and a name are the label's (a Michael Kors watch, an Estée Lauder
    # night cream): people are not sold; "watch" is a noun after an article.
    goods = {w for w in nouns.group(1, 2) if w in PRODUCT_NOUNS or w in ("watch", "watches")}
    return _is_surname_only(words[-1], g) and not goods


def _is_surname_only(word: str, g: Gazetteer) -> bool:
    word = without_possessive(word)
    return word in g.last and word not in g.dictionary


def _after_article(text: str, start: int) -> bool:
    """An article before the span or before the run of capitalised words it closes (a Great
    Crested Grebe, The Schwarzman Centre); a capitalised article opens the run."""
    while True:
        if _ARTICLE_ONLY_BEFORE.search(text, 0, start):
            return True
        m = _CAPITALISED_BEFORE.search(text, 0, start)
        if m is None:
            return False
        start = m.start()


#: An article, demonstrative or possessive straight before a capitalised word makes a thing of
#: it (The Pulitzer jury, this Kindle, my Dyson charger): English puts none before a person's
#: name. Shared with names.py (My Kindle Paperwhite).
DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|my|our|your|his|her|their|its|this|that|these|those)\s+$", re.I)
#: "in X", "at X": where someone is, so X is a place when the place list holds it.
_IN_BEFORE = re.compile(r"\b(?:in|at|near)[ \u00a0]+$", re.I)


#: Endings of one-word place compounds in German, Dutch and the Scandinavian languages
#: (Marienplatz, Friedrichstraße, Leidseplein, Vesterbrogade, Stortorget, Drottninggatan): a
#: lone capitalised word so made is a place, unless it is someone's known first name or surname
#: (Lavallee and Khobragade end in -allee and -gade).
PLACE_COMPOUND_ENDS = ("platz", "straße", "strasse", "gasse", "allee", "markt", "bahnhof", "brücke", "bruecke",
                       "plein", "straat", "gracht", "gade", "torget", "torv", "gatan", "vägen", "plass")


def is_place_compound(word: str, g: Gazetteer) -> bool:
    lower = word.lower()
    return any(lower.endswith(e) and len(lower) > len(e) + 2 for e in PLACE_COMPOUND_ENDS) \
        and word not in g.first and word not in g.last


def is_lone_thing(text: str, start: int, end: int, g: Gazetteer) -> bool:
    """text[start:end], one capitalised word, names a thing or place, not a person (see above).
    A first name the gazetteer knows is never vetoed by its place (Victoria, Florence)."""
    word = text[start:end]
    if " " in word:
        return False
    before = text[:start]
    if word in g.place_words and _IN_BEFORE.search(before):
        return True
    if word in g.first:
        return False
    if is_known_word_not_name(word, g) or word in g.place_words or word in g.common_words or is_place_compound(word, g):
        return True
    if before.endswith("#"):
        return True  # a hashtag (#TBT, #GameDay) names a topic
    return DETERMINER_BEFORE.search(before) is not None


def is_known_word_not_name(word: str, g: Gazetteer) -> bool:
    """An English word of any case that is nobody's first or last name (Fargo, Madrid)."""
    return word in g.dictionary and word not in g.last and word not in g.first


#: Food sold under a label's name (Sara Lee cheesecake, Heinz beans).
FOOD_NOUNS = frozenset("""
cheesecake cheesecakes cake cakes pie pies pizza pizzas biscuits cookies cereal crisps chips chocolate chocolates
yoghurt yogurt yoghurts dessert desserts icecream ice-cream soup beans noodles sausages burgers nuggets tea coffee
""".split())
#: Nouns of time that follow a person's name as adverbs (Lunch with Desmond Fairweather today).
#: Not "night" or "weekend": straight after a name (no "this", "last") they head a compound
#: (Mario Kart night, the Desmond Okafor weekend).
_TIME_NOUNS = frozenset("today tonight tomorrow yesterday now lol".split())
_LOWER_NEXT = re.compile(r"[ \u00a0]+([a-z]+)\b")


def is_attributive_brand(text: str, start: int, end: int, g: Gazetteer, tagger: Callable[[], Any]) -> bool:
    """text[start:end] is a well-known surname's brand used before a common noun (see above).
    `tagger` gives the spaCy pipeline with its tagger; it runs only on the rare texts where the
    cheaper tests pass."""
    words = text[start:end].split()
    owned = len(words) == 1 and DETERMINER_BEFORE.search(text, 0, start)
    # An owned lone word before a noun is a make or a breed whatever it is (our Bernese mountain
    # dog); two words need a surname English knows (a rare one is a private person's).
    if not (len(words) >= 2 or owned) or (not owned and words[-1] not in g.dictionary):
        return False
    nxt = _LOWER_NEXT.match(text, end)
    if nxt is None or nxt.group(1) in _TIME_NOUNS:
        return False
    after = [t for t in tagger()(text) if t.idx >= nxt.start(1)][:3]
    if after and after[0].tag_ in ("NN", "NNS"):
        return True
    # Adjectives between the brand and goods or food (Sara Lee frozen cheesecake); not before any
    # noun: "Thanks Mark Jordan great work" praises a person.
    while len(after) > 1 and after[0].tag_ in ("JJ", "VBN"):
        after = after[1:]
    return bool(after) and after[0].tag_ in ("NN", "NNS") and after[0].lower_ in PRODUCT_NOUNS | FOOD_NOUNS
