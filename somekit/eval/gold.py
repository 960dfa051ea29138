"""Gold and prediction files: our frozen splits or SoMe's ground_truth.json files.

Both become a list of `Case`s: one scored unit with its gold label or reference and the agent's
raw answer (None when the prediction file has none for it: it then counts as not completed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from . import EvalError
from .labels import KIND, normalise_gold

JUDGE_TASKS = ("smq", "ses", "red")


@dataclass
class Case:
    id: str
    gold: Any                 # label (classification), reference text (judge), {"actions", "text"} (nap)
    question: str = ""        # what the agent was asked (judge context)
    answer: Any = None        # the agent's raw answer; None = no prediction


@dataclass
class Loaded:
    cases: list[Case]
    gold_format: str          # 'frozen' or 'some'
    extra_predictions: int    # predictions whose id is not in the gold file


def _dumps(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# ---- our frozen items -------------------------------------------------------------------------

def _item_case(task: str, item) -> Case:
    if task in KIND:
        from ..freeze.table import item_label

        return Case(item.id, item_label(item), item.query)
    if task == "smq":
        return Case(item.id, item.answer.answer, item.inputs.question)
    if task == "ses":
        a = item.answer
        parts = [a.summary] + [f"{k}: {v}" for k, v in (("time", a.time), ("place", a.place), ("plot", a.plot)) if v]
        return Case(item.id, "\n".join(parts), item.query)
    if task == "red":
        events = [e.model_dump(include={"title", "summary", "time", "location"}) for e in item.answer.events]
        return Case(item.id, _dumps(events), item.query)
    return Case(item.id, {"actions": list(item.answer.actions), "text": item.answer.text,
                           "cluster_id": item.inputs.cluster_id}, item.query)


def _load_items(task: str, path: Path) -> list[Case]:
    from pydantic import ValidationError

    from ..schemas.items import TASKS, item_adapter

    try:
        if path.suffix == ".parquet":
            from ..freeze.verify import read_split_file

            if path.parent.name in TASKS and path.parent.name != task:
                raise EvalError(f"{path}: holds {path.parent.name} items, not {task}")
            items = read_split_file(path, task)
        else:
            items = [item_adapter.validate_python(orjson.loads(line)) for line in path.read_bytes().splitlines() if line.strip()]
    except (ValidationError, orjson.JSONDecodeError, KeyError) as exc:
        raise EvalError(f"{path}: not a frozen {task} split or items file ({str(exc).splitlines()[0]})") from None
    wrong = {i.task for i in items} - {task}
    if wrong:
        raise EvalError(f"{path}: holds {', '.join(sorted(wrong))} items, not {task}")
    return [_item_case(task, i) for i in items]


def _load_jsonl_predictions(path: Path) -> dict[str, Any]:
    preds: dict[str, Any] = {}
    for number, line in enumerate(path.read_bytes().splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise EvalError(f"{path}:{number}: not JSON ({exc})") from None
        if not isinstance(row, dict) or "id" not in row:
            raise EvalError(f'{path}:{number}: expected {{"id": ..., "answer": "..."}}')
        preds[str(row["id"])] = row.get("answer")
    return preds


# ---- SoMe ground_truth.json -------------------------------------------------------------------

def _some_units(task: str, data: Any) -> list[tuple[str, Any, str]]:
    """(unit id, gold value, question) for each unit of a SoMe file, in file order."""
    field = {"ubp": "label", "ucs": "label", "mcr": "label", "uea": "emotion"}.get(task)
    if task == "ubp":
        return [(f"{action}/{uid}/{i}", row[field], "") for action, users in data.items()
                for uid, rows in users.items() for i, row in enumerate(rows)]
    if field:
        return [(f"{uid}/{i}", row[field], row.get("comment", "")) for uid, rows in data.items() for i, row in enumerate(rows)]
    if task == "mid":
        return [(key, row["label"], row.get("claim", "")) for key, row in data.items()]
    if task in ("smq", "ses"):
        return [(key, value, key) for key, value in data.items()]
    if task == "red":
        return [(key, value, key) for key, value in data.items()]
    raise EvalError(f"SoMe released no ground truth for {task}")


def _some_prediction(task: str, data: Any, unit: str) -> Any:
    """The raw answer at the same place in a prediction file shaped like the gold file."""
    field = {"ubp": "label", "ucs": "label", "mcr": "label", "uea": "emotion", "mid": "label"}.get(task)
    try:
        if task == "ubp":
            action, uid, i = unit.split("/")
            return data[action][uid][int(i)][field]
        if task in ("ucs", "mcr", "uea"):
            uid, i = unit.rsplit("/", 1)
            return data[uid][int(i)][field]
        if task == "mid":
            return data[unit][field]
        return data[unit]
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _read_json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise EvalError(f"{path}: not valid JSON ({exc})") from None


def _load_some(task: str, gold_path: Path, pred_path: Path) -> Loaded:
    gold = _read_json(gold_path)
    try:
        units = _some_units(task, gold)
    except (KeyError, AttributeError, TypeError) as exc:
        raise EvalError(f"{gold_path}: does not look like SoMe's {task} ground truth ({exc!r})") from None
    preds = _read_json(pred_path)
    cases = []
    for unit, value, question in units:
        if task in KIND:
            try:
                value = normalise_gold(task, value)
            except ValueError as exc:
                raise EvalError(f"{gold_path}: {unit}: {exc}") from None
        elif task == "red":
            value = _dumps(value)
        answer = _some_prediction(task, preds, unit)
        cases.append(Case(unit, value, question, None if answer is None else (answer if task != "red" else _dumps(answer))))
    return Loaded(cases, "some", 0)


def load_cases(task: str, gold_path: str | Path, pred_path: str | Path) -> Loaded:
    """Pair gold and predictions; the gold file's suffix picks its format (.parquet/.jsonl: our
    frozen items, .json: SoMe's ground truth)."""
    gold_path, pred_path = Path(gold_path), Path(pred_path)
    for p in (gold_path, pred_path):
        if not p.is_file():
            raise EvalError(f"{p}: no such file")
    if gold_path.suffix == ".json":
        return _load_some(task, gold_path, pred_path)
    cases = _load_items(task, gold_path)
    preds = _load_jsonl_predictions(pred_path)
    for case in cases:
        case.answer = preds.get(case.id)
    return Loaded(cases, "frozen", len(set(preds) - {c.id for c in cases}))
