"""`somekit eval nap --compat blueprint`: BluePrint's published numbers, reproduced bug for bug.

BluePrint's evaluation (ComplexData-MILA/BluePrint, evaluating/compute_metrics.py) reports, per
persona cluster and then averaged over clusters:

- "F1": each item's action dict is reduced to ONE label by a fixed priority (no actions -> post,
  else like, else repost, else follow, else ignore, else post; reply, quote, undo actions, edits
  and deletes all become "post", and "reply" is never a label), then it counts matches as true
  positives and every mismatch both as a false positive and a false negative, so precision =
  recall = F1 = accuracy of that single label;
- "avg_embed_cosine_similarity": cosine between the mean embedding of all real texts and the
  mean embedding of all generated texts of the cluster, empty texts (likes, follows) included,
  embedded without e5's "query: " prefix;
- "max_cosine_similarity": the single highest cosine between any generated and any real text.

Texts go through its output filter first: unicode escapes decoded from the UTF-8 bytes (which
garbles non-ASCII text), stripped, cut at the first double quote and at the first backslash, a
one-character text emptied.

What cannot be reproduced here is said in the result: the embedding model (it used
multilingual-e5-large with mean pooling; we use the configured embedder, whose own prefix and
normalisation apply). A missing "ignore" key, which its code would crash on, counts as false.
These figures are printed beside the correct ones (eval/nap_metrics.py), never instead.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Sequence

import numpy as np

from ..schemas.items import NAP_ACTIONS
from .nap_metrics import embed_unique

#: BluePrint's single-label reduction, in priority order after the empty case.
_PRIORITY = ("like", "repost", "follow", "ignore")


def bp_label(actions: dict[str, Any] | None) -> str:
    """The one label BluePrint's scorer keeps of an action dict."""
    if not actions:
        return "post"
    for name in _PRIORITY:
        if actions.get(name):
            return name
    return "post"


def bp_text(text: str | None) -> str:
    """BluePrint's filter of a generated (and a real) text."""
    text = text or ""
    try:
        text = text.encode("utf-8").decode("unicode_escape")
    except UnicodeDecodeError:
        pass
    text = text.strip()
    for stop in ('"', "\\"):
        cut = text.find(stop)
        if cut != -1:
            text = text[:cut]
    return "" if len(text) == 1 else text


def _flags(actions: Sequence[str] | None) -> dict[str, bool]:
    chosen = set(actions or ())
    return {a: a in chosen for a in NAP_ACTIONS}


def _cos_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    an = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    bn = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return an @ bn.T


def score_compat(gold: Sequence[dict[str, Any]], pred: Sequence[dict[str, Any]], embedder: Any = None) -> dict[str, Any]:
    """BluePrint's figures for the same gold items and predictions as metrics.score_nap.
    A missing prediction is what BluePrint's loader makes of unparsable output: no actions, no
    text."""
    by_id = {p["id"]: p for p in pred}
    clusters: dict[int, list[tuple[dict, dict]]] = defaultdict(list)
    for g in gold:
        clusters[int(g["inputs"]["cluster_id"])].append((g, by_id.get(g["id"], {})))
    per_cluster: dict[str, dict[str, float]] = {}
    for c, pairs in sorted(clusters.items()):
        real = [bp_label(_flags(g["answer"]["actions"])) for g, _ in pairs]
        gen = [bp_label(_flags(p.get("actions")) if p.get("actions") else {}) for _, p in pairs]
        matches = sum(r == q for r, q in zip(real, gen))
        tp, fp = matches, len(pairs) - matches
        fn = fp  # the bug: every mismatch is counted as both
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        row = {"f1": f1, "items": len(pairs)}
        if embedder is not None:
            real_t = [bp_text(g["answer"].get("text")) for g, _ in pairs]
            gen_t = [bp_text(p.get("text")) for _, p in pairs]
            r = embed_unique(embedder, real_t, "passage")
            q = embed_unique(embedder, gen_t, "passage")
            row["avg_embed_cosine_similarity"] = float(_cos_matrix(r.mean(axis=0, keepdims=True), q.mean(axis=0, keepdims=True))[0, 0])
            row["max_cosine_similarity"] = float(_cos_matrix(q, r).max())
        per_cluster[str(c)] = row
    keys = [k for k in ("f1", "avg_embed_cosine_similarity", "max_cosine_similarity")
            if per_cluster and all(k in v for v in per_cluster.values())]
    out: dict[str, Any] = {"mode": "blueprint", "per_cluster": per_cluster,
                           **{k: float(np.mean([v[k] for v in per_cluster.values()])) for k in keys}}
    if embedder is not None:
        out["embedding_model"] = getattr(embedder, "model", "?")
        out["note"] = ("BluePrint embedded with intfloat/multilingual-e5-large, mean pooling, no prefix; "
                       f"here {out['embedding_model']} with its passage prefix and L2-normalised vectors")
    return out
