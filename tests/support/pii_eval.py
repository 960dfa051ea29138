"""Score a scrubber on labelled sentences: recall per PII type, false positives on look-alikes.

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
