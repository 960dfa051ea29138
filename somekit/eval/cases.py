"""What scoring works on: a `Case` (one scored unit: gold, question, the agent's raw answer) and
the two JSON helpers every gold and prediction reader shares."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..errors import EvalError


@dataclass
class Case:
    id: str
    gold: Any                 # label (classification), reference text (judge), {"actions", "text"} (nap)
    question: str = ""        # what the agent was asked (judge context)
    answer: Any = None        # the agent's raw answer; None = no prediction
    keys: list[tuple] = field(default_factory=list)   # keys a prediction may carry to reach this case (match.py)


def json_text(value: Any) -> str:
    """A string as it is, anything else as JSON (a judge compares texts)."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def read_json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise EvalError(f"{path}: not valid JSON ({exc})") from None
