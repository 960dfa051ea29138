"""Label extraction: how often somekit's parser reads an agent's answer right, wrong, or not at all.

Three sets of hand-labelled answers, kept apart:
- the tuning corpus (tests/fixtures/extraction/): the rules were tuned on it (its own first-pass
  figures for the zz_heldout files are in their history: 0.895, 0.841, 0.853);
- held-out batch A (bench/data/extraction_heldout_a.jsonl, 366 answers written for issue 25 by
  someone who never read the parser): scored first with the rules as they were (BATCH_A_BEFORE,
  below), then used to fix general rules and to train the offline fallback;
- held-out batch B (bench/data/extraction_heldout_b.jsonl, 366 answers by the same writer, written
  before any fix): never read while fixing; the only honest figure for unseen answers.

For each set, per task and overall: right (the gold label, or no label where the gold has none),
wrong (a label that is not the gold one), undecided (no label where the gold has one) - with the
rules alone, and with the rules plus the offline fallback (fallback.py; on corpus and batch A it
was trained on those answers, so only batch B's fallback figure measures it). Batch B's targets
(issue 25): rules alone wrong <= 0.5% and undecided <= 5%; with the fallback wrong <= 1% and
undecided <= 2%.
Batch B, scored once after the fixes (2026-12-07, bench/results/extraction-2026-12-07.json): rules
alone right 78.4%, wrong 0.8% (3), undecided 20.8%; with the fallback right 81.7%, wrong 2.7%,
undecided 15.6% - every target missed. Its misses are styles batch A did not have, described here
and deliberately not fixed (B stays unseen by the rules): multiple choice answered by letter
("选项：A. 会 B. 不会\n答案：A", 38 answers), answers wrapped in markup (<answer>否</answer>,
\boxed{no}, 【结论】推荐: 40 answers), colloquial verdicts (没戏, 胡说八道, 毫无波澜,
"I wouldn't bet against it"), self-revisions ("initially yes ... final answer 是 no"). The
fallback's wrong labels come mostly from the multiple-choice answers, whose option lists it
reads as verdicts. The next step is a batch C written after fixing these kinds from B.
Baseline measured in the same run: exact match of the bare label word (是/否, the emotion or MID
label, after trimming), which is what SoMe's eval scripts accept without an LLM. The last line is
one JSON object.

    python bench/extraction.py
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from somekit.answers.extract import Extraction, extract_label  # noqa: E402
from somekit.answers.fallback import apply_offline, eligible  # noqa: E402
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
TARGETS_B = {"rules": {"wrong": 0.005, "undecided": 0.05}, "rules+offline": {"wrong": 0.01, "undecided": 0.02}}


def baseline(task: str, text: str) -> str | None:
    bare = text.strip().strip("。.!！ ").lower()
    label = GOLD_ALIASES.get(bare, bare)
    return label if label in LABELS[KIND[task]] else None


def read(rows: list[dict]) -> tuple[list[Extraction], list[Extraction]]:
    """(rules alone, rules + offline fallback) for each answer."""
    rules = [extract_label(r["task"], r["answer"]) for r in rows]
    combined = list(rules)
    for task in sorted({r["task"] for r in rows}):
        pending = {str(i): r["answer"] for i, (r, ex) in enumerate(zip(rows, rules)) if r["task"] == task and eligible(ex)}
        for key, ex in apply_offline(task, pending).items():
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


def score_set(rows: list[dict]) -> dict:
    rules, combined = read(rows)
    return {"rules": tally(rows, rules), "rules+offline": tally(rows, combined),
            "offline_decided": sum(1 for a, b in zip(rules, combined) if a is not b)}


def load_batch(name: str) -> list[dict]:
    path = DATA / f"extraction_heldout_{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def before_a() -> dict:
    counts = {t: Counter({k: v for k, v in c.items() if k != "crashed"}) for t, c in BATCH_A_BEFORE["counts"].items()}
    out = shares(counts)
    out["measured_at"] = BATCH_A_BEFORE["measured_at"]
    out["crashed"] = sum(c.get("crashed", 0) for c in BATCH_A_BEFORE["counts"].values())
    return out


def targets(b: dict) -> dict:
    return {mode: {k: {"target": limit, "measured": b[mode]["all"][k], "met": b[mode]["all"][k] <= limit}
                   for k, limit in limits.items()} for mode, limits in TARGETS_B.items()}


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
    batch_a, batch_b = load_batch("a"), load_batch("b")
    b_scores = score_set(batch_b)
    b_base = sum(baseline(r["task"], r["answer"]) == r["gold"] for r in batch_b) / len(batch_b)
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
        "batch_a_after_fixes": score_set(batch_a),
        "batch_b": b_scores,
        "batch_b_baseline_exact_match_right": round(b_base, 4),
        "batch_b_targets": targets(b_scores),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
