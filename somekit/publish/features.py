"""Explicit `datasets.Features` per task: typed inputs/answers from the frozen Arrow schema and a
ClassLabel for the label of classification tasks."""

from __future__ import annotations

from typing import Any

from datasets import ClassLabel, Features

from ..answers.labels import KIND, LABELS
from ..store.item_rows import task_schema

#: Columns that give the answer away; nulled in a hidden test split.
ANSWER_COLUMNS = ("answer", "label", "provenance", "review")


def class_names(task: str) -> list[str] | None:
    return list(LABELS[KIND[task]]) if task in KIND else None


def task_features(task: str) -> Features:
    features = Features.from_arrow_schema(task_schema(task))
    names = class_names(task)
    if names:
        features["label"] = ClassLabel(names=names)
    else:
        del features["label"]  # free-text tasks have no class label; the answer column holds it
    return features


def encode_rows(task: str, rows: list[dict[str, Any]], hide_answers: bool = False) -> list[dict[str, Any]]:
    """Frozen rows -> dataset rows: label names become ClassLabel ids; with `hide_answers` every
    answer-bearing column is emptied (label -1), leaderboard style, keeping one schema per config."""
    names = class_names(task)
    out = []
    for row in rows:
        row = dict(row)
        if names:
            row["label"] = names.index(row["label"]) if row["label"] is not None else -1
        else:
            row.pop("label", None)
        if hide_answers:
            for col in ANSWER_COLUMNS:
                if col in row:
                    row[col] = -1 if col == "label" else None
        out.append(row)
    return out


def decode_label(task: str, value: int) -> str | None:
    names = class_names(task)
    return names[value] if names and value >= 0 else None
