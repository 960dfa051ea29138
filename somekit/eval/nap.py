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
    """NAP scores. With an embedder, the persona area's metrics (somekit.persona.metrics) are
    used so that one definition serves both areas (F1 and cosine on a 0-1 scale there); without
    one, action F1 is computed here (x 100) and cosine is None."""
    parsed = {c.id: parse_prediction(c.answer) for c in cases if c.answer is not None}
    completed = sum(1 for actions, _ in parsed.values() if actions)
    tcr = round(100.0 * completed / len(cases), 4) if cases else 0.0
    try:
        from ..persona import metrics as persona_metrics
    except ImportError:
        persona_metrics = None
    if persona_metrics is not None and embedder is not None:
        gold = [{"id": c.id, "answer": {"actions": c.gold["actions"], "text": c.gold.get("text")},
                 "inputs": {"cluster_id": c.gold.get("cluster_id", 0)}} for c in cases]
        pred = [{"id": cid, "actions": sorted(actions), "text": text} for cid, (actions, text) in parsed.items()]
        out = persona_metrics.score_nap(gold, pred, embedder)
        out.update({"tcr": tcr, "metrics": "somekit.persona.metrics", "scale": "0-1"})
        return out
    gold_sets = [set(c.gold["actions"]) for c in cases]
    pred_sets = [parsed.get(c.id, (set(), None))[0] for c in cases]
    return {"task": "nap", "n": len(cases), **f1_scores(gold_sets, pred_sets), "tcr": tcr, "labels": list(NAP_ACTIONS),
            "cosine": None, "embedding_model": None, "metrics": "somekit.eval.nap", "scale": "0-100"}
