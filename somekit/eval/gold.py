"""Gold and prediction files: our frozen splits or SoMe's ground_truth.json files, paired by key.

Both become a list of `Case`s (cases.py): one scored unit with its gold label or reference and the
agent's raw answer (None when the prediction file has none for it: it then counts as not
completed). Our items are read by frozen_gold.py, SoMe's ground truth by some_gold.py, predictions
by predictions.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EvalError
from .cases import Case, json_text
from .frozen_gold import frozen_cases
from .match import match
from .predictions import prediction_pairs
from .some_gold import gold_file, gold_layout, some_cases


@dataclass
class Loaded:
    cases: list[Case]
    gold_format: str          # 'frozen' or 'some'
    extra_predictions: int    # predictions whose key is not in the gold file
    matching: dict[str, int] = field(default_factory=dict)   # matched/missing/extra/duplicate/conflicting


def attach(task: str, cases: list[Case], pairs: list[tuple[tuple | None, Any]]) -> dict[str, int]:
    """Give each case its matched answer; the matching counts."""
    matched = match({c.id: c.keys for c in cases}, pairs)
    for case in cases:
        answer = matched.answers.get(case.id)
        case.answer = json_text(answer) if (answer is not None and task == "red") else answer
    return matched.counts


def load_cases(task: str, gold_path: str | Path, pred_path: str | Path) -> Loaded:
    """Pair gold and predictions by key; the gold file's suffix picks its format
    (.parquet/.jsonl: our frozen items, .json: SoMe's ground truth)."""
    gold_path, pred_path = Path(gold_path), Path(pred_path)
    if gold_path.is_dir():  # an export or SoMe's repository: its ground truth for TASK
        found = gold_file(gold_path, task)
        if found is None:
            raise EvalError(f"{gold_path}: no ground truth for {task} in it (expected {gold_layout(task)})")
        gold_path = found
    for p in (gold_path, pred_path):
        if not p.is_file():
            raise EvalError(f"{p}: no such file")
    if gold_path.suffix == ".json":
        cases, fmt = some_cases(task, gold_path), "some"
    else:
        cases, fmt = frozen_cases(task, gold_path), "frozen"
    counts = attach(task, cases, prediction_pairs(task, pred_path))
    return Loaded(cases, fmt, counts["extra"], counts)
