"""bench/pii.py: the PII scrubber on tests/fixtures/pii_sentences.jsonl (228 sentences written for
the test: planted URLs, emails incl. obfuscated, phones, IPs, DIDs, handles in several scripts,
personal names, and 63 innocent look-alikes).

    python bench/pii.py

Reports recall per type, the false-positive rate on look-alikes and texts/s, for the structured
patterns alone (the baseline, measured in the same run) and with the name model. The last line
of output is one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from somekit.persona import pii  # noqa: E402
from tests.support.pii_eval import load_fixture, score  # noqa: E402


def timed(rows, scrub, repeat: int = 3):
    texts = [r["text"] for r in rows]
    start = time.perf_counter()
    for _ in range(repeat):
        for t in texts:
            scrub(t)
    return round(repeat * len(texts) / (time.perf_counter() - start), 1)


def main() -> None:
    rows = load_fixture(ROOT / "tests" / "fixtures" / "pii_sentences.jsonl")
    base = score(rows, pii.scrub_structured)
    out = {"bench": "pii", "sentences": base["sentences"], "lookalikes": base["lookalikes"],
           "structured_only": {k: base[k] for k in ("recall", "recall_structured", "recall_names", "false_positive_rate")},
           "structured_only_texts_per_s": timed(rows, pii.scrub_structured)}
    engine = pii.name_engine()
    out["name_engine"] = engine
    if engine:
        full = lambda t: pii.scrub_names(pii.scrub_structured(t))  # noqa: E731
        res = score(rows, full)
        out["with_names"] = {k: res[k] for k in ("recall", "recall_structured", "recall_names", "false_positive_rate")}
        out["with_names_texts_per_s"] = timed(rows, full)
        out["with_names_vs_structured_speed_ratio"] = round(out["with_names_texts_per_s"] / out["structured_only_texts_per_s"], 4)
        for m in res["missed"]:
            print("missed", m, file=sys.stderr)
        for m in res["false_positives"]:
            print("false positive", m, file=sys.stderr)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
