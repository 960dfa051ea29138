"""PII scrubbing on a fixture written for the test (tests/fixtures/pii_sentences.jsonl: 228
sentences, planted URLs, emails incl. obfuscated ones, phones, IPs, DIDs, handles in several
scripts and on custom domains, personal names, and 63 innocent look-alikes: dates, times,
versions, prices). The name model is the real spaCy pipeline from the `persona` extra."""

from __future__ import annotations

from pathlib import Path

import pytest

from somekit.persona import pii
from somekit.persona.anonymise import scrub_text
from tests.support.pii_eval import STRUCTURED, load_fixture, score

FIXTURE = Path(__file__).parent / "fixtures" / "pii_sentences.jsonl"


@pytest.fixture(scope="module")
def rows():
    rows = load_fixture(FIXTURE)
    assert len(rows) >= 200 and sum(r["kind"] == "lookalike" for r in rows) >= 50
    assert {p["type"] for r in rows for p in r["pii"]} == set(STRUCTURED) | {"NAME"}
    return rows


def test_structured_types_recall_and_no_over_scrubbing(rows):
    res = score(rows, pii.scrub_structured)
    assert res["recall_structured"] >= 0.98, res["missed"]
    assert all(res["recall"][t] >= 0.95 for t in STRUCTURED), res["recall"]
    assert res["false_positive_rate"] <= 0.02, res["false_positives"]


def test_names_with_the_ner_model(rows):
    assert pii.name_engine(), "the persona extra (spaCy + en_core_web_sm) is part of the test install"
    res = score(rows, lambda t: pii.scrub_names(pii.scrub_structured(t)))
    assert res["recall_names"] >= 0.90, res["missed"]
    assert res["recall_structured"] >= 0.98
    assert res["false_positive_rate"] <= 0.02, res["false_positives"]


@pytest.mark.parametrize("text,gone,token", [
    ("handle alice.example.ai is mine", "alice.example.ai", "[URL]"),
    ("hi @张三 你好", "@张三", "[HANDLE]"),
    ("mail alice [at] gmail [dot] com", "alice", "[EMAIL]"),
    ("thanks @bob.example.ai!", "bob.example.ai", "[HANDLE]"),
])
def test_issue_examples_are_scrubbed(text, gone, token):
    out = pii.scrub_structured(text)
    assert gone not in out and token in out


@pytest.mark.parametrize("text", ["Meeting on 2024.11.30", "Doors open at 10:30:45", "python 3.11.2 is out",
                                  "It costs $1,299.99", "Build 10.0.19041.1", "look at this dot com bubble"])
def test_look_alikes_are_kept(text):
    assert pii.scrub_structured(text) == text


def test_scrub_text_is_idempotent_and_switchable(rows):
    for r in rows[:80]:
        once = scrub_text(r["text"], True)
        assert scrub_text(once, True) == once
    assert "[NAME]" in scrub_text("Yesterday I met Maria Gonzalez at the market.", True)
    assert "[NAME]" not in scrub_text("Yesterday I met Maria Gonzalez at the market.", False)
    assert pii.prime_names(["Dinner with Tom Becker tonight"]) in (0, 1)
    assert scrub_text("Dinner with Tom Becker tonight", True) == "Dinner with [NAME] tonight"
