"""Gold and prediction files: our frozen splits or SoMe's ground_truth.json files.

Both become a list of `Case`s: one scored unit with its gold label or reference and the agent's
raw answer (None when the prediction file has none for it: it then counts as not completed).
"""

from __future__ import annotations

import collections
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..errors import EvalError
from ..answers.labels import KIND, normalise_gold
from ..export.some.layout import SOME_NAMES, UBP_ALIAS
from .match import ACTIONS, index_key, match, natural_key

@dataclass
class Case:
    id: str
    gold: Any                 # label (classification), reference text (judge), {"actions", "text"} (nap)
    question: str = ""        # what the agent was asked (judge context)
    answer: Any = None        # the agent's raw answer; None = no prediction
    keys: list[tuple] = field(default_factory=list)   # keys a prediction may carry to reach this case (match.py)


@dataclass
class Loaded:
    cases: list[Case]
    gold_format: str          # 'frozen' or 'some'
    extra_predictions: int    # predictions whose key is not in the gold file
    matching: dict[str, int] = field(default_factory=dict)   # matched/missing/extra/duplicate/conflicting


def _dumps(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# ---- our frozen items -------------------------------------------------------------------------

def _item_keys(task: str, item) -> list[tuple]:
    keys = [("id", item.id), ("key", item.id)]
    i = item.inputs
    if task in ("ubp", "ucs", "mcr", "uea"):
        keys.append(natural_key(task, user=i.user_id, post=i.post_id, action=getattr(i, "action", None),
                                comment=getattr(i, "comment", None)))
    elif task == "mid":
        keys.append(("key", i.claim_id))
    elif task == "mid-zh":  # SoMe's MID keys claims as "<id>.json"; the export does the same
        keys += [("key", i.post_id), ("key", f"{i.post_id}.json")]
    elif task == "smq":
        keys.append(("key", i.question))
    elif task == "ses":
        keys.append(("key", i.topic))
    elif task == "red":
        keys.append(("key", f"{i.window_start}_{i.window_end}_{i.location}"))
    return keys


def _item_case(task: str, item) -> Case:
    keys = _item_keys(task, item)
    if task in KIND:
        from ..store.item_rows import item_label

        return Case(item.id, item_label(item), item.query, keys=keys)
    if task == "smq":
        return Case(item.id, item.answer.answer, item.inputs.question, keys=keys)
    if task == "ses":
        a = item.answer
        parts = [a.summary] + [f"{k}: {v}" for k, v in (("time", a.time), ("place", a.place), ("plot", a.plot)) if v]
        return Case(item.id, "\n".join(parts), item.query, keys=keys)
    if task == "red":
        events = [e.model_dump(include={"title", "summary", "time", "location"}) for e in item.answer.events]
        return Case(item.id, _dumps(events), item.query, keys=keys)
    return Case(item.id, {"actions": list(item.answer.actions), "text": item.answer.text,
                           "cluster_id": item.inputs.cluster_id}, item.query, keys=keys)


def _load_items(task: str, path: Path) -> list[Case]:
    from pydantic import ValidationError

    from ..schemas.items import item_adapter
    from ..schemas.tasks import TASKS

    try:
        if path.suffix == ".parquet":
            from ..freeze.verify import read_split_file

            if path.parent.name in TASKS and path.parent.name != task:
                raise EvalError(f"{path}: holds {path.parent.name} items, not {task}")
            items = read_split_file(path, task)
        else:
            items = [item_adapter.validate_python(orjson.loads(line)) for line in path.read_bytes().splitlines() if line.strip()]
    except (ValidationError, orjson.JSONDecodeError, KeyError, ValueError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EvalError(f"{path}: not a frozen {task} split: expected a split (.parquet) or an items file "
                        f"(.jsonl, one item per line) ({first})") from None
    wrong = {i.task for i in items} - {task}
    if wrong:
        raise EvalError(f"{path}: holds {', '.join(sorted(wrong))} items, not {task}")
    return [_item_case(task, i) for i in items]


# ---- predictions ------------------------------------------------------------------------------

_ANSWER_FIELDS = ("answer", "prediction", "response", "output", "label", "emotion")


def _row_answer(row: dict[str, Any]) -> Any:
    for name in _ANSWER_FIELDS:
        if name in row:
            return row[name]
    return None


def _row_key(task: str, row: dict[str, Any]) -> tuple | None:
    if "id" in row:
        return ("id", str(row["id"]))
    if "key" in row:
        return ("key", str(row["key"]))
    if task in ("mid", "mid-zh", "smq", "ses", "red"):
        if task == "mid" and row.get("claim_id") is not None:
            return ("key", str(row["claim_id"]))
        if task == "mid-zh" and row.get("post_id") is not None:
            return ("key", str(row["post_id"]))
        if task == "smq" and row.get("question") is not None:
            return ("key", str(row["question"]))
        if task == "ses" and row.get("topic") is not None:
            return ("key", str(row["topic"]))
        if task == "red" and all(row.get(k) for k in ("window_start", "window_end", "location")):
            return ("key", f"{row['window_start']}_{row['window_end']}_{row['location']}")
        return None
    user = next((row[k] for k in ("user_id", "user", "uid") if row.get(k) is not None), None)
    post = next((row[k] for k in ("weibo_id", "post_id") if row.get(k) is not None), None)
    return natural_key(task, user=user, post=post, action=row.get("action"), comment=row.get("comment"))


def _keyed_answer(task: str, value: Any) -> Any:
    """The answer in a MID-shaped row ({"claim": ..., "label": ...}); a mid-zh row in our export's
    shape answers in SoMe's MID words ("false" = rumour), read as its gold is."""
    rumour = KIND.get(task) == "rumor"
    if not (isinstance(value, dict) and KIND.get(task) in ("mid", "rumor")):
        return value
    answer = value.get("veracity") if rumour else None
    answer = answer or value.get("label", value.get("answer"))
    if rumour and isinstance(answer, str):
        try:
            return normalise_gold(task, answer)
        except ValueError:
            return answer
    return answer


def _user_entries(task: str, user: str, value: Any, action: str | None) -> list[tuple[tuple | None, Any]]:
    """One user's predictions: a list of rows carrying weibo_id (matched by key) or SoMe's
    results dict {"0": answer} (matched by index in the gold user's list, SoMe's convention)."""
    out: list[tuple[tuple | None, Any]] = []
    if isinstance(value, dict):
        for idx, answer in value.items():
            out.append((index_key(task, user, int(idx), action) if str(idx).isdigit() else None, answer))
    elif isinstance(value, list):
        for row in value:
            if isinstance(row, dict):
                out.append((_row_key(task, {"user_id": user, "action": action, **row}), _row_answer(row)))
            else:
                out.append((None, row))
    else:
        out.append((None, value))
    return out


def prediction_pairs(task: str, path: Path) -> list[tuple[tuple | None, Any]]:
    """(key, raw answer) for every prediction in a file: JSON lines of rows, a JSON list of rows,
    a file shaped like SoMe's ground truth, or one of SoMe's results/ files."""
    if path.suffix == ".jsonl":
        rows = []
        for number, line in enumerate(path.read_bytes().splitlines(), 1):
            if not line.strip():
                continue
            try:
                rows.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise EvalError(f"{path}:{number}: not JSON ({exc})") from None
            if not isinstance(rows[-1], dict):
                raise EvalError(f'{path}:{number}: expected {{"id": ..., "answer": "..."}}')
        return [(_row_key(task, r), _row_answer(r)) for r in rows]
    data = _read_json(path)
    if isinstance(data, list):
        return [(_row_key(task, r), _row_answer(r)) if isinstance(r, dict) else (None, r) for r in data]
    if not isinstance(data, dict):
        raise EvalError(f"{path}: expected a JSON object or list of predictions")
    if task in ("mid", "mid-zh", "smq", "ses", "red", "nap"):
        return [(("key", str(k)), _keyed_answer(task, v)) for k, v in data.items()]
    if task == "ubp" and set(data) <= set(ACTIONS) and data:
        return [pair for action, users in data.items() if isinstance(users, dict)
                for user, value in users.items() for pair in _user_entries(task, user, value, ACTIONS[action])]
    return [pair for user, value in data.items() for pair in _user_entries(task, user, value, None)]


# ---- SoMe ground_truth.json -------------------------------------------------------------------

def _some_units(task: str, data: Any) -> list[tuple[str, Any, str, list[tuple]]]:
    """(unit id, gold value, question, keys) for each unit of a SoMe file, in file order."""
    field_name = {"ubp": "label", "ucs": "label", "mcr": "label", "uea": "emotion"}.get(task)
    if task == "ubp":
        return [(f"{action}/{uid}/{i}", row[field_name], "",
                 [natural_key(task, user=uid, post=row["weibo_id"], action=action), index_key(task, uid, i, action)])
                for action, users in data.items() for uid, rows in users.items() for i, row in enumerate(rows)]
    if field_name:
        units = [(f"{uid}/{i}", row[field_name], row.get("comment", ""),
                  [natural_key(task, user=uid, post=row["weibo_id"], comment=row.get("comment")), index_key(task, uid, i)])
                 for uid, rows in data.items() for i, row in enumerate(rows)]
        if task == "ucs":  # a row without its comment still finds a (user, post) asked only once
            pairs = collections.Counter((k[0][1], k[0][2]) for _, _, _, k in units)
            for _, _, _, keys in units:
                if pairs[(keys[0][1], keys[0][2])] == 1:
                    keys.append(("nat", keys[0][1], keys[0][2], None))
        return units
    if KIND.get(task) in ("mid", "rumor"):  # SoMe's MID shape; our mid-zh export adds CED's own word as `veracity`
        return [(key, row.get("veracity") or row["label"], row.get("claim", ""), [("key", key), ("key", key.removesuffix(".json"))])
                for key, row in data.items()]
    if task in ("smq", "ses", "red"):
        return [(key, value, key, [("key", key)]) for key, value in data.items()]
    raise EvalError(f"a .json gold is SoMe-shaped ground truth, which no export holds for {task}; "
                    f"expected its frozen split (.parquet) or items file (.jsonl)")


def _expected_shape(task: str) -> str:
    """What TASK's SoMe-shaped ground truth looks like (from the task table), for error messages."""
    from ..schemas.tasks import TASKS

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


def _read_json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise EvalError(f"{path}: not valid JSON ({exc})") from None


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
    gold = _read_json(gold_path)
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
            value = _dumps(value)
        cases.append(Case(unit, value, question, keys=[k for k in keys if k is not None]))
    return cases


def attach(task: str, cases: list[Case], pairs: list[tuple[tuple | None, Any]]) -> dict[str, int]:
    """Give each case its matched answer; the matching counts."""
    matched = match({c.id: c.keys for c in cases}, pairs)
    for case in cases:
        answer = matched.answers.get(case.id)
        case.answer = _dumps(answer) if (answer is not None and task == "red") else answer
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
        cases, fmt = _load_items(task, gold_path), "frozen"
    counts = attach(task, cases, prediction_pairs(task, pred_path))
    return Loaded(cases, fmt, counts["extra"], counts)
