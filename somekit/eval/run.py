"""`evaluate(task, gold, pred)`: one entry point for every task."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import EvalError
from ..answers.fallback import DEFAULT_ON as OFFLINE_DEFAULT
from ..schemas.tasks import TASKS
from .gold import load_cases


def evaluate(task: str, gold: str | Path, pred: str | Path, llm: Any = None, embedder: Any = None,
             judge_name: str | None = None, compat: str | None = None, offline_fallback: bool = OFFLINE_DEFAULT,
             llm_audit: int = 0) -> dict[str, Any]:
    """Score predictions against gold (docs/architecture.md, "Evaluation"). `llm` (an LLMClient) is the extraction
    fallback for classification and the judge for smq/ses/red; `embedder` gives NAP's cosine;
    `compat="blueprint"` adds BluePrint's own NAP figures beside ours. Classification: `offline_fallback`
    reads what rules and LLM left undecided; `llm_audit` rule-read answers are also given to the LLM
    to report their agreement."""
    if task not in TASKS:
        raise EvalError(f"unknown task {task!r}; one of {' '.join(TASKS)}")
    kind = TASKS[task].eval_kind
    loaded = load_cases(task, gold, pred)
    if not loaded.cases:
        raise EvalError(f"{gold}: no gold items for {task}")
    if kind == "classify":
        from .classify import score_classification

        result = score_classification(task, loaded.cases, llm, offline_fallback=offline_fallback, llm_audit=llm_audit)
    elif kind == "nap":
        if loaded.gold_format != "frozen":
            raise EvalError("nap gold must be a frozen split (SoMe has no NAP task)")
        from .nap import score_nap_cases

        result = score_nap_cases(loaded.cases, embedder, compat)
    else:
        from .judge import score_judged

        result = score_judged(task, loaded.cases, llm, judge_name)
    result["gold_format"] = loaded.gold_format
    result["extra_predictions"] = loaded.extra_predictions
    result["matching"] = loaded.matching
    return result
