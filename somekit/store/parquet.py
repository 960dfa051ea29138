"""Parquet corpus tables: Arrow schemas derived from the pydantic records, atomic writes."""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..schemas.corpus import TABLES
from .atomic import atomic_path


def _arrow_type(annotation) -> pa.DataType:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        return _arrow_type(args[0])
    if origin is list:
        return pa.list_(_arrow_type(args[0]))
    if annotation is str or (isinstance(annotation, type) and issubclass(annotation, enum.Enum)):
        return pa.string()
    if annotation is int:
        return pa.int64()
    if annotation is float:
        return pa.float64()
    if annotation is bool:
        return pa.bool_()
    if annotation is dt.datetime:
        return pa.timestamp("us", tz="UTC")
    raise TypeError(f"no Arrow type for {annotation!r}")


@lru_cache(maxsize=None)
def arrow_schema(table: str) -> pa.Schema:
    """Arrow schema of a corpus table, in the pydantic model's field order."""
    model = TABLES[table]
    return pa.schema([pa.field(name, _arrow_type(f.annotation)) for name, f in model.model_fields.items()])


def write_table(path: str | Path, table: pa.Table) -> None:
    """Write a Parquet file atomically (zstd)."""
    with atomic_path(path, suffix=".parquet") as tmp:
        pq.write_table(table, tmp, compression="zstd")


def read_table(path: str | Path, table: str) -> pa.Table:
    """Read a corpus table, or an empty one with the right schema when the file is absent."""
    path = Path(path)
    if not path.exists():
        return arrow_schema(table).empty_table()
    return pq.read_table(path)
