"""NAP (next action prediction): reading answers; the scores are eval/nap_metrics.py's."""

from __future__ import annotations

import json
import re
from typing import Any

from ..schemas.items import NAP_ACTIONS
from .cases import Case

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


def score_nap_cases(cases: list[Case], embedder: Any = None, compat: str | None = None) -> dict[str, Any]:
    """NAP scores of eval cases: their raw answers read into predictions, then scored by
    nap_metrics.score_nap (the one implementation: F1 over the declared labels, 0-1 scale; text
    cosine when an embedder is given), with the task completion rate (tcr) added. With
    compat="blueprint", BluePrint's own figures (eval/blueprint_compat.py) are added under
    "compat", beside them."""
    from . import nap_metrics as metrics

    parsed = {c.id: parse_prediction(c.answer) for c in cases if c.answer is not None}
    completed = sum(1 for actions, _ in parsed.values() if actions)
    tcr = round(100.0 * completed / len(cases), 4) if cases else 0.0
    gold = [{"id": c.id, "answer": {"actions": c.gold["actions"], "text": c.gold.get("text")},
             "inputs": {"cluster_id": c.gold.get("cluster_id", 0)}} for c in cases]
    pred = [{"id": cid, "actions": sorted(actions), "text": text} for cid, (actions, text) in parsed.items()]
    out = metrics.score_nap(gold, pred, embedder)
    out.update({"tcr": tcr, "metrics": "somekit.eval.nap_metrics"})
    if compat == "blueprint":
        from .blueprint_compat import score_compat

        out["compat"] = score_compat(gold, pred, embedder)
    elif compat is not None:
        raise ValueError(f"unknown compat mode {compat!r}")
    return out
