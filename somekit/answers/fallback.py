"""The offline fallback: a label for an answer the rules left undecided, without an LLM.

A small classifier per label kind (character n-grams, 1-4, of the answer's verdict region ->
logistic regression), trained on labelled agent answers shipped with the package
(`verdict_examples.jsonl`: the parser's tuning corpus and held-out batch A; batch B stays out, it
is what bench/extraction.py measures this with). Character n-grams work the same for Chinese,
English and the two mixed, and need no model download.

It runs only where the rules said 'ambiguous' and no LLM decided (classify.py), and it abstains
unless its top label is clearly ahead: a wrong label is worse than none.

The verdict region is where verdicts live: the first clause (answers that open with it) and the
last three clauses that are not echoed questions, reasons or counterfactuals.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import SomekitError
from .clauses import clauses, clean
from .extract import Extraction
from .labels import KIND, LABELS

EXAMPLES = Path(__file__).with_name("verdict_examples.jsonl")
#: Least probability of the top label, per kind, below which the fallback abstains, and least lead
#: over the runner-up. Chosen on the examples' 5-fold cross-validated predictions for about one
#: wrong label in 50 decided (tests/test_eval_fallback.py); rumour answers are few and their
#: negations ("不是谣言") defeat character n-grams, so that kind decides only when nearly certain.
#: bench/extraction.py reports what this gives on batch B.
THRESHOLD = {"yesno": 0.80, "rumor": 0.85, "mid": 0.70, "emotion": 0.60}
MARGIN = {"yesno": 0.60, "rumor": 0.70, "mid": 0.50, "emotion": 0.50}
VERACITY_AS_RUMOR = {"false": "rumor", "true": "non-rumor"}


class OfflineFallbackUnavailable(SomekitError):
    """The offline fallback cannot run here (its examples are missing)."""


def verdict_region(answer: str) -> str:
    """The parts of an answer where its verdict is: first clause + last three that can decide."""
    parts = [c.text for c in clauses(clean(answer)) if c.role not in ("question", "reason")]
    if not parts:
        return clean(answer)[-300:]
    region = parts[:1] + parts[max(1, len(parts) - 3):]
    return " | ".join(region)[-600:]


def load_examples(path: Path = EXAMPLES) -> list[dict[str, Any]]:
    if not path.is_file():
        raise OfflineFallbackUnavailable(f"{path}: no labelled examples for the offline fallback")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@lru_cache(maxsize=None)
def _model(kind: str):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline

    rows = [r for r in load_examples() if KIND.get(r["task"]) == kind and r["label"] in LABELS[kind]]
    if kind == "rumor":   # few rumour answers: a claim's veracity verdict reads the same way (false = rumour)
        rows += [{**r, "label": VERACITY_AS_RUMOR[r["label"]]} for r in load_examples()
                 if KIND.get(r["task"]) == "mid" and r["label"] in VERACITY_AS_RUMOR]
    if len({r["label"] for r in rows}) < 2:
        raise OfflineFallbackUnavailable(f"too few labelled examples for {kind} answers")
    # liblinear, one label against the rest: a fraction of lbfgs's fitting time on these sparse features
    linear = LogisticRegression(C=8.0, solver="liblinear", class_weight="balanced")
    model = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1),
                          linear if len(LABELS[kind]) == 2 else OneVsRestClassifier(linear))
    model.fit([verdict_region(r["text"]) for r in rows], [r["label"] for r in rows])
    return model


def offline_labels(task: str, answers: list[str]) -> list[str | None]:
    """A label per answer, or None where the classifier is not sure enough."""
    if not answers:
        return []
    kind = KIND[task]
    model = _model(kind)
    probs = model.predict_proba([verdict_region(a) for a in answers])
    classes = list(model.classes_)
    out: list[str | None] = []
    for row in probs:
        ranked = sorted(zip(row, classes), reverse=True)
        top, second = ranked[0][0], ranked[1][0] if len(ranked) > 1 else 0.0
        out.append(ranked[0][1] if top >= THRESHOLD[kind] and top - second >= MARGIN[kind] else None)
    return out


OFFLINE_RULE = "offline-fallback"


def eligible(extraction: Extraction) -> bool:
    """Whether the fallback may read an answer: the rules found no single label and the answer
    did not keep both outcomes open (a hedge gave no verdict to find)."""
    return extraction.rule == "ambiguous" and not extraction.hedged


def apply_offline(task: str, pending: dict[str, str]) -> dict[str, Extraction]:
    """{key: Extraction} for the answers (key -> raw text) the fallback decided; it abstains on the rest."""
    keys = list(pending)
    labels = offline_labels(task, [pending[k] for k in keys])
    return {k: Extraction(label, OFFLINE_RULE) for k, label in zip(keys, labels) if label is not None}
