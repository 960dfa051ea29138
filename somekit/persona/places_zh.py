"""Chinese place names that read like personal names (阳朔, 桂林: a surname character first).

The list is China's administrative divisions as cpca ships them (adcodes.csv: provinces, cities,
counties, districts), each also without its rank suffix (阳朔县 -> 阳朔), as Chinese writes
them in running text. The CSV is read straight from the package folder: importing cpca would
load pandas and build a matcher we never use.

A place's name is still a possible personal name (阳朔 is surname 阳 + 朔), so it is vetoed only
where the text treats it as a place: joined to another place (桂林和阳朔, 桂林、阳朔) or after a
verb of going or being somewhere (去阳朔, 在阳朔).
"""

from __future__ import annotations

import csv
import functools
import re

from ..deps import locate

#: Rank suffixes of divisions, longest first, dropped to give the short form.
_SUFFIXES = ("自治县", "自治州", "自治区", "特别行政区", "林区", "新区", "地区", "盟", "旗", "省", "市", "县", "区")
#: Between two places in a list: 和, 与, 跟, 及, 、 or a dash of a route (桂林到阳朔).
_JOIN = "和与跟及、到至"
#: Verbs of going or being somewhere right before a place.
_GO_BEFORE = re.compile(r"(?:去|到|在|来|游|回|住|飞|抵达|前往|路过|途经)了?$")


@functools.lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    folder = locate("cpca", "Chinese place names")
    names: set[str] = set()
    with open(folder / "resources" / "adcodes.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = row["name"]
            names.add(name)
            short = next((name[:-len(s)] for s in _SUFFIXES if name.endswith(s)), name)
            if len(short) >= 2:
                names.add(short)
    return frozenset(names)


def _place_at_end(text: str) -> bool:
    return any(text.endswith(p) for p in (text[-n:] for n in (2, 3, 4)) if p in place_names())


def _place_at_start(text: str) -> bool:
    return any(text[:n] in place_names() for n in (2, 3, 4))


def is_place_in_context(text: str, start: int, end: int) -> bool:
    """text[start:end] (or it without a leading joining character: 和阳朔) is a Chinese place's
    name, and the words around it say place (see the module docstring)."""
    if text[start] in _JOIN and end - start > 2:
        start += 1
    if text[start:end] not in place_names():
        return False
    before, after = text[:start], text[end:]
    if before[-1:] and before[-1] in _JOIN and _place_at_end(before[:-1]):
        return True
    if after[:1] and after[0] in _JOIN and _place_at_start(after[1:]):
        return True
    return bool(_GO_BEFORE.search(before))
