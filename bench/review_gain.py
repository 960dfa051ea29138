"""Is people's review time spent where the labels are wrong? The review order measured against people.

Data: emotion-weibo-dev (1,500 Weibo posts labelled by people, read from ../shared). The offline
panel without seed labels (embed:zh-a + lexicon:dutir + head:builtin) labels every text, as a UEA
build does: the majority label, a tie's suggestion when there is none (ties are flagged for
review, as the builder flags them). People's labels stand in for a perfect reviewer.

Each repetition (seeded) splits the texts in two halves. The fitting half plays the texts people
already labelled (seed labels or earlier reviews): it measures each voter's accuracy, which
weighs the split votes (annotate/voting.py `weighted_vote`: a split the weighted vote decides is
no longer a tie and takes the weighted vote's label, as a build with those seed labels writes it),
and the model CROWDLAB scores with (review/scores.py `measured_scores`). Everything reported is
measured on the other half only. For review budgets of 10%, 20% and 30% of that half, somekit's
own selection (somekit.review.selection.select: random stratified audit sample, then items a rule
flags, then the lowest label-quality scores) is compared, in the same run, with a random sample of
the same size:
- the wrong labels that reach a person, and their share of all wrong labels;
- final accuracy after review (reviewed items take the person's label) against no review;
- the estimated number of wrong labels left among unreviewed items (the audit sample, stratified by
  score band) against the true number, and whether the 95% interval holds it.
Also shown: the same scores with every tie flagged whatever the weighted vote says (the rule before
issue 26), CROWDLAB without people's labels (the score a build without seed labels stores), and the
ranked part of the push alone. No value in the library is fitted to this data set (issue 26: the
same must hold for people-labelled Weibo texts never seen): the prototype softmax's temperature is
each item's own spread of similarities, the measured model's regularisation is cross-validated on
the people's labels it is given, the weighted vote's weights are the measured accuracies, and the
score bands of the estimate follow the audit's size (review/remaining.py).

    python bench/review_gain.py [--dev FILE] [--reps 10] [--audit-size 20] [--limit N]

Prints a table, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from emotion_dev import DEV, load_average, load_dev, machine, run_offline_panel  # noqa: E402

PANEL = ("embed:zh-a", "lexicon:dutir", "head:builtin")
BUDGETS = (0.1, 0.2, 0.3)
TARGETS = {"ratio_at_20": 1.5, "gain_points_at_20": 12.0, "covered_of_10": 9}


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


def one_budget(ws, items, scored, gold_of, frac: float, audit_size: int, seed: int) -> dict:
    from somekit.review.remaining import estimate
    from somekit.review.selection import select

    n = len(items)
    budget = round(frac * n)
    wrong = {it.id: it.answer.emotion != gold_of[it.id] for it in items}
    total_wrong = sum(wrong.values())
    sel = select(ws, "uea", items, audit_size=audit_size, budget=budget, seed=seed, scores=scored)
    scores = scored.scores
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
    from somekit.review.scores import ItemScores, measured_scores
    from somekit.schemas.items import EMOTIONS
    from somekit.workspace import init_workspace

    texts, gold = load_dev(args.dev, args.limit)
    load_before = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        run = run_offline_panel(ws, ws.config(), PANEL, texts)
    votes, kept, ties = run.votes, run.labels, [not ok for ok in run.majority]
    results: dict[str, dict[str, list[dict]]] = {"measured": {}, "measured_ties_flagged": {}, "crowdlab": {}}
    decided_share, changed_share = [], []
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "bench")
        for rep in range(args.reps):
            order = list(range(len(texts)))
            random.Random(rep).shuffle(order)
            fit, held = sorted(order[: len(order) // 2]), sorted(order[len(order) // 2:])
            built = make_items(held, texts, votes, kept, ties)
            measured = measured_scores(built, ([votes[i] for i in fit], [gold[i] for i in fit]), EMOTIONS)
            # a build with the fitting half as seed labels writes the weighted vote's label on the splits it decides
            applied = [measured.decided.get(it.id, k) for it, k in zip(built, (kept[i] for i in held))]
            relabelled = dict(zip(held, applied))
            open_ties = {i for it, i in zip(built, held) if ties[i] and it.id not in measured.decided}
            items = make_items(held, texts, votes, [relabelled.get(i, kept[i]) for i in range(len(texts))],
                               [i in open_ties for i in range(len(texts))])
            decided_share.append(len(measured.decided) / max(1, sum(ties[i] for i in held)))
            changed_share.append(sum(a != kept[i] for a, i in zip(applied, held)) / len(held))
            crowd = score_panel([votes[i] for i in held], [kept[i] for i in held], EMOTIONS)
            crowd_scores = ItemScores({it.id: s for it, s in zip(built, crowd.scores)}, crowd.method)
            flagged_anyway = ItemScores(measured.scores, measured.method)
            for name, scored, pool in (("measured", measured, items), ("measured_ties_flagged", flagged_anyway, items),
                                       ("crowdlab", crowd_scores, built)):
                gold_of = {it.id: gold[i] for it, i in zip(pool, held)}
                for frac in BUDGETS:
                    results[name].setdefault(f"{frac:.0%}", []).append(one_budget(ws, pool, scored, gold_of, frac,
                                                                                   args.audit_size, rep))
    summary = {name: {b: _summarise(runs) for b, runs in by.items()} for name, by in results.items()}
    main_20 = summary["measured"]["20%"]
    result = {
        "data": args.dev.name, "n": len(texts), "held_out_per_rep": len(texts) - len(texts) // 2, "reps": args.reps,
        "panel": list(PANEL), "audit_size": args.audit_size, "labelling_seconds": round(run.seconds, 1),
        "panel_accuracy": round(sum(k == g for k, g in zip(kept, gold)) / len(gold), 4),
        "ties_share": round(sum(ties) / len(ties), 4),
        "ties_decided_by_weighted_vote": round(sum(decided_share) / len(decided_share), 4),
        "labels_changed_by_weighted_vote": round(sum(changed_share) / len(changed_share), 4),
        "scoring": {"measured": "voters weighted by their accuracy on the fitting half: the weighted vote decides split "
                                "votes (no longer ties), CROWDLAB with the measured model scores (what a push does once "
                                "people's labels exist)",
                    "measured_ties_flagged": "the same scores, every tie flagged whatever the weighted vote says "
                                             "(the rule before; for comparison)",
                    "crowdlab": "CROWDLAB alone, ties flagged (what a build without seed labels stores)"},
        "budgets": summary,
        "acceptance_at_20": {
            "wrong_sent_ratio_vs_random": main_20["ratio_vs_random"], "target_ratio": TARGETS["ratio_at_20"],
            "ratio_met": main_20["ratio_vs_random"] >= TARGETS["ratio_at_20"],
            "gain_points": main_20["gain_points"], "target_gain_points": TARGETS["gain_points_at_20"],
            "gain_met": main_20["gain_points"] >= TARGETS["gain_points_at_20"],
            "covered": main_20["covered"], "target_covered": f"{TARGETS['covered_of_10']} of 10",
            "covered_met": main_20["covered"] >= TARGETS["covered_of_10"] * args.reps / 10},
        "machine": machine(load_before),
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
