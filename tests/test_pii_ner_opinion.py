"""persona/ner_opinion.py: a name only the NER model found is doubted in a headline, as a
noun's post-modifier and as a subtitle, and kept after a person's noun, in an all-caps shout
and when a word of it is a known name. Real gazetteer and tagger."""

from __future__ import annotations

import pytest

from somekit.persona import pii
from somekit.persona.gazetteer import gazetteer
from somekit.persona.ner_opinion import believes_ner_only, is_headline


def believed(text: str, span: str) -> bool:
    start = text.index(span)
    return believes_ner_only(text, start, start + len(span), gazetteer(), pii._tagger)


@pytest.mark.parametrize("text,span,kept", [
    ("Open Source Summit Europe Announces Keynote Lineup", "Keynote Lineup", False),
    ("Episode 42 - Nzube Morgan Talks Startups And Coffee", "Nzube Morgan", True),  # Morgan is a known surname
    ("Ordered eggs Benedict and got a lecture", "Benedict", False),
    ("Our neighbour Agu fixed the fence", "Agu", True),
    ("Happy birthday Agu, have a great one", "Agu", True),
    ("Hollow Knight: Silksong finally has a release date", "Silksong", False),
    ("ALT: Agu standing on a frozen jetty", "Agu", True),
    ("TICKETS FOR Satsuki Yukio'S FAREWELL GIG SOLD OUT", "Satsuki Yukio'S", True),
    ("ask for Sam at the desk", "Sam", True),
])
def test_second_opinion(text, span, kept):
    assert believed(text, span) is kept


def test_a_shout_is_no_headline():
    assert is_headline("Big Garden Birdwatch Results Are In")
    assert not is_headline("I CANNOT BELIEVE Smart Awe JUST SAID THAT")
