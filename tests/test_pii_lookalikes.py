"""Issue 29's look-alikes of names (tests/support/pii_lookalikes.py, written apart from every
held-out set): brands that are full names, places, dishes, breeds, works, headlines, weather,
Chinese shops, places and words are kept; names in sentences of the same frames are scrubbed.
Every name signal is the real thing (spaCy's pipeline, names-dataset, wordfreq, jieba)."""

from __future__ import annotations

import pytest

from somekit.persona import pii
from tests.support.pii_lookalikes import INNOCENT_EN, INNOCENT_ZH, NAMES_EN, NAMES_ZH

#: Issue 29's precision target: at most 2% of look-alikes changed (here per language, with one
#: string of slack for sets of about sixty).
MAX_CHANGED = 0.02


def full_scrub(text: str) -> str:
    return pii.scrub_names(pii.scrub_structured(text))


def test_the_sets_are_the_size_the_brief_asks():
    assert len(set(INNOCENT_EN)) >= 60 and len(set(INNOCENT_ZH)) >= 60
    assert len(NAMES_EN) + len(NAMES_ZH) >= 40
    assert all(name in text for text, name in NAMES_EN + NAMES_ZH)


@pytest.mark.parametrize("lang,texts", [("en", INNOCENT_EN), ("zh", INNOCENT_ZH)])
def test_look_alikes_are_kept(lang, texts):
    changed = [full_scrub(t) for t in texts if full_scrub(t) != t]
    assert len(changed) <= MAX_CHANGED * len(texts) + 1, changed


@pytest.mark.parametrize("lang,rows", [("en", NAMES_EN), ("zh", NAMES_ZH)])
def test_names_in_the_same_frames_are_scrubbed(lang, rows):
    missed = [full_scrub(text) for text, name in rows if name in full_scrub(text)]
    assert len(missed) <= 0.05 * len(rows), missed


@pytest.mark.parametrize("text,kept", [
    ("Returned the jacket to John Lewis without any fuss", True),
    ("Returned the book to Hana Dvorakova without any fuss", False),
    ("Queued outside Ralph Lauren for the sale", True),
    ("Queued outside the bakery with Annika Virtanen for an hour", False),
    ("Our Winter Charity Bake Sale raised more than last year", True),
    ("Watching Tore Karppanen speedrun this level", False),
    ("Bought bread at Annika Virtanen's stall during the sale", False),
    ("Let Annika Virtanen watch the kids tonight", False),
    ("Borrowed Annika Virtanen's jumper for the hike", False),
    ("Watching Tore Karppanen in the final, what a player", False),
    ("Finally watched Citizen Kane and it lived up to the hype", True),
    ("中午点了杨国福麻辣烫", True),
    ("中午和杨国强吃了麻辣烫", False),
    ("黄浦江边的夜景还是那么好看", True),
    ("黄浩江老师说明天考试", False),
    # round 5: one general kind each, and a person in the same frame
    ("Sunrise over Dunstan's Point this morning", True),
    ("Sunrise over Oskari Lehtinen's Point Reyes photos", False),
    ("Golden Retriever puppies in the garden", True),
    ("Annika Virtanen dog sitting again this weekend", False),
    ("Kate Spade closing down sale starts Friday", True),
    ("Annika Virtanen is closing down her stall", False),
    ("Switched from Dropbox to Nextcloud last week", True),
    ("Switched to Annika Virtanen's team last week", False),
    ("午后有雷阵雨", True),
    ("刘乘风说午后有雨", False),
    ("杨梅熟了", True),
    ("和杨梅芳去摘杨梅", False),
    ("周大生今天的金价又跌了", True),
    ("周建华今天又去健身了", False),
    # round 6: one general kind each, and a person in the same frame
    ("Eggs Benedict again for brunch", True),
    ("Hey Benedict, brunch again?", False),
    ("Adobe Lightroom crashed on export", True),
    ("Tore Karppanen crashed on the sofa", False),
    ("Kate Spade has a new line of tote bags out", True),
    ("Annika Virtanen has a new tote bag", False),
    ("钱大妈的水果晚上打折", True),
    ("钱晓燕说晚上打折", False),
    ("杨梅季到了", True),
    ("恭喜杨梅芳拿到了奖学金", False),
    ("沈家门的海鲜很便宜", True),
    ("沈家明的海鲜很便宜", False),
    ("去蔡林记吃了热干面", True),
    ("和蔡林一起吃了热干面", False),
])
def test_a_frame_decides_between_a_thing_and_a_person(text, kept):
    assert (full_scrub(text) == text) is kept, full_scrub(text)


def test_frames_are_counted_by_signal_only():
    pii.reset_signal_counts()
    full_scrub("Queued outside Ralph Lauren with Annika Virtanen for the sale")
    counts = pii.reset_signal_counts()
    assert counts and all(isinstance(k, str) and isinstance(v, int) for k, v in counts.items())
    assert not any("Annika" in k or "Ralph" in k for k in counts)
