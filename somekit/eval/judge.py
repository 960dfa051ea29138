"""LLM-judge scoring for the free-text tasks (smq, ses, red): 0-5 per criterion, score = mean x 20."""

from __future__ import annotations

import re
from typing import Any

from ..annotate.contract import LLMClient, LLMRequest
from ..schemas.eval import JUDGE_CRITERIA, JUDGE_SCHEMAS
from . import EvalError
from .gold import Case


#: Ratings plus a one-line reason; a tight budget keeps a rambling model from stalling a run.
JUDGE_MAX_TOKENS = 160


def _lang(text: str) -> str:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def _request(task: str, case: Case) -> LLMRequest:
    ask = "question" if task == "smq" else "query"
    reference = str(case.gold)
    return LLMRequest(key=case.id, prompt_id=f"judge.{task}@1", schema=JUDGE_SCHEMAS[task], lang=_lang(reference),
                      fields={ask: case.question or "-", "reference": reference, "prediction": str(case.answer)},
                      temperature=0.0, max_tokens=JUDGE_MAX_TOKENS)


def combine(task: str, per_case: dict[str, dict[str, int] | None], n: int) -> dict[str, Any]:
    """The score formula, kept apart from the LLM so it can be checked on its own.

    `per_case` maps a case id to its 0-5 ratings, {} for a case without a prediction (all zeros)
    or None when the judge failed (left out of the mean and counted). score = mean of every
    rating of every scored case x 20, so 5 everywhere is 100."""
    criteria = JUDGE_CRITERIA[task]
    scored = {k: v for k, v in per_case.items() if v is not None}
    totals = {c: sum(v.get(c, 0) for v in scored.values()) for c in criteria}
    m = len(scored)
    by_criterion = {c: round(20.0 * totals[c] / m, 4) if m else 0.0 for c in criteria}
    score = round(20.0 * sum(totals.values()) / (m * len(criteria)), 4) if m else 0.0
    return {"score": score, "criteria": by_criterion, "judged": m,
            "judge_failures": sum(1 for v in per_case.values() if v is None)}


def score_judged(task: str, cases: list[Case], llm: LLMClient | None) -> dict[str, Any]:
    answered = [c for c in cases if c.answer is not None and str(c.answer).strip()]
    if answered and llm is None:
        raise EvalError(f"{task} is scored by an LLM judge: configure one (--llm-base-url/--llm-model or SOMEKIT_LLM_*)")
    per_case: dict[str, dict[str, int] | None] = {c.id: {} for c in cases}
    errors: list[str] = []
    if answered:
        for result in llm.run([_request(task, c) for c in answered], desc=f"{task} judge"):
            if result.ok and result.value is not None:
                per_case[result.key] = {k: int(getattr(result.value, k)) for k in JUDGE_CRITERIA[task]}
            else:
                per_case[result.key] = None
                if len(errors) < 5:
                    errors.append(f"{result.key}: {result.error}")
    n = len(cases)
    out = {"task": task, "n": n, **combine(task, per_case, n),
           "tcr": round(100.0 * len(answered) / n, 4) if n else 0.0,
           "judge_model": getattr(llm, "model", None) if llm is not None else None,
           "judge_prompt": f"judge.{task}@1"}
    if errors:
        out["judge_errors"] = errors
    return out
