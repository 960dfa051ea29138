"""Accuracy and task completion rate for the classification tasks (ubp ucs mcr uea mid)."""

from __future__ import annotations

import collections
import json
import re
from typing import Any

from ..annotate.contract import LLMClient, LLMRequest
from ..schemas.eval import EXTRACT_SCHEMAS
from ..answers.extract import Extraction, extract_label
from .gold import Case
from ..answers.labels import KIND, LABELS, normalise_gold
from .stats import wilson

#: MID is scored on 3 labels; v2 of its extraction prompt asks for exactly those (the schema's enum).
EXTRACT_PROMPTS = {"mid": "extract.mid@2"}

#: Rules whose failure the LLM may still rescue; refusals and empty answers stay not completed.
FALLBACK_RULES = ("ambiguous",)


def _lang(text: str) -> str:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def _llm_extract(task: str, pending: list[tuple[Case, Extraction]], llm: LLMClient) -> dict[str, Extraction]:
    requests = [LLMRequest(key=case.id, prompt_id=EXTRACT_PROMPTS.get(task, f"extract.{task}@1"), fields={"question": case.question or "-", "answer": str(case.answer)},
                           schema=EXTRACT_SCHEMAS[KIND[task]], lang=_lang(str(case.answer)), temperature=0.0, max_tokens=48)
                for case, _ in pending]
    out: dict[str, Extraction] = {}
    for result in llm.run(requests, desc=f"{task} answer extraction"):
        label = None
        if result.ok and result.value is not None:
            try:
                label = normalise_gold(task, result.value.label)
            except ValueError:
                label = None  # 'none' or off-vocabulary: still not completed
        out[result.key] = Extraction(label, "llm" if label else "llm-none")
    return out


def score_classification(task: str, cases: list[Case], llm: LLMClient | None = None) -> dict[str, Any]:
    """acc = exact matches x 100 / n; tcr = answers with an extractable label x 100 / n.

    Every gold case counts in n, so a missing prediction lowers both figures."""
    extractions: dict[str, Extraction] = {}
    pending = []
    for case in cases:
        # A structured answer ({"label": "yes"} inline in a JSON line) is read as the JSON it is.
        text = case.answer if case.answer is None or isinstance(case.answer, str) else json.dumps(case.answer, ensure_ascii=False)
        ex = extract_label(task, text)
        if case.answer is None:
            ex = Extraction(None, "missing")
        extractions[case.id] = ex
        if ex.rule in FALLBACK_RULES:
            pending.append((case, ex))
    if pending and llm is not None:
        extractions.update(_llm_extract(task, pending, llm))
    n = len(cases)
    correct = sum(1 for c in cases if extractions[c.id].label == c.gold)
    completed = sum(1 for c in cases if extractions[c.id].label is not None)
    rules = collections.Counter(e.rule for e in extractions.values())
    confusion: dict[str, dict[str, int]] = {g: {} for g in LABELS[KIND[task]]}
    for c in cases:
        pred = extractions[c.id].label or "none"
        confusion[c.gold][pred] = confusion[c.gold].get(pred, 0) + 1
    return {
        "task": task, "n": n,
        "acc": round(100.0 * correct / n, 4) if n else 0.0,
        "tcr": round(100.0 * completed / n, 4) if n else 0.0,
        "acc_ci": wilson(correct, n), "correct": correct, "completed": completed,
        "missing": rules.get("missing", 0), "rules": dict(sorted(rules.items())),
        "llm_fallback": len(pending) if llm is not None else 0,
        "confusion": confusion,
    }
