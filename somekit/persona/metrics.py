"""NAP scores: action F1 over a declared label set, text cosine similarity.

F1 follows scikit-learn's multilabel definition (`f1_score(Y, P, average=..., labels=...,
zero_division=0)` on binarised action sets): macro averages per-label F1 over every declared
label, micro pools true/false positives over them. Implemented on numpy so evaluation does not
need scikit-learn at run time; tests check the two agree.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..schemas.items import NAP_ACTIONS


def binarise(sets: Sequence[Sequence[str]], labels: Sequence[str]) -> np.ndarray:
    """(n, len(labels)) 0/1 matrix; actions outside the declared labels are ignored."""
    index = {label: j for j, label in enumerate(labels)}
    out = np.zeros((len(sets), len(labels)), dtype=np.int64)
    for i, actions in enumerate(sets):
        for a in actions or ():
            if a in index:
                out[i, index[a]] = 1
    return out


def action_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]],
              labels: Sequence[str] = NAP_ACTIONS) -> dict[str, Any]:
    """Macro and micro F1 of predicted action sets against gold ones, plus per-label F1."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sets but {len(pred)} predictions")
    y, p = binarise(gold, labels), binarise(pred, labels)
    tp = (y & p).sum(axis=0)
    fp = ((1 - y) & p).sum(axis=0)
    fn = (y & (1 - p)).sum(axis=0)
    denom = 2 * tp + fp + fn
    per_label = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)
    micro_denom = 2 * tp.sum() + fp.sum() + fn.sum()
    return {"macro_f1": float(per_label.mean()) if len(labels) else 0.0,
            "micro_f1": float(2 * tp.sum() / micro_denom) if micro_denom else 0.0,
            "per_label": {label: round(float(f), 6) for label, f in zip(labels, per_label)},
            "labels": list(labels)}


def text_cosine(gold_texts: Sequence[str], pred_texts: Sequence[str], embedder: Any,
                clusters: Sequence[int] | None = None) -> dict[str, Any]:
    """Cosine of generated vs real texts: mean over pairs where the gold item has text (a missing
    prediction scores 0), and per cluster the cosine between the mean real and mean generated
    embedding, averaged over clusters."""
    pairs = [(i, g, p or "") for i, (g, p) in enumerate(zip(gold_texts, pred_texts)) if g]
    out: dict[str, Any] = {"embedding_model": getattr(embedder, "model", "?"), "pairs": len(pairs)}
    if not pairs:
        out.update(cosine=None, cosine_cluster=None)
        return out
    g = embedder.embed([t for _, t, _ in pairs], kind="passage")
    p_texts = [t for _, _, t in pairs]
    p = embedder.embed([t or " " for t in p_texts], kind="passage")
    sims = np.einsum("ij,ij->i", g, p)
    sims = np.where(np.array([bool(t) for t in p_texts]), sims, 0.0)
    out["cosine"] = float(sims.mean())
    groups = np.array([clusters[i] for i, _, _ in pairs]) if clusters is not None else np.zeros(len(pairs), int)
    per_cluster = {}
    for c in np.unique(groups):
        mg, mp = g[groups == c].mean(axis=0), p[groups == c].mean(axis=0)
        per_cluster[int(c)] = float(mg @ mp / ((np.linalg.norm(mg) * np.linalg.norm(mp)) or 1.0))
    out["cosine_cluster"] = float(np.mean(list(per_cluster.values())))
    out["cosine_per_cluster"] = {str(k): round(v, 6) for k, v in per_cluster.items()}
    return out


def score_nap(gold: Sequence[dict[str, Any]], pred: Sequence[dict[str, Any]], embedder: Any,
              labels: Sequence[str] = NAP_ACTIONS) -> dict[str, Any]:
    """Score predictions against nap items (dicts as in items.jsonl). A prediction is
    {"id", "actions": [...], "text": str|None}; items with no prediction count as empty sets and
    empty texts (so skipping items never raises the score)."""
    by_id = {p["id"]: p for p in pred}
    unknown = sorted(set(by_id) - {g["id"] for g in gold})
    preds = [by_id.get(g["id"], {}) for g in gold]
    f1 = action_f1([g["answer"]["actions"] for g in gold], [p.get("actions") or [] for p in preds], labels)
    cos = text_cosine([g["answer"].get("text") or "" for g in gold], [p.get("text") or "" for p in preds],
                      embedder, [g["inputs"]["cluster_id"] for g in gold])
    return {"task": "nap", "n": len(gold), "answered": sum(1 for g in gold if g["id"] in by_id),
            "unknown_ids": len(unknown), "macro_f1": f1["macro_f1"], "micro_f1": f1["micro_f1"],
            "per_label_f1": f1["per_label"], "labels": f1["labels"], "cosine": cos["cosine"],
            "cosine_cluster": cos["cosine_cluster"], "cosine_pairs": cos["pairs"],
            "embedding_model": cos["embedding_model"]}
