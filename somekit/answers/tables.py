"""Markdown tables as answers: the cell that holds the verdict (extract.py reads them with the JSON
and key-value forms, as one more structured answer).

  a verdict row     a row whose first cell names the verdict ("| **最终预测** | **是** |",
                    "| answer | no |"): its last filled cell is the answer;
  a verdict column  a column whose header names the verdict or asks the task's question
                    ("| ... | recommend |"), in a table of one data row: that row's cell;
  a tick column     rows naming the task's labels, each with a tick or a cross ("| 无情绪 | ✓ |"):
                    the one ticked label, and none when no label or several are ticked.
Anything else (a verdict column over several rows, a table of evidence only) gives no label, so
the prose rules read the answer.
"""

from __future__ import annotations

import re
from typing import Callable

from .answer_json import VERDICT_KEYS, names_verdict, polar_label_key

ReadText = Callable[[str], "str | None"]

_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_RULE_ROW = re.compile(r"^[\s|:\-]+$")
_TICKS, _CROSSES = "✓✔☑✅", "✗✘❌❎"
#: Verdict names a table uses beyond the JSON keys ("最终预测", "final prediction").
_VERDICT_NAME = re.compile(r"^(?:final|最终|我的)?\s*(?:answer|prediction|verdict|label|call|decision|答案|预测|结论|判定|标签|回答)$")


def _cells(line: str) -> list[str]:
    return [re.sub(r"[*_`]+", "", c).strip() for c in line.split("|")]


def _rows(raw: str) -> list[list[str]]:
    rows = []
    for line in raw.splitlines():
        m = _ROW.match(line)
        if m is None:
            continue
        if _RULE_ROW.match(m.group(1)):
            rows.append([])   # the header's rule: marks the rows before it as the header
            continue
        rows.append(_cells(m.group(1)))
    return rows


def _names(kind: str, cell: str) -> bool:
    key = cell.strip().lower()
    snake = re.sub(r"\s+", "_", key)
    return bool(key) and (key in VERDICT_KEYS or names_verdict(kind, snake) or polar_label_key(kind, snake)
                          or bool(_VERDICT_NAME.match(key)))


def label_from_table(kind: str, raw: str, read_text: ReadText) -> str | None:
    """The label a markdown table gives (see the module's docstring), or None."""
    if raw.count("|") < 4:
        return None
    rows = _rows(raw)
    if [] not in rows:
        return None
    rule = rows.index([])
    header, body = (rows[rule - 1] if rule else []), [r for r in rows[rule + 1:] if r]
    if not body:
        return None
    ticked = _ticked(kind, body, read_text)
    if ticked is not None:
        return ticked   # first: a label row ("| 谣言 | ✗ |") may also read as the question's name
    named_rows = [r for r in body if len(r) >= 2 and _names(kind, r[0])]
    if len(named_rows) == 1:
        filled = [c for c in named_rows[0][1:] if c]
        return read_text(filled[-1]) if filled else None
    columns = [i for i, name in enumerate(header) if _names(kind, name)]
    if len(columns) == 1 and len(body) == 1 and columns[0] < len(body[0]) and body[0][columns[0]]:
        return read_text(body[0][columns[0]])
    return None


def _ticked(kind: str, body: list[list[str]], read_text: ReadText) -> str | None:
    marks = []
    for row in body:
        if len(row) < 2:
            continue
        mark = "".join(c for c in row[1:] if c and all(ch in _TICKS + _CROSSES + " " for ch in c))
        if mark:
            marks.append((row[0], any(ch in _TICKS for ch in mark)))
    if len(marks) < 2:
        return None
    labels = [read_text(name) for name, _ in marks]
    if None in labels:
        return None
    picked = {label for label, (_, ticked) in zip(labels, marks) if ticked}
    return picked.pop() if len(picked) == 1 else None
