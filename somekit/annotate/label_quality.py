"""How good machine labels are: scores against people's labels, and the card text that says so.

`score` is used by the seed head's cross-validation, by the UEA builder (the whole voter panel
scored on the user's seed labels) and by bench/uea_quality.py. `card_section` turns a UEA run's
stats into the lines the dataset card prints: the reliability verdict and the measured quality.
"""

from __future__ import annotations

from typing import Any, Sequence

#: Figures of the offline default measured by bench/uea_quality.py on emotion-weibo-dev (1,500
#: Weibo posts labelled by people; SMP2020-EWECT), quoted on cards of runs that have no seed
#: labels to measure themselves on. Re-measure and update when a voter changes.
REFERENCE = {
    "data": "emotion-weibo-dev (1,500 Weibo posts with people's labels, SMP2020-EWECT)",
    "with_seed_head": {"voters": "embed:zh-a + lexicon:dutir + head:seed (5-fold cross-validated)",
                       "accuracy": 0.642, "macro_f1": 0.605},
    "without_seed_labels": {"voters": "embed:zh-a + lexicon:dutir + head:builtin", "accuracy": 0.536, "macro_f1": 0.510},
}


def score(gold: Sequence[Any], pred: Sequence[Any], labels: Sequence[Any]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class recall/precision/F1 and the confusion matrix (rows: gold).

    A prediction of None (no label) counts as wrong. Macro-F1 averages over `labels` that occur
    in gold or predictions, so an unused class cannot inflate it."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    n = len(gold)
    index = {lab: i for i, lab in enumerate(labels)}
    matrix = [[0] * (len(labels) + 1) for _ in labels]           # last column: no label
    for g, p in zip(gold, pred):
        matrix[index[g]][index.get(p, len(labels))] += 1
    per_class: dict[str, dict[str, Any]] = {}
    f1s = []
    for i, lab in enumerate(labels):
        tp = matrix[i][i]
        support = sum(matrix[i])
        predicted = sum(matrix[r][i] for r in range(len(labels)))
        recall = tp / support if support else None
        precision = tp / predicted if predicted else None
        f1 = 2 * tp / (support + predicted) if support + predicted else None
        if f1 is not None:
            f1s.append(f1)
        per_class[str(lab)] = {"support": support, "recall": _r(recall), "precision": _r(precision), "f1": _r(f1)}
    correct = sum(matrix[i][i] for i in range(len(labels)))
    return {"n": n, "accuracy": _r(correct / n if n else None), "macro_f1": _r(sum(f1s) / len(f1s) if f1s else None),
            "per_class": per_class, "confusion": {"labels": [*map(str, labels), "none"], "rows": matrix}}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _fmt(x: Any) -> str:
    return "n/a" if x is None else (f"{x:.3f}" if isinstance(x, float) else str(x))


def card_section(stats: dict[str, Any]) -> list[str]:
    """Markdown lines for the card: reliability verdict, agreement, measured quality of the labels."""
    if not stats:
        return []
    quality = stats.get("quality") or {}
    if "reliable" not in quality:
        lines = ["**Label reliability: not recorded** (the build that made these items kept no quality verdict).", ""]
    else:
        verdict = "reliable" if quality["reliable"] else "UNRELIABLE"
        lines = [f"**Label reliability: {verdict}.** {quality.get('message', '')}".rstrip(), ""]
    voters = stats.get("voter_methods") or {}
    if voters:
        lines += ["Voters: " + "; ".join(f"`{name}` = {method}" for name, method in voters.items()) + ".", ""]
    kappa = stats.get("kappa") or {}
    if kappa:
        lines += [f"Fleiss' kappa: {_fmt(kappa.get('pool'))} on the {stats.get('pool', 0):,} voted comments, "
                  f"{_fmt(kappa.get('shipped'))} on the {stats.get('items', 0):,} items written. "
                  f"{stats.get('ties', 0):,} comments without a majority: {stats.get('ties_to_review', 0):,} sent to human "
                  f"review (never counted as labelled before a decision), the rest left out.", ""]
    weighted = stats.get("weighted_vote") or {}
    if weighted.get("applied"):
        lines += [f"Voters weighted by their accuracy on the seed labels (log-odds weights "
                  + ", ".join(f"`{n}` {w:.2f}" for n, w in weighted.get("weights", {}).items())
                  + f"): the weighted vote decided {weighted.get('splits_decided', 0):,} comments without a plain majority "
                  f"({weighted.get('labels_changed', 0):,} labels differ from the tie's suggestion); they count as labelled "
                  "and go to review by label-quality score.", ""]
    per_class = stats.get("per_class_agreement") or {}
    if per_class:
        lines += ["| class | kappa | agreement | votes |", "| --- | --- | --- | --- |",
                  *[f"| {c} | {_fmt(v.get('kappa'))} | {_fmt(v.get('agreement'))} | {v.get('votes', 0):,} |"
                    for c, v in per_class.items()], ""]
    scored = stats.get("label_quality") or {}
    if scored.get("method"):
        from .label_scores import reliability_line

        line = reliability_line(scored)
        lines += [f"Label-quality score per item: {scored['method']}, median {_fmt(scored.get('quantiles', {}).get('p50'))}; "
                  "the human review takes the lowest-scored labels first." + (f" {line}" if line else ""), ""]
    measured = stats.get("measured_quality") or {}
    if measured.get("panel"):
        p = measured["panel"]
        lines += [f"Measured quality against people: on the {p.get('n', 0):,} seed labels of this workspace "
                  f"({measured.get('how', 'cross-validated')}), the voter panel's labels reach accuracy "
                  f"{_fmt(p.get('accuracy'))} and macro-F1 {_fmt(p.get('macro_f1'))}; per-class recall "
                  + ", ".join(f"{c} {_fmt(v.get('recall'))}" for c, v in p.get("per_class", {}).items()) + ".", ""]
    else:
        ref = REFERENCE
        lines += [f"Measured quality against people: not measured in this run (no seed labels). For reference, "
                  f"bench/uea_quality.py on {ref['data']}: {ref['without_seed_labels']['voters']} accuracy "
                  f"{ref['without_seed_labels']['accuracy']:.3f}, macro-F1 {ref['without_seed_labels']['macro_f1']:.3f}; "
                  f"{ref['with_seed_head']['voters']} accuracy {ref['with_seed_head']['accuracy']:.3f}, macro-F1 "
                  f"{ref['with_seed_head']['macro_f1']:.3f}.", ""]
    return lines
