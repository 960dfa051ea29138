"""Gold from our own frozen items (a split's .parquet or an items .jsonl): one `Case` per item,
with the keys a prediction may carry to reach it."""

from __future__ import annotations

from pathlib import Path

import orjson

from ..answers.labels import KIND
from ..errors import EvalError
from ..schemas.items import REDItem, SESItem, SMQItem
from ..schemas.tasks import TASKS
from .cases import Case, json_text
from .match import natural_key


def _item_keys(task: str, item) -> list[tuple]:
    keys = [("id", item.id), ("key", item.id)]
    i = item.inputs
    spec = TASKS[task]
    if spec.user_centric:
        keys.append(natural_key(task, user=i.user_id, post=i.post_id, action=getattr(i, "action", None),
                                comment=getattr(i, "comment", None)))
    elif spec.gold_key:
        key = "_".join(str(getattr(i, f)) for f in spec.gold_key)
        keys.append(("key", key))
        if spec.gold_key_suffix:   # mid-zh: SoMe's MID keys claims as "<id>.json"; the export does the same
            keys.append(("key", f"{key}{spec.gold_key_suffix}"))
    return keys


def _smq_reference(item) -> tuple[str, str]:
    return item.answer.answer, item.inputs.question


def _ses_reference(item) -> tuple[str, str]:
    a = item.answer
    parts = [a.summary] + [f"{k}: {v}" for k, v in (("time", a.time), ("place", a.place), ("plot", a.plot)) if v]
    return "\n".join(parts), item.query


def _red_reference(item) -> tuple[str, str]:
    return json_text([e.model_dump(include={"title", "summary", "time", "location"}) for e in item.answer.events]), item.query


#: (what a judge compares an answer with, the question it was asked), per judged item type.
_REFERENCES = {SMQItem: _smq_reference, SESItem: _ses_reference, REDItem: _red_reference}


def _item_case(task: str, item) -> Case:
    keys = _item_keys(task, item)
    if task in KIND:
        from ..store.item_rows import item_label

        return Case(item.id, item_label(item), item.query, keys=keys)
    if TASKS[task].eval_kind == "judge":
        reference, question = _REFERENCES[type(item)](item)
        return Case(item.id, reference, question, keys=keys)
    return Case(item.id, {"actions": list(item.answer.actions), "text": item.answer.text,
                           "cluster_id": item.inputs.cluster_id}, item.query, keys=keys)


def frozen_cases(task: str, path: Path) -> list[Case]:
    from pydantic import ValidationError

    from ..schemas.items import item_adapter
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
