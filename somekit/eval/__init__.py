"""Scoring agents on frozen splits or SoMe's ground truth (docs/architecture.md, "Evaluation")."""

from ..errors import EvalError
from .run import evaluate

__all__ = ["EvalError", "evaluate"]
