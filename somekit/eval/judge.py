"""LLM-judge scoring for the free-text tasks (smq, ses, red): 0-5 per criterion, score = mean x 20."""

from __future__ import annotations

from typing import Any

from ..annotate.contract import LLMClient, LLMRequest
from ..schemas.eval import JUDGE_CRITERIA, JUDGE_SCHEMAS
from ..errors import EvalError
from ..store.language import prompt_lang
from .cases import Case
from .stats import mean_interval


CRASHED = {"error", "运行错误"}

#: Ratings plus a one-line reason; a tight budget keeps a rambling model from stalling a run.
JUDGE_MAX_TOKENS = 160


def _request(task: str, case: Case) -> LLMRequest:
    ask = "question" if task == "smq" else "query"
    reference = str(case.gold)
    return LLMRequest(key=case.id, prompt_id=f"judge.{task}@1", schema=JUDGE_SCHEMAS[task], lang=prompt_lang(reference),
                      fields={ask: case.question or "-", "reference": reference, "prediction": str(case.answer)},
                      temperature=0.0, max_tokens=JUDGE_MAX_TOKENS)


def combine(task: str, per_case: dict[str, dict[str, int] | None], n: int) -> dict[str, Any]:
    """The score formula, kept apart from the LLM so it can be checked on its own.

    `per_case` maps a case id to its 0-5 ratings, {} for a case without a prediction or None
    when the judge failed on it. Both count as 0 on every criterion (a failure must not raise the
    score by leaving a hard case out); failures are counted and reported. score = mean of every
    rating of every case x 20, so 5 everywhere is 100; `ci` is its 95% interval over cases."""
    criteria = JUDGE_CRITERIA[task]
    rows = [v or {} for v in per_case.values()]
    m = len(rows)
    by_criterion = {c: round(20.0 * sum(r.get(c, 0) for r in rows) / m, 4) if m else 0.0 for c in criteria}
    case_scores = [20.0 * sum(r.get(c, 0) for c in criteria) / len(criteria) for r in rows]
    score = round(sum(case_scores) / m, 4) if m else 0.0
    return {"score": score, "ci": mean_interval(case_scores), "criteria": by_criterion,
            "judged": sum(1 for v in per_case.values() if v), "judge_failures": sum(1 for v in per_case.values() if v is None)}


def score_judged(task: str, cases: list[Case], llm: LLMClient | None, judge_name: str | None = None) -> dict[str, Any]:
    # SoMe's harness writes "运行错误"/"Error" when the agent crashed: not an answer, no judge call.
    answered = [c for c in cases if c.answer is not None and str(c.answer).strip()
                and str(c.answer).strip().lower() not in CRASHED]
    if answered and llm is None:
        raise EvalError(f"{task} is scored by an LLM judge: name one (--judge MODEL with --llm-base-url, "
                        "SOMEKIT_LLM_BASE_URL, [llm] base_url in somekit.toml, or --judge embedded)")
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
           "judge": judge_name or (getattr(llm, "model", None) if llm is not None else None),
           "judge_model": getattr(llm, "model", None) if llm is not None else None,
           "judge_prompt": f"judge.{task}@1"}
    if errors:
        out["judge_errors"] = errors
    return out
