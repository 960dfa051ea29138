"""Score a scrubber on labelled sentences: recall per PII type, false positives on look-alikes
(score), and per language with name precision (score_detailed).

A planted value counts as caught when it no longer appears in the scrubbed text (a name half
removed is missed). A look-alike sentence (dates, times, versions, prices...) counts as a false
positive when scrubbing changes it at all. Used by tests/test_pii.py and bench/pii.py on
tests/fixtures/pii_sentences.jsonl.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Callable

STRUCTURED = ("URL", "EMAIL", "PHONE", "IP", "DID", "HANDLE")


def load_fixture(path: str | Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def score(rows: list[dict[str, Any]], scrub: Callable[[str], str]) -> dict[str, Any]:
    planted, caught = Counter(), Counter()
    missed: list[dict[str, str]] = []
    lookalikes = changed = 0
    false_positives: list[dict[str, str]] = []
    for row in rows:
        out = scrub(row["text"])
        if row["kind"] == "lookalike":
            lookalikes += 1
            if out != row["text"]:
                changed += 1
                false_positives.append({"text": row["text"], "scrubbed": out})
            continue
        for p in row["pii"]:
            planted[p["type"]] += 1
            if p["value"] not in out:
                caught[p["type"]] += 1
            else:
                missed.append({"type": p["type"], "text": row["text"], "scrubbed": out})
    structured_n = sum(planted[t] for t in STRUCTURED)
    return {
        "sentences": len(rows), "lookalikes": lookalikes,
        "recall": {t: round(caught[t] / planted[t], 4) for t in sorted(planted)},
        "recall_structured": round(sum(caught[t] for t in STRUCTURED) / structured_n, 4) if structured_n else None,
        "recall_names": round(caught["NAME"] / planted["NAME"], 4) if planted["NAME"] else None,
        "false_positive_rate": round(changed / lookalikes, 4) if lookalikes else None,
        "missed": missed, "false_positives": false_positives,
    }


def _rate(hit: int, n: int) -> float | None:
    return round(hit / n, 4) if n else None


def score_detailed(rows: list[dict[str, Any]], scrub: Callable[[str], str]) -> dict[str, Any]:
    """Per language: recall per PII type, name recall per style (and per `known` where rows say),
    name precision, and false positives on look-alikes per kind. Name precision counts every
    [NAME] the scrubber writes: one that replaces a planted name is right, any other (in a
    look-alike, beside a planted value) is wrong."""
    outs = [scrub(r["text"]) for r in rows]
    result: dict[str, Any] = {}
    for lang in sorted({r.get("lang", "en") for r in rows}):
        pairs = [(r, o) for r, o in zip(rows, outs) if r.get("lang", "en") == lang]
        planted, caught, styles, known = Counter(), Counter(), Counter(), Counter()
        styles_hit, known_hit, look, look_hit = Counter(), Counter(), Counter(), Counter()
        right = wrong = 0
        false_positives, missed = [], []
        for r, out in pairs:
            extra_names = out.count("[NAME]") - r["text"].count("[NAME]")
            if r["kind"] == "lookalike":
                look[r.get("style", "?")] += 1
                wrong += max(extra_names, 0)
                if out != r["text"]:
                    look_hit[r.get("style", "?")] += 1
                    false_positives.append({"text": r["text"], "scrubbed": out})
                continue
            for p in r["pii"]:
                ok = p["value"] not in out
                planted[p["type"]] += 1
                caught[p["type"]] += ok
                if p["type"] == "NAME":
                    styles[r.get("style", "?")] += 1
                    styles_hit[r.get("style", "?")] += ok
                    if "known" in r:
                        known[r["known"]] += 1
                        known_hit[r["known"]] += ok
                    right += ok
                    extra_names -= ok
                if not ok:
                    missed.append({"type": p["type"], "text": r["text"], "scrubbed": out})
            wrong += max(extra_names, 0)
        structured = sum(planted[t] for t in STRUCTURED)
        result[lang] = {
            "recall": {t: _rate(caught[t], planted[t]) for t in sorted(planted)},
            "planted": dict(sorted(planted.items())),
            "recall_structured": _rate(sum(caught[t] for t in STRUCTURED), structured),
            "recall_names": _rate(caught["NAME"], planted["NAME"]),
            "precision_names": _rate(right, right + wrong),
            "recall_names_by_style": {s: _rate(styles_hit[s], n) for s, n in sorted(styles.items())},
            "recall_names_by_known": {k: _rate(known_hit[k], n) for k, n in sorted(known.items())},
            "names_by_known": dict(sorted(known.items())),
            "lookalikes": sum(look.values()),
            "false_positive_rate": _rate(sum(look_hit.values()), sum(look.values())),
            "false_positives_by_kind": {k: look_hit[k] for k in sorted(look) if look_hit[k]},
            "missed": missed, "false_positives": false_positives,
        }
    return result
