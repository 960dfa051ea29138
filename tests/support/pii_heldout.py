"""The held-out PII set: names and sentences the scrubber was not built from.

- English names: first and last names ranked in the gazetteer's held-out countries
  (gazetteer.HELD_OUT_COUNTRIES), paired within one country, Latin script only. Each name
  records whether the gazetteer holds its parts anyway, through a kept country (Yusuf is common
  in Egypt too): `known` is both, first, last or neither.
- Chinese names: bench/data/pii_heldout/names_zh.txt, written by someone other than the
  scrubber's author.
- Sentences: templates_en.jsonl ({NAME}) and templates_zh.jsonl ({ZHNAME}: mentions and running
  text), written by the same other person, and 150 look-alikes (lookalikes.jsonl: dates, prices,
  versions, names that are words, places, organisations; English and Chinese) that must pass.
- Structured values (emails, obfuscated emails, phones, URLs, custom-domain and non-ASCII
  handles, IPs, DIDs) are planted in the English templates too, one kind per template in turn.

Rows have the shape of pii_eval: text, kind ('pii' or 'lookalike'), pii [{type, value}], plus
lang, style and (names) known.
"""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path
from typing import Any

from somekit.persona.gazetteer import held_out_names

#: Rank a held-out name needs in its country to be drawn (common names, not the long tail).
DRAW_RANK = 2000


def heldout_sets(data: Path) -> list[Path]:
    """Every held-out folder under `data` (pii_heldout, pii_heldout_2, ...), oldest first: each
    later one was written after the scrubber was tuned on the earlier ones, so the newest is
    the one that says how it does on text it has never met."""
    def suffix(folder: Path) -> int:
        tail = folder.name[len("pii_heldout"):].lstrip("_")
        return int(tail) if tail.isdigit() else (1 if not tail else 10**6)
    folders = [f for f in data.glob("pii_heldout*") if f.is_dir() and (f / "templates_en.jsonl").exists()]
    return sorted(folders, key=lambda f: (suffix(f), f.name))


def _latin(name: str) -> bool:
    return all("LATIN" in unicodedata.name(c, "") for c in name if c.isalpha())


def english_names(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """n full names from the held-out countries: {'name', 'country', 'known'}."""
    firsts, lasts = held_out_names("first", DRAW_RANK), held_out_names("last", DRAW_RANK)
    by_country: dict[str, tuple[list, list]] = {}
    for h in firsts:
        if _latin(h.name):
            by_country.setdefault(h.country, ([], []))[0].append(h)
    for h in lasts:
        if _latin(h.name) and h.country in by_country:
            by_country[h.country][1].append(h)
    countries = sorted(c for c, (f, last) in by_country.items() if f and last)
    rng = random.Random(seed)
    out = []
    for i in range(n):
        first_list, last_list = by_country[countries[i % len(countries)]]
        first, last = rng.choice(first_list), rng.choice(last_list)
        known = {(True, True): "both", (True, False): "first", (False, True): "last", (False, False): "neither"}
        out.append({"name": f"{first.name} {last.name}", "country": first.country,
                    "known": known[(first.in_gazetteer, last.in_gazetteer)]})
    return out


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def chinese_names(folder: Path) -> list[str]:
    return [n.strip() for n in (folder / "names_zh.txt").read_text(encoding="utf-8").splitlines() if n.strip()]


def _structured_values(rng: random.Random, name: str) -> list[tuple[str, str]]:
    first, last = (p.lower() for p in name.split(" ", 1))
    user = "".join(c for c in unicodedata.normalize("NFKD", f"{first}.{last}") if c.isascii() and (c.isalnum() or c == "."))
    digits = "".join(str(rng.randrange(10)) for _ in range(7))
    return [("EMAIL", f"{user}@fastmail.com"), ("EMAIL", f"{user} [at] proton [dot] me"),
            ("PHONE", f"+44 20 {digits[:4]} {digits[4:]}6"), ("URL", f"https://{user.replace('.', '-')}.example.org/about"),
            ("HANDLE", f"@{user}.studio"), ("HANDLE", f"@{first.capitalize()}ß{rng.randrange(10, 99)}"),
            ("IP", f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"),
            ("DID", f"did:plc:{''.join(rng.choice('abcdefghijklmnopqrstuvwxyz234567') for _ in range(24))}")]


def heldout_rows(folder: Path, names_per_template: int = 3, seed: int = 0) -> list[dict[str, Any]]:
    """Every held-out row: English names, Chinese names, structured values, look-alikes."""
    rng = random.Random(seed)
    templates_en = _read_jsonl(folder / "templates_en.jsonl")
    templates_zh = _read_jsonl(folder / "templates_zh.jsonl")
    rows: list[dict[str, Any]] = []
    names = iter(english_names(len(templates_en) * names_per_template, seed))
    for t in templates_en:
        for _ in range(names_per_template):
            person = next(names)
            rows.append({"text": t["template"].replace("{NAME}", person["name"]), "kind": "pii", "lang": "en",
                         "style": t["style"], "known": person["known"], "country": person["country"],
                         "pii": [{"type": "NAME", "value": person["name"]}]})
    for k in range(names_per_template):
        for j, name in enumerate(chinese_names(folder)):
            t = templates_zh[(j + 37 * k) % len(templates_zh)]
            rows.append({"text": t["template"].replace("{ZHNAME}", name), "kind": "pii", "lang": "zh",
                         "style": t["style"], "pii": [{"type": "NAME", "value": name}]})
    owners = english_names(len(templates_en), seed + 1)
    for i, t in enumerate(templates_en):
        kind, value = _structured_values(rng, owners[i]["name"])[i % 8]
        rows.append({"text": t["template"].replace("{NAME}", value), "kind": "pii", "lang": "en", "style": "structured",
                     "pii": [{"type": kind, "value": value.lstrip("@") if kind == "HANDLE" else value}]})
    for r in _read_jsonl(folder / "lookalikes.jsonl"):
        lang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in r["text"]) else "en"
        rows.append({"text": r["text"], "kind": "lookalike", "lang": lang, "style": r["kind"], "pii": []})
    return rows
