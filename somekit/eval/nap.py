"""NAP (next action prediction): action-set F1 and text cosine similarity.

The persona area may provide its own metrics in somekit/persona/metrics.py; when it does not, the
figures are computed here over the declared BluePrint label set.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

from ..schemas.items import NAP_ACTIONS
from .gold import Case

_ACTION_RE = re.compile(r"(?<![a-z_])(" + "|".join(sorted(NAP_ACTIONS, key=len, reverse=True)) + r")(?![a-z_])")


def parse_prediction(answer: Any) -> tuple[set[str], str | None]:
    """Actions and text from a raw answer: a JSON object {"actions": [...], "text": ...} (or the
    dict itself), else action names found in the text."""
    if answer is None:
        return set(), None
    data = answer
    if isinstance(answer, str):
        try:
            data = json.loads(answer)
        except ValueError:
            data = None
    if isinstance(data, dict):
        actions = data.get("actions") or []
        if isinstance(actions, str):
            actions = [actions]
        return {a for a in actions if a in NAP_ACTIONS}, data.get("text")
    return set(_ACTION_RE.findall(str(answer).lower().replace("-", "_"))), None


def f1_scores(gold: list[set[str]], pred: list[set[str]], labels: tuple[str, ...] = NAP_ACTIONS) -> dict[str, float]:
    """Macro F1 (mean over labels that occur in gold or predictions) and micro F1, x 100."""
    tp_all = fp_all = fn_all = 0
    f1s = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred) if label in g and label in p)
        fp = sum(1 for g, p in zip(gold, pred) if label not in g and label in p)
        fn = sum(1 for g, p in zip(gold, pred) if label in g and label not in p)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        if tp + fp + fn:
            f1s.append(2 * tp / (2 * tp + fp + fn))
    micro = 2 * tp_all / (2 * tp_all + fp_all + fn_all) if (tp_all + fp_all + fn_all) else 0.0
    return {"macro_f1": round(100 * float(np.mean(f1s)) if f1s else 0.0, 4), "micro_f1": round(100 * micro, 4)}


def score_nap(cases: list[Case], embedder: Any = None) -> dict[str, Any]:
    gold_sets, pred_sets, pairs = [], [], []
    for case in cases:
        actions, text = parse_prediction(case.answer)
        gold_sets.append(set(case.gold["actions"]))
        pred_sets.append(actions)
        if case.gold.get("text") and text:
            pairs.append((case.gold["text"], text))
    out: dict[str, Any] = {"task": "nap", "n": len(cases), **f1_scores(gold_sets, pred_sets),
                           "tcr": round(100.0 * sum(1 for s in pred_sets if s) / len(cases), 4) if cases else 0.0,
                           "labels": list(NAP_ACTIONS), "cosine": None, "cosine_pairs": len(pairs),
                           "embedding_model": None}
    if pairs and embedder is not None:
        g = embedder.embed([a for a, _ in pairs])
        p = embedder.embed([b for _, b in pairs])
        out["cosine"] = round(float(np.mean(np.sum(np.asarray(g) * np.asarray(p), axis=1))), 6)
        out["embedding_model"] = getattr(embedder, "model", None)
    return out
