"""The written list of things named after people (persona/known_things.py): a listed thing
keeps the name the signals found in it, a person cue beside it scrubs the name again."""

from __future__ import annotations

import pytest

from somekit.persona import known_things, pii
from somekit.persona.pii_card import card_lines


def full_scrub(text: str) -> str:
    return pii.scrub_names(pii.scrub_structured(text))


def test_the_lists_ship_with_the_package_and_are_broad():
    assert known_things.DATA.parent.name == "persona"
    assert known_things.entry_count("en") >= 600 and known_things.entry_count("zh") >= 200


@pytest.mark.parametrize("text,found", [
    ("Ted Baker's stores are closing", ["Ted Baker's"]),           # the possessive goes with it
    ("Paul Smithson fixed the boiler", []),                        # a word boundary, not a prefix
    ("paul smith stripes", []),                                    # case as listed
    ("from Darwin to Alice Springs by road", ["Darwin", "Alice Springs"]),
    ("Abel Tasman National Park in the rain", ["Abel Tasman National Park"]),  # the longest entry wins
])
def test_occurrences_match_listed_entries_on_word_boundaries(text, found):
    assert [text[a:b] for a, b in known_things.occurrences(text, "en")] == found


def test_a_chinese_entry_matches_inside_running_text():
    text = "周末在吴裕泰买了茉莉花茶"
    assert [text[a:b] for a, b in known_things.occurrences(text, "zh")] == ["吴裕泰"]


@pytest.mark.parametrize("thing,person,name", [
    ("Loved the Paul Smith stripes on that shirt", "Dr. Paul Smith said the stripes suit me", "Paul Smith"),
    ("Ted Baker is closing its stores", "Ted Baker, our neighbour, is closing his shop", "Ted Baker"),
    ("在谢馥春买了鸭蛋粉", "和谢馥春一起吃饭", "谢馥春"),
])
def test_a_listed_thing_is_kept_and_the_same_name_with_a_person_cue_is_scrubbed(thing, person, name):
    assert full_scrub(thing) == thing
    assert name not in full_scrub(person)


def test_vetoes_are_counted_without_strings_and_the_card_says_them():
    pii.reset_signal_counts()
    full_scrub("The Tory Burch flats were on sale")
    counts = pii.reset_signal_counts()
    assert counts.get("known_thing_en", 0) >= 1
    assert all(isinstance(v, int) for v in counts.values())
    lines = card_lines({"pii": {"names": pii.name_engine(), "name_signals": counts}})
    text = " ".join(lines)
    assert "known-things list" in text and "Finds kept as listed things named after people: English" in text


@pytest.mark.parametrize("text,name,kept", [
    ("Drove from Coober Pedy to Alice Springs overnight", "Coober Pedy", True),   # the other end is listed
    ("From Perth to Coober Pedy in a day", "Coober Pedy", True),                   # ... or a known city
    ("A postcard from Lisbon to Annika Virtanen arrived", "Annika Virtanen", False),  # a first name: a person
])
def test_one_end_of_a_route_to_a_known_place_is_a_place(text, name, kept):
    assert (name in full_scrub(text)) is kept


@pytest.mark.parametrize("text,kept", [
    ("Bought a Raspberry Pi for the kids", True),       # the model's span took in "a"
    ("Will Houston came round for dinner", False),      # a first name before a listed city
    ("Paul Smith Jones fixed the boiler", False),       # a capitalised word past the thing: a person
])
def test_a_span_reaching_past_a_thing_only_by_filler_words_is_the_thing(text, kept):
    assert (full_scrub(text) == text) is kept


@pytest.mark.parametrize("thing,person,name", [
    # eponymous conditions; "who knew" remarks on the thing, "who knew him" is about a person
    ("My knee pain is Osgood-Schlatter, who knew", "My physio is Osgood Nakagawa, who knew him", "Nakagawa"),
    ("Her aunt was diagnosed with Creutzfeldt-Jakob disease", "Her aunt was visited by Annika Jakobsen",
     "Jakobsen"),
    ("Turns out it is Wolff-Parkinson-White syndrome", "Turns out it is Desmond Whitfield on the phone",
     "Whitfield"),
    # bands whose names read like a person's
    ("Blue Öyster Cult on the radio again", "Ingrid Öystermann on the radio again", "Öystermann"),
    ("Steely Dan came round and we all sang along", "Yusuf Okonkwo came round and we all sang along", "Okonkwo"),
])
def test_listed_conditions_and_bands_are_kept_and_a_person_in_their_frame_is_scrubbed(thing, person, name):
    assert full_scrub(thing) == thing
    assert name not in full_scrub(person)


@pytest.mark.parametrize("text,lang", [
    ("Revising Raoult's law for the chem test", "en"),  # an eponym before a law-type noun
    ("点了王小二麻辣烫当午饭", "zh"),                    # goods straight after a shop's name
    ("去孙记吃了碗面", "zh"),                            # a surname and 记: a shop
    ("今天有雷阵雨记得带伞", "zh"),                       # a weather word
])
def test_the_general_frames_keep_things_the_list_does_not_hold(text, lang):
    """The list is knowledge, the frames are grammar: things no list holds still pass through, so
    a frame that looks dead because the list covers every tuning text is not."""
    assert known_things.occurrences(text, lang) == ()
    assert full_scrub(text) == text


@pytest.mark.parametrize("text,is_person", [
    ("Dinner with Paul Smith tonight, first time since uni", True),   # met
    ("Thanks Tory Burch for the help with the move", True),           # addressed
    ("Paul Smith is my neighbour and he mows at 7am", True),           # related
    ("My neighbour Ted Baker fixed the fence", True),
    ("Paul Smith and I went hiking", True),
    ("Had coffee with Ted Baker, he is moving to Leeds", True),
    ("Thanks to Ted Baker's sale I got a suit", False),                # "thanks to" gives a cause
    ("A shirt with Paul Smith stripes", False),
])
def test_people_who_share_a_listed_name_are_scrubbed_in_person_frames(text, is_person):
    assert (full_scrub(text) != text) is is_person
