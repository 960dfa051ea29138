"""Scoring the results/ files SoMe's own harness writes, with the metrics of SoMe's paper.

SoMe's test_*.py write `results/<task name>/<model>.json`, answers keyed as their ground truth is
(`{user: {"0": answer}}` by index in the user's list, `{action: {user: {...}}}` for UBP with
Chinese action names, `{key: answer}` for MID/SMQ/SES/RED). SoMe's eval scripts do not run as
committed, so this reads the same files: accuracy and TCR for the classification tasks (labels
extracted by our parser), the named judge's 0-5 ratings x 20 for SMQ/SES/RED.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..export.some.layout import SOME_NAMES, UBP_ALIAS
from ..errors import EvalError
from ..answers.fallback import DEFAULT_ON as OFFLINE_DEFAULT
from .gold import attach
from .predictions import prediction_pairs
from .some_gold import gold_file, some_cases
from ..answers.labels import KIND

_BY_NAME = {**{name: task for task, name in SOME_NAMES.items()}, UBP_ALIAS: "ubp"}


def task_folders(results: Path) -> dict[str, Path]:
    """SoMe task code -> its results folder (RESULTS itself when it is one task's folder)."""
    if results.name in _BY_NAME:
        return {_BY_NAME[results.name]: results}
    return {_BY_NAME[p.name]: p for p in sorted(results.iterdir()) if p.is_dir() and p.name in _BY_NAME}


def score_some_results(results: str | Path, gold: str | Path, llm: Any = None, judge: Any = None,
                       judge_name: str | None = None, offline_fallback: bool = OFFLINE_DEFAULT) -> dict[str, Any]:
    """{task: {model: scores}} for every results file under RESULTS; `llm` is the extraction
    fallback for classification, `judge` the named judge (judged tasks are skipped without one)."""
    results, gold = Path(results), Path(gold)
    if not results.is_dir():
        raise EvalError(f"{results}: not a folder of SoMe results")
    folders = task_folders(results)
    if not folders:
        raise EvalError(f"{results}: no folder named after a SoMe task ({', '.join(sorted(SOME_NAMES.values()))})")
    out: dict[str, Any] = {}
    for task, folder in folders.items():
        gold_path = gold_file(gold, task)
        if gold_path is None:
            raise EvalError(f"{gold}: no ground truth for {SOME_NAMES[task]}")
        out[task] = {}
        for model_file in sorted(folder.glob("*.json")):
            cases = some_cases(task, gold_path)
            matching = attach(task, cases, prediction_pairs(task, model_file))
            if task in KIND:
                from .classify import score_classification

                scores = score_classification(task, cases, llm, offline_fallback=offline_fallback)
                # SoMe's own scripts divide by the answers present in the file; kept for comparison.
                present = matching["matched"]
                scores["acc_of_present"] = round(100.0 * scores["correct"] / present, 4) if present else 0.0
            elif judge is None:
                scores = {"task": task, "n": len(cases), "skipped": "no judge named (--judge)"}
            else:
                from .judge import score_judged

                scores = score_judged(task, cases, judge, judge_name)
            scores.update({"matching": matching, "file": str(model_file), "gold": str(gold_path)})
            out[task][model_file.stem] = scores
    return out
