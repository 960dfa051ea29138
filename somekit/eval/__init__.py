"""Scoring agents on frozen splits or SoMe's ground truth (DESIGN section 7)."""

from ..errors import SomekitError


class EvalError(SomekitError):
    """Gold or prediction files cannot be read or paired, or the judge is unavailable."""


EVAL_TASKS = ("ubp", "ucs", "mcr", "uea", "mid", "mid-zh", "smq", "ses", "red", "nap")

from .run import evaluate  # noqa: E402

__all__ = ["EVAL_TASKS", "EvalError", "evaluate"]
