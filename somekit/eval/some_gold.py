"""Gold from SoMe's released ground_truth.json files (or our export of them): where a task's file
sits in a folder, the shape each task's file has, and one `Case` per unit in file order."""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

from ..answers.labels import KIND, normalise_gold
from ..errors import EvalError
from ..export.some.layout import SOME_NAMES, UBP_ALIAS
from ..schemas.tasks import TASKS
from .cases import Case, json_text, read_json
from .match import index_key, natural_key


def _some_units(task: str, data: Any) -> list[tuple[str, Any, str, list[tuple]]]:
    """(unit id, gold value, question, keys) for each unit of a SoMe file, in file order."""
    spec = TASKS[task]
    field_name = spec.label_field if spec.user_centric else None
    if spec.some_nested_by == "action":
        return [(f"{action}/{uid}/{i}", row[field_name], "",
                 [natural_key(task, user=uid, post=row["weibo_id"], action=action), index_key(task, uid, i, action)])
                for action, users in data.items() for uid, rows in users.items() for i, row in enumerate(rows)]
    if field_name:
        units = [(f"{uid}/{i}", row[field_name], row.get("comment", ""),
                  [natural_key(task, user=uid, post=row["weibo_id"], comment=row.get("comment")), index_key(task, uid, i)])
                 for uid, rows in data.items() for i, row in enumerate(rows)]
        if "comment" in spec.gold_key:  # ucs: a row without its comment still finds a (user, post) asked only once
            pairs = collections.Counter((k[0][1], k[0][2]) for _, _, _, k in units)
            for _, _, _, keys in units:
                if pairs[(keys[0][1], keys[0][2])] == 1:
                    keys.append(("nat", keys[0][1], keys[0][2], None))
        return units
    if KIND.get(task) in ("mid", "rumor"):  # SoMe's MID shape; our mid-zh export adds CED's own word as `veracity`
        return [(key, row.get("veracity") or row["label"], row.get("claim", ""), [("key", key), ("key", key.removesuffix(".json"))])
                for key, row in data.items()]
    if spec.eval_kind == "judge":
        return [(key, value, key, [("key", key)]) for key, value in data.items()]
    raise EvalError(f"a .json gold is SoMe-shaped ground truth, which no export holds for {task}; "
                    f"expected its frozen split (.parquet) or items file (.jsonl)")


def _expected_shape(task: str) -> str:
    """What TASK's SoMe-shaped ground truth looks like (from the task table), for error messages."""
    spec = TASKS[task]
    if spec.eval_kind != "classify":
        return '{"<key>": <reference>}'
    if KIND[task] in ("mid", "rumor"):
        extra = ', "veracity": "rumor"|"non-rumor"' if KIND[task] == "rumor" else ""
        return '{"<id>.json": {"claim": ..., "label": ...%s}}' % extra
    rows = '{"<user id>": [{"weibo_id": ..., "%s": ...}]}' % spec.label_field
    return '{"<%s>": %s}' % (spec.some_nested_by, rows) if spec.some_nested_by else rows


def _gold_file(gold: Path, name: str) -> Path | None:
    for candidate in (gold / "datasets" / name / "ground_truth.json", gold / name / "ground_truth.json", gold / f"{name}.json"):
        if candidate.is_file():
            return candidate
    return None


def gold_file(gold: Path, task: str) -> Path | None:
    """TASK's ground truth inside an export, SoMe's repository, or a folder of <name>.json files.
    Tasks SoMe does not have (mid-zh) sit under their own code, as the exporter writes them."""
    return _gold_file(gold, SOME_NAMES.get(task, task)) or (_gold_file(gold, UBP_ALIAS) if task == "ubp" else None)


def gold_layout(task: str) -> str:
    """Where TASK's ground truth is looked for in a folder, for error messages."""
    name = SOME_NAMES.get(task, task)
    return f"datasets/{name}/ground_truth.json, {name}/ground_truth.json or {name}.json"


def _gold_label(task: str, value: Any, unit: str, path: Path) -> str:
    """A SoMe gold label; a gold written as a prose verdict is read with the same parser."""
    try:
        return normalise_gold(task, str(value))
    except ValueError as exc:
        from ..answers.extract import extract_label

        label = extract_label(task, str(value)).label
        if label is None:
            raise EvalError(f"{path}: {unit}: {exc}") from None
        return label


def some_cases(task: str, gold_path: Path) -> list[Case]:
    gold = read_json(gold_path)
    try:
        units = _some_units(task, gold)
    except EvalError as exc:
        raise EvalError(f"{gold_path}: {exc}") from None
    except (KeyError, AttributeError, TypeError, ValueError) as exc:
        raise EvalError(f"{gold_path}: does not look like SoMe's {task} ground truth: expected {_expected_shape(task)} "
                        f"({type(exc).__name__}: {exc})") from None
    cases = []
    for unit, value, question, keys in units:
        if task in KIND:
            value = _gold_label(task, value, unit, gold_path)
        elif task == "red":
            value = json_text(value)
        cases.append(Case(unit, value, question, keys=[k for k in keys if k is not None]))
    return cases
