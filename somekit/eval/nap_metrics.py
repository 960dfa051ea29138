"""NAP scores, the one implementation (used by `somekit eval nap` and the persona tests).

Actions. Gold and predicted action sets are binarised over a declared label set (the 13 BluePrint
kinds by default; predictions outside it are ignored) and scored with scikit-learn's `f1_score`:
macro (mean of per-label F1 over every declared label), micro (true/false positives pooled) and
per label. A label that is in neither the gold nor the predicted sets of any item scores 1.0
(`zero_division=1`: nothing to find and nothing claimed is no error); `labels_present` says which
labels the gold holds, so a reader can tell.

Text. Embeddings name their model and use the model's prefix: e5 models were trained with
"query: " on both sides of a symmetric comparison, so both texts are embedded as kind "query".
Two figures:
- `cosine`: per-pair cosine of each generated text with its gold text, averaged over items whose
  gold has text (a missing or empty prediction scores 0, so skipping never helps);
- `cosine_set`: cosine between the mean gold vector and the mean generated vector per cluster,
  averaged over clusters (how BluePrint compares a persona's output as a whole; it rewards the
  topic mix, not item-level fidelity).

Scale: 0-1 throughout.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..schemas.items import NAP_ACTIONS

#: e5's prefix for symmetric similarity, on both sides.
TEXT_KIND = "query"


def binarise(sets: Sequence[Sequence[str] | None], labels: Sequence[str]) -> np.ndarray:
    """(n, len(labels)) 0/1 matrix; actions outside the declared labels are ignored."""
    from sklearn.preprocessing import MultiLabelBinarizer

    known = set(labels)
    mlb = MultiLabelBinarizer(classes=list(labels))
    return mlb.fit_transform([[a for a in (s or ()) if a in known] for s in sets])


def action_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str] | None],
              labels: Sequence[str] = NAP_ACTIONS) -> dict[str, Any]:
    """Macro, micro and per-label F1 of predicted action sets against gold ones (scikit-learn)."""
    from sklearn.metrics import f1_score

    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sets but {len(pred)} predictions")
    labels = list(labels)
    y, p = binarise(gold, labels), binarise(pred, labels)
    if len(y) == 0:
        return {"macro_f1": 0.0, "micro_f1": 0.0, "per_label": {}, "labels": labels, "labels_present": []}
    per = f1_score(y, p, average=None, labels=range(len(labels)), zero_division=1.0)
    micro = f1_score(y, p, average="micro", zero_division=1.0)
    return {"macro_f1": float(np.mean(per)), "micro_f1": float(micro),
            "per_label": {label: round(float(f), 6) for label, f in zip(labels, per)},
            "labels": labels, "labels_present": [label for j, label in enumerate(labels) if y[:, j].any()]}


def embed_unique(embedder: Any, texts: Sequence[str], kind: str) -> np.ndarray:
    """Embed each distinct text once (gold sets repeat texts; empty ones are many)."""
    distinct = sorted(set(texts))
    if not distinct:
        return np.zeros((0, 1), dtype=np.float64)
    vectors = np.asarray(embedder.embed(distinct, kind=kind), dtype=np.float64)
    index = {t: i for i, t in enumerate(distinct)}
    return vectors[[index[t] for t in texts]]


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / ((np.linalg.norm(a) * np.linalg.norm(b)) or 1.0))


def text_cosine(gold_texts: Sequence[str | None], pred_texts: Sequence[str | None], embedder: Any,
                clusters: Sequence[int] | None = None, kind: str = TEXT_KIND) -> dict[str, Any]:
    """Per-pair cosine and per-cluster mean-vector cosine over items whose gold has text."""
    pairs = [(i, g, p or "") for i, (g, p) in enumerate(zip(gold_texts, pred_texts)) if g]
    out: dict[str, Any] = {"embedding_model": getattr(embedder, "model", "?"), "prefix": f"{kind}: ",
                           "pairs": len(pairs)}
    if not pairs:
        out.update(cosine=None, cosine_set=None, cosine_per_cluster={})
        return out
    g = embed_unique(embedder, [t for _, t, _ in pairs], kind)
    answered = np.array([bool(t.strip()) for _, _, t in pairs])
    p = np.zeros_like(g)
    if answered.any():
        p[answered] = embed_unique(embedder, [t for (_, _, t), a in zip(pairs, answered) if a], kind)
    sims = np.array([_cos(a, b) if ok else 0.0 for a, b, ok in zip(g, p, answered)])
    out["cosine"] = float(sims.mean())
    groups = np.array([clusters[i] for i, _, _ in pairs]) if clusters is not None else np.zeros(len(pairs), int)
    per_cluster = {}
    for c in np.unique(groups):
        mask = groups == c
        gen = p[mask & answered]
        per_cluster[int(c)] = _cos(g[mask].mean(axis=0), gen.mean(axis=0)) if len(gen) else 0.0
    out["cosine_set"] = float(np.mean(list(per_cluster.values())))
    out["cosine_per_cluster"] = {str(k): round(v, 6) for k, v in per_cluster.items()}
    return out


def score_nap(gold: Sequence[dict[str, Any]], pred: Sequence[dict[str, Any]], embedder: Any = None,
              labels: Sequence[str] = NAP_ACTIONS) -> dict[str, Any]:
    """Score predictions against nap items (dicts as in items.jsonl). A prediction is
    {"id", "actions": [...], "text": str|None}; items with no prediction count as empty sets and
    empty texts (so skipping items never raises the score). Without an embedder the text
    figures are None."""
    by_id = {p["id"]: p for p in pred}
    unknown = sorted(set(by_id) - {g["id"] for g in gold})
    preds = [by_id.get(g["id"], {}) for g in gold]
    f1 = action_f1([g["answer"]["actions"] for g in gold], [p.get("actions") or [] for p in preds], labels)
    out = {"task": "nap", "n": len(gold), "answered": sum(1 for g in gold if g["id"] in by_id),
           "unknown_ids": len(unknown), "macro_f1": f1["macro_f1"], "micro_f1": f1["micro_f1"],
           "per_label_f1": f1["per_label"], "labels": f1["labels"], "labels_present": f1["labels_present"],
           "scale": "0-1", "cosine": None, "cosine_set": None, "embedding_model": None, "prefix": None}
    if embedder is not None:
        cos = text_cosine([g["answer"].get("text") for g in gold], [p.get("text") for p in preds], embedder,
                          [g["inputs"]["cluster_id"] for g in gold])
        out.update(cosine=cos["cosine"], cosine_set=cos["cosine_set"], cosine_pairs=cos["pairs"],
                   cosine_per_cluster=cos["cosine_per_cluster"], embedding_model=cos["embedding_model"],
                   prefix=cos["prefix"])
    return out
