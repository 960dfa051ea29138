"""bench/pii.py: the PII scrubber on every set, each with three scrubbers measured in the same run.

Sets:
- `fixture`: tests/fixtures/pii_sentences.jsonl (228 sentences written alongside the scrubber:
  structured types, handles in several scripts, names, 63 look-alikes);
- every held-out folder bench/data/pii_heldout*/ (pii_heldout, pii_heldout_2, ...), each built
  by tests/support/pii_heldout.py from sources the scrubber is not built from: English names of
  the gazetteer's held-out countries (FI, NG, JP, TR, CZ, PH) in sentence templates, Chinese
  names in mentions and running text, structured values in the same templates, and look-alikes;
  templates, Chinese names and look-alikes were written by someone who did not write the
  scrubber. A later folder was written after the scrubber was tuned on the earlier ones (which
  then count as tuning data): the NEWEST set is the one the card quotes, naming the sets the
  scrubber was tuned on (--tuned-on; by default every older set: name the newest too once it
  has been tuned on, and the card calls it tuning data).

Scrubbers: `structured` (patterns only), `ner` (patterns + spaCy NER: the scrubber before the
gazetteer and Chinese signals, the baseline), `all` (patterns + every name signal).

    python bench/pii.py [--record somekit/persona/pii_measured.json]

Reports per set and language recall per type, name precision, name recall per template style
(and per what the gazetteer knows of the name), false positives on look-alikes, and texts/s;
issue 29's targets are checked on the newest held-out set and on the first, for `all` and for
the NER-only baseline. With --record, the newest set's figures, naming that set, are written
where the dataset card reads them. The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from somekit.persona import pii  # noqa: E402
from somekit.persona.gazetteer import HELD_OUT_COUNTRIES  # noqa: E402
from tests.support.pii_eval import load_fixture, score_detailed  # noqa: E402
from tests.support.pii_heldout import heldout_rows, heldout_sets  # noqa: E402

DATA = ROOT / "bench" / "data"
SIGNALS = {"structured": None, "ner": ("ner",), "all": ("ner", "gazetteer", "zh")}
ACCEPT = {"en_name_recall": 0.95, "zh_name_recall": 0.90, "structured_recall": 1.0, "lookalike_fp": 0.02}


def scrubber(name: str):
    if SIGNALS[name] is None:
        return pii.scrub_structured
    pii.set_name_signals(SIGNALS[name])
    return lambda t: pii.scrub_names(pii.scrub_structured(t))


def run(rows, name: str) -> dict:
    scrub = scrubber(name)
    texts = [r["text"] for r in rows]
    if SIGNALS[name]:
        pii.name_engine()  # load every model before the clock starts
    start = time.perf_counter()
    for t in texts:
        scrub(t)
    per_s = round(len(texts) / (time.perf_counter() - start), 1)
    pii.reset_signal_counts()
    res = score_detailed(rows, scrub)
    res["signal_counts"] = pii.reset_signal_counts()
    res["texts_per_s"] = per_s
    return res


def brief(res: dict) -> dict:
    keep = ("recall", "recall_structured", "recall_names", "precision_names", "recall_names_by_style",
            "recall_names_by_known", "names_by_known", "lookalikes", "false_positive_rate", "false_positives_by_kind")
    out = {lang: {k: v[k] for k in keep if v.get(k) not in (None, {})} for lang, v in res.items() if isinstance(v, dict)}
    out["texts_per_s"], out["signal_counts"] = res["texts_per_s"], res["signal_counts"]
    return out


def acceptance(res: dict) -> dict:
    look = sum(v["lookalikes"] for k, v in res.items() if k in ("en", "zh"))
    fp = sum(round(v["false_positive_rate"] * v["lookalikes"]) for k, v in res.items() if k in ("en", "zh") and v["lookalikes"])
    values = {"en_name_recall": res["en"]["recall_names"], "zh_name_recall": res["zh"]["recall_names"],
              "structured_recall": res["en"]["recall_structured"], "lookalike_fp": round(fp / look, 4)}
    ok = {k: (v <= ACCEPT[k] if k == "lookalike_fp" else v >= ACCEPT[k]) for k, v in values.items()}
    return {"values": values, "thresholds": ACCEPT, "met": ok}


def _record(path: str, set_name: str, out: dict, rows: list[dict], tuned_on: list[str]) -> None:
    res = out[f"{set_name}_all"]
    record = {"set": set_name, "test_set": f"bench/data/{set_name} (held-out countries " + ", ".join(HELD_OUT_COUNTRIES)
              + "; templates, Chinese names and look-alikes written by someone who did not write the scrubber)",
              "measured_with": "bench/pii.py", "name_engine": out["name_engine"], "tuning_sets": tuned_on,
              **acceptance(res)["values"],
              "en_name_precision": res["en"]["precision_names"], "zh_name_precision": res["zh"]["precision_names"],
              "sizes": {"en_names": sum(res["en"]["names_by_known"].values()),
                        "zh_names": sum(1 for r in rows if r["lang"] == "zh" and r["kind"] == "pii"),
                        "lookalikes": sum(1 for r in rows if r["kind"] == "lookalike")}}
    Path(path).write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--record", default=None, help="Write the newest held-out set's figures (the card quotes them) to this JSON file.")
    ap.add_argument("--tuned-on", nargs="*", default=None,
                    help="Held-out sets the scrubber was tuned on, for the record (default: all but the newest).")
    args = ap.parse_args()
    folders = heldout_sets(DATA)
    if not folders:
        raise SystemExit(f"no held-out set under {DATA} (pii_heldout*/templates_en.jsonl)")
    sets = {"fixture": load_fixture(ROOT / "tests" / "fixtures" / "pii_sentences.jsonl")}
    sets |= {f.name: heldout_rows(f) for f in folders}
    out = {"bench": "pii", "held_out_countries": list(HELD_OUT_COUNTRIES), "heldout_sets": [f.name for f in folders],
           "newest_set": folders[-1].name, "sizes": {k: len(v) for k, v in sets.items()}, "name_engine": None}
    for set_name, rows in sets.items():
        for name in SIGNALS:
            res = run(rows, name)
            out[f"{set_name}_{name}"] = brief(res)
            if name == "all":
                for lang in ("en", "zh"):
                    for m in res.get(lang, {}).get("missed", []):
                        print(set_name, "missed", m, file=sys.stderr)
                    for m in res.get(lang, {}).get("false_positives", []):
                        print(set_name, "false positive", m, file=sys.stderr)
    out["name_engine"] = pii.name_engine()
    # The targets on the newest set (never tuned on) and on the first (tuned on since).
    for folder in dict.fromkeys([folders[-1], folders[0]]):
        out[f"{folder.name}_acceptance"] = acceptance(out[f"{folder.name}_all"])
        out[f"{folder.name}_ner_baseline_acceptance"] = acceptance(out[f"{folder.name}_ner"])
    out["all_vs_ner_speed_ratio"] = {f.name: round(out[f"{f.name}_all"]["texts_per_s"] / out[f"{f.name}_ner"]["texts_per_s"], 4)
                                     for f in folders}
    if args.record:
        tuned_on = [f.name for f in folders[:-1]] if args.tuned_on is None else args.tuned_on
        _record(args.record, folders[-1].name, out, sets[folders[-1].name], tuned_on)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
