"""Is people's review time spent where the labels are wrong? The review order measured against people.

Data: emotion-weibo-dev (1,500 Weibo posts labelled by people, read from ../shared). The offline
panel without seed labels (embed:zh-a + lexicon:dutir + head:builtin) labels every text, as a UEA
build does: the majority label, a tie's suggestion when there is none (ties are flagged for
review, as the builder flags them). People's labels stand in for a perfect reviewer.

Each repetition (seeded) splits the texts in two halves. The fitting half plays the texts people
already labelled (seed labels or earlier reviews): the voters are weighted on it. Everything
reported is measured on the other half only. For review budgets of 10%, 20% and 30% of that half,
somekit's own selection (somekit.review.selection.select: random stratified audit sample, then
flagged items, then the lowest label-quality scores) is compared, in the same run, with a random
sample of the same size:
- the wrong labels that reach a person, and their share of all wrong labels;
- final accuracy after review (reviewed items take the person's label) against no review;
- the estimated number of wrong labels left among unreviewed items (the audit sample, stratified by
  score band) against the true number, and whether the 95% interval holds it.
Also shown: CROWDLAB without people's labels (the score a build stores), the same selection
without the priority of flagged ties, and the ranked part of the push alone. The method's knobs (prototype softmax temperature, the measured model's C, score
bands) were chosen on fitting halves only.

    python bench/review_gain.py [--dev FILE] [--reps 10] [--audit-size 20] [--limit N]

Prints a table, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEV = ROOT.parent / "shared" / "data" / "emotion-weibo-dev" / "dev.jsonl"
PANEL = ("embed:zh-a", "lexicon:dutir", "head:builtin")
BUDGETS = (0.1, 0.2, 0.3)
TARGETS = {"ratio_at_20": 1.5, "gain_points_at_20": 12.0, "covered_of_10": 9}


def label_texts(texts: list[str]) -> tuple[list[list], list[str], list[bool], float]:
    """The offline panel's votes, kept labels and tie flags, as a UEA build makes them."""
    from somekit.annotate.panel import run_panel
    from somekit.annotate.voters import VoteInput, parse_spec
    from somekit.annotate.voting import majority
    from somekit.schemas.items import EMOTIONS
    from somekit.workspace import init_workspace

    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        t0 = time.perf_counter()
        panel = run_panel(ws, ws.config(), [parse_spec(s) for s in PANEL], [VoteInput(str(i), t) for i, t in enumerate(texts)],
                          "zh", measure=False)
        seconds = time.perf_counter() - t0
    aggs = [majority([v.value for v in votes], order=EMOTIONS, trust=panel.trust) for votes in panel.votes]
    return panel.votes, [a.label for a in aggs], [not a.majority for a in aggs], seconds


def make_items(idx: list[int], texts: list[str], votes: list, kept: list[str], ties: list[bool]) -> list:
    from somekit.schemas.items import CommentInputs, EmotionAnswer, UEAItem, item_id
    from somekit.schemas.provenance import LLMStep, Provenance
    from somekit.schemas.review import Review

    items = []
    for i in idx:
        inputs = CommentInputs(user_id=f"u{i}", post_id=f"p{i}", comment_id=f"c{i}", comment=texts[i])
        step = LLMStep(step="vote", model="offline", backend="offline", votes=list(votes[i]),
                       agreement=max(sum(v.value == kept[i] for v in votes[i]) / len(votes[i]), 0.0))
        items.append(UEAItem(id=item_id("uea", inputs.model_dump()), query=f"emotion of u{i} on p{i}?", template_id="uea.zh@1",
                             lang="zh", inputs=inputs, answer=EmotionAnswer(emotion=kept[i]),
                             provenance=Provenance(rule="label:majority-vote", builder="bench", llm=[step]),
                             review=Review(needs_review=ties[i], note="no majority" if ties[i] else None)))
    return items


