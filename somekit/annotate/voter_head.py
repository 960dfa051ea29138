"""Classifier-head voters: logistic regression over text embeddings, trained on labelled examples.

Two training sets:
- `head:seed`: the user's own labelled texts (`[tasks.uea] options seed_labels = "file.jsonl"`, one
  `{"text": ..., "label": ...}` a line; labels as codes or SoMe's Chinese names). Its quality is
  measured by stratified k-fold cross-validation on that file and recorded (stats, provenance).
- `head:builtin`: every phrase of our prototype phrase sets (voters_phrases.py), our own words,
  for workspaces without seed labels. Its training set is tiny, so it is weaker; it still decides
  differently from nearest-prototype voting (a learned boundary over all phrases at once).

A head learns a boundary, the prototype voter measures closeness and the lexicon counts words, so
the three err on different texts (see bench/uea_quality.py for how often they agree).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import orjson

from ..errors import SomekitError
from ..schemas.items import EMOTIONS
from ..schemas.provenance import Vote
from .label_quality import score
from .voters_phrases import PHRASE_SETS

VERSION = 1
C = 1.0               # sklearn's default regularisation; C in 0.3..10 moved dev accuracy by < 0.03
MAX_FOLDS = 5


class SeedLabelError(SomekitError):
    """The seed label file cannot be used (unreadable line, unknown label, too few examples)."""


def load_seed_labels(path: Path) -> list[tuple[str, str]]:
    """(text, code) pairs from a JSONL file; any bad line is an error naming the line and why."""
    from ..answers.labels import normalise_gold

    if not path.exists():
        raise SeedLabelError(f"seed_labels file not found: {path}")
    out: list[tuple[str, str]] = []
    with open(path, "rb") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = orjson.loads(line)
                text, label = rec["text"], rec["label"]
                if not isinstance(text, str) or not text.strip():
                    raise ValueError("empty text")
                out.append((text.strip(), normalise_gold("uea", str(label))))
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise SeedLabelError(f"{path}:{lineno}: {type(exc).__name__}: {exc}") from None
    counts = {c: sum(1 for _, lab in out if lab == c) for c in EMOTIONS}
    if sum(1 for n in counts.values() if n) < 2:
        raise SeedLabelError(f"{path}: seed labels need at least two classes, got {counts}")
    return out


def builtin_examples() -> list[tuple[str, str]]:
    """Every phrase of every prototype set with its class (our own words)."""
    return [(p, lab) for name in sorted(PHRASE_SETS) for lab in EMOTIONS for p in PHRASE_SETS[name][lab]]


def file_digest(examples: Sequence[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    for text, label in examples:
        h.update(f"{label}\t{text}\n".encode("utf-8"))
    return h.hexdigest()[:12]


def _model():
    from sklearn.linear_model import LogisticRegression

    # balanced class weights: rare classes (fear) would otherwise never be predicted
    return LogisticRegression(C=C, class_weight="balanced", max_iter=3000)


def cross_validate(vectors: np.ndarray, labels: Sequence[str], seed: int = 0) -> dict[str, Any]:
    """Out-of-fold predictions of a head (stratified k-fold) and the figures they give."""
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels)
    smallest = min(int((y == c).sum()) for c in set(labels))
    folds = min(MAX_FOLDS, smallest)
    if folds < 2:
        return {"folds": 0, "note": "a class has a single example: no cross-validation possible"}
    pred = np.empty(len(y), dtype=object)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(vectors, y):
        pred[test] = _model().fit(vectors[train], y[train]).predict(vectors[test])
    return {"folds": folds, **score(list(y), list(pred), EMOTIONS), "oof": list(pred)}


@dataclass
class HeadVoter:
    """A trained head; `vote_vectors` labels precomputed embeddings (query kind, L2-normalised)."""

    name: str
    source: str                              # 'seed' or 'builtin'
    examples: list[tuple[str, str]]
    embedder_model: str
    cv: dict[str, Any] = field(default_factory=dict)
    oof: list[str] | None = None             # out-of-fold predictions on the examples (cross-validated)
    _model: Any = field(default=None, repr=False)

    @property
    def method(self) -> str:
        figures = ""
        if self.cv.get("folds"):
            figures = f", {self.cv['folds']}-fold CV acc {self.cv['accuracy']:.3f} macro-F1 {self.cv['macro_f1']:.3f}"
        return (f"head:{self.source}@{VERSION} (logistic regression C={C:g} balanced over {self.embedder_model}; "
                f"{len(self.examples)} examples sha256:{file_digest(self.examples)}{figures})")

    def fit(self, vectors: np.ndarray, cv_seed: int = 0, cross_validated: bool = True) -> "HeadVoter":
        labels = [lab for _, lab in self.examples]
        if cross_validated:
            self.cv = cross_validate(vectors, labels, cv_seed)
            self.oof = self.cv.pop("oof", None)
        self._model = _model().fit(vectors, np.asarray(labels))
        return self

    def predict(self, vectors: np.ndarray) -> list[str]:
        return [str(x) for x in self._model.predict(vectors)] if len(vectors) else []

    def vote_vectors(self, vectors: np.ndarray) -> list[Vote]:
        if self._model is None:
            raise SomekitError(f"{self.name}: head used before training")
        if not len(vectors):
            return []
        probs = self._model.predict_proba(vectors)
        classes = [str(c) for c in self._model.classes_]
        votes = []
        for row in probs:
            label = classes[int(np.argmax(row))]
            raw = " ".join(f"{c}={p:.3f}" for c, p in zip(classes, row))
            votes.append(Vote(voter=self.name, value=label, raw=raw, method=self.method))
        return votes
