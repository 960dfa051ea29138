"""English place frames of issue 29 round 10: a foreign place word opening a name, a
waterfront head closing it, a one-word German, Dutch or Scandinavian place compound, and an
unknown word before a thing's head. Each place is kept and a person in the same frame is
scrubbed."""

from __future__ import annotations

import pytest

from somekit.persona import pii
from somekit.persona.name_things import is_place_compound


def full_scrub(text: str) -> str:
    return pii.scrub_names(pii.scrub_structured(text))


@pytest.mark.parametrize("place,person,name", [
    # a foreign park, garden or station word opens the name (places_en.PLACE_PREFIXES)
    ("Concert tonight at Parc Lafontaine, bring a chair", "Concert tonight with Annika Lafontaine, bring a chair",
     "Lafontaine"),
    ("Picnic in Parque Ibirapuera after lunch", "Picnic with Yusuf Ibirapuera after lunch", "Ibirapuera"),
    ("Meet me outside Estación Atocha at nine", "Meet me outside with Desmond Atocha at nine", "Atocha"),
    # a waterfront head closes it (name_things.STREET_HEADS)
    ("Queue stretched along Albert Embankment this morning", "Queue stretched along with Albert Okonkwo this morning",
     "Okonkwo"),
    ("Sunset walk on Marine Parade with the dog", "Sunset walk with Ingrid Fairweather and the dog", "Fairweather"),
])
def test_a_place_is_kept_and_a_person_in_the_same_frame_is_scrubbed(place, person, name):
    assert full_scrub(place) == place
    assert name not in full_scrub(person)


@pytest.mark.parametrize("text", [
    "Coffee on Leidseplein before the museum",
    "Got lost near Drottninggatan, still found the hotel",
    "Christmas market on Alexanderplatz was packed",
])
def test_a_one_word_place_compound_is_kept(text):
    assert full_scrub(text) == text


def test_a_known_surname_with_a_compound_ending_stays_a_name():
    g = pii._gazetteer()
    assert is_place_compound("Marienplatz", g)
    surnames = [w for w in ("Lavallee", "Khobragade", "Meulengracht") if w in g.last]
    assert surnames and not any(is_place_compound(w, g) for w in surnames)
    assert "Khobragade" not in full_scrub("Dinner with Priya Khobragade tonight")


@pytest.mark.parametrize("text,name,kept", [
    ("Frisbee at Frederick Law Olmsted Park on Sunday", "Olmsted", True),  # an unknown word before a thing's head
    ("Frisbee with Frederick Nakagawa on Sunday", "Nakagawa", False),
    ("Sorry Nkiruka Gardens, running late", "Nkiruka", False),  # a head with no place expected: a person
    ("Coffee with Desmond Quay later", "Quay", False),       # Quay is a surname: a head only after a place
    ("Ferry from Circular Quay at noon", "Circular Quay", True),
    ("Drinks with Ben Okafor tonight", "Okafor", False),     # Ben opens a place only where one is expected
    ("Mist over Ben Nevis this morning", "Ben Nevis", True),
    ("Camping in Glen Coe this weekend", "Glen Coe", True),
])
def test_a_head_or_an_opener_that_is_also_a_name_needs_its_place(text, name, kept):
    assert (name in full_scrub(text)) is kept