def one_budget(ws, items, scores, gold_of, frac: float, audit_size: int, seed: int, flag_rule: bool = True) -> dict:
    from somekit.review.remaining import estimate
    from somekit.review.selection import select

    n = len(items)
    budget = round(frac * n)
    wrong = {it.id: it.answer.emotion != gold_of[it.id] for it in items}
    total_wrong = sum(wrong.values())
    # without the flag rule: no builder flag and no low-agreement flag (a tie's agreement is 1/3)
    sel = select(ws, "uea", items, audit_size=audit_size, budget=budget, seed=seed, scores=scores,
                 min_agreement=0.6 if flag_rule else 0.0)
    sent = set(sel["send"])
    ranked = [iid for iid in sel["order"] if iid not in set(sel["audit"])]
    rnd = random.Random(f"random:{seed}:{frac}").sample([it.id for it in items], budget)
    left = total_wrong - sum(wrong[i] for i in sent)
    est = estimate((scores.get(it.id), it.id in set(sel["audit"]), it.id in sent, wrong[it.id] if it.id in sent else None)
                   for it in items)
    ranked_expected = total_wrong / n * len(ranked)
    return {"budget": budget, "sent": len(sent), "audit": len(sel["audit"]), "flagged_sent": len(set(sel["needs_review"]) & sent),
            "wrong_total": total_wrong, "wrong_sent": sum(wrong[i] for i in sent), "wrong_sent_random": sum(wrong[i] for i in rnd),
            "ranked_wrong": sum(wrong[i] for i in ranked), "ranked_expected_at_random": round(ranked_expected, 2),
            "acc_no_review": 1 - total_wrong / n, "acc_after": 1 - left / n,
            "acc_after_random": 1 - (total_wrong - sum(wrong[i] for i in rnd)) / n,
            "remaining_true": left, "remaining_est": est["estimate"], "remaining_ci": est["ci"],
            "covered": est["ci"] is not None and est["ci"][0] <= left <= est["ci"][1]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--audit-size", type=int, default=20, help="[review] audit_size (capped at half the budget)")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    if not args.dev.exists():
        print(json.dumps({"skipped": f"no dev set at {args.dev}"}))
        return 0
    from somekit.annotate.label_scores import score_panel
    from somekit.schemas.items import EMOTIONS
    from somekit.workspace import init_workspace

    rows = [json.loads(line) for line in args.dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[: args.limit] if args.limit else rows
    texts, gold = [r["text"] for r in rows], [r["label"] for r in rows]
    load_before = os.getloadavg()
    votes, kept, ties, label_seconds = label_texts(texts)
    results: dict[str, dict[str, list[dict]]] = {"measured": {}, "crowdlab": {}, "measured_no_flag_rule": {}}
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "bench")
        for rep in range(args.reps):
            order = list(range(len(rows)))
            random.Random(rep).shuffle(order)
            fit, held = sorted(order[: len(order) // 2]), sorted(order[len(order) // 2:])
            items = make_items(held, texts, votes, kept, ties)
            gold_of = {it.id: gold[i] for it, i in zip(items, held)}
            held_votes, held_kept = [votes[i] for i in held], [kept[i] for i in held]
            measured = score_panel(held_votes, held_kept, EMOTIONS, people=([votes[i] for i in fit], [gold[i] for i in fit]))
            crowd = score_panel(held_votes, held_kept, EMOTIONS)
            unflagged = [it.model_copy(update={"review": it.review.model_copy(update={"needs_review": False})}) for it in items]
            for name, panel, pool in (("measured", measured, items), ("crowdlab", crowd, items),
                                      ("measured_no_flag_rule", measured, unflagged)):
                scores = {it.id: s for it, s in zip(items, panel.scores)}
                for frac in BUDGETS:
                    results[name].setdefault(f"{frac:.0%}", []).append(one_budget(ws, pool, scores, gold_of, frac,
                                                                                   args.audit_size, rep, pool is items))
    summary = {name: {b: _summarise(runs) for b, runs in by.items()} for name, by in results.items()}
    main_20 = summary["measured"]["20%"]
    result = {
        "data": args.dev.name, "n": len(rows), "held_out_per_rep": len(rows) - len(rows) // 2, "reps": args.reps,
        "panel": list(PANEL), "audit_size": args.audit_size, "labelling_seconds": round(label_seconds, 1),
        "panel_accuracy": round(sum(k == g for k, g in zip(kept, gold)) / len(gold), 4),
        "ties_share": round(sum(ties) / len(ties), 4),
        "scoring": {"measured": "CROWDLAB with voters weighted on the fitting half's people labels (what a push does "
                                "once people's labels exist)", "crowdlab": "CROWDLAB alone (what a build stores)",
                    "measured_no_flag_rule": "as measured, but ties get no priority over the score (for comparison: "
                                             "what the flag rule costs)"},
        "budgets": summary,
        "acceptance_at_20": {
            "wrong_sent_ratio_vs_random": main_20["ratio_vs_random"], "target_ratio": TARGETS["ratio_at_20"],
            "ratio_met": main_20["ratio_vs_random"] >= TARGETS["ratio_at_20"],
            "gain_points": main_20["gain_points"], "target_gain_points": TARGETS["gain_points_at_20"],
            "gain_met": main_20["gain_points"] >= TARGETS["gain_points_at_20"],
            "covered": main_20["covered"], "target_covered": f"{TARGETS['covered_of_10']} of 10",
            "covered_met": main_20["covered"] >= TARGETS["covered_of_10"] * args.reps / 10},
        "machine": {"cpus": os.cpu_count(), "load_before": [round(x, 2) for x in load_before],
                    "load_after": [round(x, 2) for x in os.getloadavg()]},
    }
    print(f"{'scoring':21s} {'budget':6s} {'wrong sent':>10s} {'random':>7s} {'ratio':>6s} {'ranked part':>11s} "
          f"{'acc none':>8s} {'acc after':>9s} {'random':>7s} {'left true':>9s} {'left est':>8s} {'covered':>7s}")
    for name, by in summary.items():
        for b, s in by.items():
            print(f"{name:21s} {b:6s} {s['wrong_sent']:10.1f} {s['wrong_sent_random']:7.1f} {s['ratio_vs_random']:6.2f} "
                  f"{s['ranked_ratio']:11.2f} {s['acc_no_review']:8.3f} {s['acc_after']:9.3f} {s['acc_after_random']:7.3f} "
                  f"{s['remaining_true']:9.1f} {s['remaining_est']:8.1f} {s['covered']:4d}/{s['reps']}")
    print(json.dumps(result))
    return 0


def _summarise(runs: list[dict]) -> dict:
    def mean(key: str) -> float:
        return sum(r[key] for r in runs) / len(runs)

    return {"reps": len(runs), "budget": runs[0]["budget"], "audit": runs[0]["audit"],
            "wrong_total": round(mean("wrong_total"), 1), "wrong_sent": round(mean("wrong_sent"), 1),
            "wrong_sent_random": round(mean("wrong_sent_random"), 1),
            "share_of_wrong_reaching_people": round(mean("wrong_sent") / mean("wrong_total"), 4),
            "share_of_wrong_reaching_people_random": round(mean("wrong_sent_random") / mean("wrong_total"), 4),
            "ratio_vs_random": round(mean("wrong_sent") / mean("wrong_sent_random"), 3),
            "ranked_ratio": round(mean("ranked_wrong") / mean("ranked_expected_at_random"), 3),
            "flagged_sent": round(mean("flagged_sent"), 1),
            "acc_no_review": round(mean("acc_no_review"), 4), "acc_after": round(mean("acc_after"), 4),
            "acc_after_random": round(mean("acc_after_random"), 4),
            "gain_points": round(100 * (mean("acc_after") - mean("acc_no_review")), 2),
            "gain_points_random": round(100 * (mean("acc_after_random") - mean("acc_no_review")), 2),
            "remaining_true": round(mean("remaining_true"), 1), "remaining_est": round(mean("remaining_est"), 1),
            "covered": sum(r["covered"] for r in runs),
            "per_rep": [{k: r[k] for k in ("wrong_sent", "wrong_sent_random", "remaining_true", "remaining_est", "remaining_ci",
                                           "covered")} for r in runs]}


if __name__ == "__main__":
    sys.exit(main())
