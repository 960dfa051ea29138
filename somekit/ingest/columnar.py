"""A fast path for clean batches: column lists -> Arrow, with the pydantic record's rules checked
vectorised. Anything the fast path cannot prove valid falls back to pydantic record by record,
so results never differ from the slow path; only clean data gets faster.

Why: pydantic validation + dump + Arrow conversion costs ~10 us per record; building Arrow
arrays straight from column lists costs well under 1 us. Arrow's conversion is stricter than
pydantic's lax mode (no '5' -> 5, no str -> datetime), which is what makes the fallback safe:
whatever Arrow refuses, pydantic decides.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from annotated_types import MinLen
from pydantic_core import PydanticUndefined

from ..schemas.corpus import TABLES
from ..store.parquet import arrow_schema


@dataclass(frozen=True)
class FieldRule:
    name: str
    type: pa.DataType
    required: bool           # no default: a missing column means the fast path cannot decide
    nullable: bool           # Optional[...] in the model
    default: Any             # value for a missing column (None, "", [] ...)
    min_len: int | None
    choices: tuple[str, ...] | None   # enum values


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0], len(args) < len(typing.get_args(annotation))
    return annotation, False


@lru_cache(maxsize=None)
def rules(table: str) -> tuple[FieldRule, ...]:
    schema = arrow_schema(table)
    out = []
    for name, f in TABLES[table].model_fields.items():
        inner, nullable = _unwrap(f.annotation)
        default = None if f.is_required() else (f.default_factory() if f.default_factory else f.default)
        if default is PydanticUndefined:
            default = None
        min_len = next((m.min_length for m in f.metadata if isinstance(m, MinLen)), None)
        choices = tuple(e.value for e in inner) if isinstance(inner, type) and issubclass(inner, enum.Enum) else None
        out.append(FieldRule(name, schema.field(name).type, f.is_required(), nullable, default, min_len, choices))
    return tuple(out)


def to_arrow(table: str, columns: dict[str, list[Any]], n: int) -> pa.Table | None:
    """An Arrow table with the corpus schema when every row is certainly valid; else None."""
    known = {r.name for r in rules(table)}
    if not columns.keys() <= known:
        return None
    arrays = []
    for r in rules(table):
        values = columns.get(r.name)
        if values is None:
            if r.required:
                return None
            arrays.append(pa.nulls(n, r.type) if r.default is None else pa.array([r.default] * n, r.type))
            continue
        try:
            if isinstance(values, (pa.Array, pa.ChunkedArray)):
                arr = values if values.type == r.type else values.cast(r.type)
            else:
                arr = pa.array(values, r.type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            return None
        if arr.null_count and not r.nullable:
            return None
        if r.min_len and pc.any(pc.less(pc.utf8_length(arr), r.min_len)).as_py():
            return None
        if r.choices and not pc.all(pc.is_in(arr, value_set=pa.array(r.choices))).as_py():
            return None
        arrays.append(arr)
    if any(len(a) != n for a in arrays):
        return None
    return pa.Table.from_arrays(arrays, schema=arrow_schema(table))
