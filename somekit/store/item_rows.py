"""Items <-> Arrow rows for frozen Parquet files and the published dataset.

The Arrow schema of a task is derived from its pydantic item class, so the frozen files are typed
(structs for inputs and answers) and read back into the very same items. Fields whose type is open
(`Any`, `dict[str, Any]`: provenance notes, vote values, NAP context) cannot have a fixed Arrow
type; they are stored as canonical JSON strings and decoded on the way back.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from functools import lru_cache
from typing import Any, Literal

import orjson
import pyarrow as pa
from pydantic import BaseModel

from ..schemas.items import ITEM_CLASSES, ItemBase, item_adapter
from ..schemas.tasks import task_spec

#: Item fields kept as one JSON string column: deep, open-ended records whose shape varies.
JSON_COLUMNS = ("provenance", "review")
#: Top-level columns in order; `label` and `split_group` are derived, the rest are item fields.
BASE_COLUMNS = ("id", "query", "template_id", "lang")


def _is_open(annotation: Any) -> bool:
    """True when a type has no fixed Arrow equivalent (Any or a dict somewhere inside)."""
    if annotation is Any:
        return True
    origin = typing.get_origin(annotation)
    if origin is dict:
        return True
    return any(_is_open(a) for a in typing.get_args(annotation) if a is not type(None))


def _arrow_type(annotation: Any) -> pa.DataType:
    if _is_open(annotation):
        return pa.string()  # JSON text
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        return _arrow_type(args[0])
    if origin is Literal:
        return pa.string()
    if origin is list:
        return pa.list_(_arrow_type(args[0]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct([pa.field(n, _arrow_type(f.annotation)) for n, f in annotation.model_fields.items()])
    simple = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_(), dt.datetime: pa.string()}
    if annotation in simple:
        return simple[annotation]
    raise TypeError(f"no Arrow type for {annotation!r}")


@lru_cache(maxsize=None)
def task_schema(task: str) -> pa.Schema:
    """Arrow schema of a task's frozen rows: base columns, typed inputs/answer, label, JSON columns."""
    cls = ITEM_CLASSES[task]
    fields = [pa.field(name, pa.string()) for name in BASE_COLUMNS]
    fields.append(pa.field("inputs", _arrow_type(cls.model_fields["inputs"].annotation)))
    fields.append(pa.field("answer", _arrow_type(cls.model_fields["answer"].annotation)))
    fields.append(pa.field("label", pa.string()))
    fields += [pa.field(name, pa.string()) for name in JSON_COLUMNS]
    return pa.schema(fields)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _needs_codec(annotation: Any) -> bool:
    """True when some value under this type is stored as JSON text (so rows need converting)."""
    if _is_model(annotation):
        return any(_needs_codec(f.annotation) for f in annotation.model_fields.values())
    if _is_open(annotation):
        return True
    return any(_needs_codec(a) for a in typing.get_args(annotation) if a is not type(None))


def _identity(value: Any) -> Any:
    return value


@lru_cache(maxsize=None)
def _codec(annotation: Any, encode: bool) -> Any:
    """A converter for values of `annotation`, built once per type: open-typed parts become JSON
    text (encode) or are parsed back (decode); everything else passes through untouched."""
    if not _needs_codec(annotation):
        return _identity
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        return _codec(args[0], encode)
    if _is_model(annotation):
        parts = [(name, _codec(f.annotation, encode)) for name, f in annotation.model_fields.items()]
        return lambda v: None if v is None else {name: fn(v.get(name)) for name, fn in parts}
    if origin is list and args and _is_model(args[0]):
        inner = _codec(args[0], encode)
        return lambda v: None if v is None else [inner(x) for x in v]
    if encode:
        return lambda v: None if v is None else orjson.dumps(v, option=orjson.OPT_SORT_KEYS).decode()
    return lambda v: None if v is None else orjson.loads(v)


def _encode_open(value: Any, annotation: Any) -> Any:
    return _codec(annotation, True)(value)


def _decode_open(value: Any, annotation: Any) -> Any:
    return _codec(annotation, False)(value)


def item_label(item: ItemBase) -> str | None:
    """The class label of a classification item (None for free-text tasks)."""
    return task_spec(item.task).label_of(item)


def item_to_row(item: ItemBase) -> dict[str, Any]:
    cls = type(item)
    data = item.model_dump(mode="json")
    row = {name: data[name] for name in BASE_COLUMNS}
    row["inputs"] = _encode_open(data["inputs"], cls.model_fields["inputs"].annotation)
    row["answer"] = _encode_open(data["answer"], cls.model_fields["answer"].annotation)
    row["label"] = item_label(item)
    for name in JSON_COLUMNS:
        row[name] = orjson.dumps(data[name], option=orjson.OPT_SORT_KEYS).decode()
    return row


def row_to_item(task: str, row: dict[str, Any]) -> ItemBase:
    cls = ITEM_CLASSES[task]
    data: dict[str, Any] = {name: row[name] for name in BASE_COLUMNS}
    data["task"] = task
    data["inputs"] = _decode_open(row["inputs"], cls.model_fields["inputs"].annotation)
    data["answer"] = _decode_open(row["answer"], cls.model_fields["answer"].annotation)
    for name in JSON_COLUMNS:
        data[name] = orjson.loads(row[name])
    return item_adapter.validate_python(data)


def items_to_table(task: str, items: list[ItemBase]) -> pa.Table:
    return pa.Table.from_pylist([item_to_row(i) for i in items], schema=task_schema(task))


def table_to_items(task: str, table: pa.Table) -> list[ItemBase]:
    return [row_to_item(task, row) for row in table.to_pylist()]
