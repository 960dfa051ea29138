"""Prediction files, in every shape `somekit eval` accepts: JSON lines or a JSON list of rows, a
file shaped like SoMe's ground truth, or one of SoMe's results/ files. Each becomes (key, raw
answer) pairs for match.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from ..answers.labels import KIND, normalise_gold
from ..errors import EvalError
from ..schemas.tasks import TASKS
from .cases import read_json
from .match import ACTIONS, index_key, natural_key


def _entry_key(task: str, values: dict[str, Any]) -> str | None:
    """An entry's key in a flat gold file, from the task's key fields (None when one is missing)."""
    fields = TASKS[task].gold_key
    parts = [values.get(f) for f in fields]
    if any(p is None for p in parts) or (len(parts) > 1 and not all(parts)):
        return None
    return "_".join(str(p) for p in parts)


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
    if TASKS[task].gold_key and not TASKS[task].user_centric:
        key = _entry_key(task, row)
        return None if key is None else ("key", key)
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
    data = read_json(path)
    if isinstance(data, list):
        return [(_row_key(task, r), _row_answer(r)) if isinstance(r, dict) else (None, r) for r in data]
    if not isinstance(data, dict):
        raise EvalError(f"{path}: expected a JSON object or list of predictions")
    spec = TASKS[task]
    if not spec.user_centric:   # a flat file keyed by entry, not nested by user
        return [(("key", str(k)), _keyed_answer(task, v)) for k, v in data.items()]
    if spec.some_nested_by == "action" and set(data) <= set(ACTIONS) and data:
        return [pair for action, users in data.items() if isinstance(users, dict)
                for user, value in users.items() for pair in _user_entries(task, user, value, ACTIONS[action])]
    return [pair for user, value in data.items() for pair in _user_entries(task, user, value, None)]
