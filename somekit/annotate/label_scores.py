"""Label-quality scores: how likely each machine label is right, and how reliable each voter is.

The score of an item is the estimated probability that its kept label is right. Without people's
labels it comes from CROWDLAB (cleanlab.multiannotator.get_label_quality_multiannotator): every
voter is an annotator, and the voters that give class probabilities (the classifier head's
probabilities, the prototype voter's similarities through a softmax) are averaged into the
model probabilities that CROWDLAB weighs against the annotators' labels. A voter without
probabilities (the lexicon, an LLM whose endpoint returns no log-probabilities) still counts as an
annotator. CROWDLAB also estimates each voter's quality from how it agrees with the others.

Where people have labelled some of the texts (seed labels, or decisions pulled from review), the
voters' quality is *measured* instead: a logistic regression learns, from people's labels, how
much each voter's vote and probabilities say about the true class (one weight per voter and
class, so a voter people found reliable for `angry` but not for `surprise` counts that way). Its
probabilities replace the voters' own as CROWDLAB's model probabilities, and each voter's
accuracy on people's labels is reported as its measured quality.

Scores drive the review order (somekit/review/selection.py) and the score bands of the remaining-
error estimate (somekit/review/remaining.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ..schemas.provenance import Vote

#: People's labels needed before the measured model replaces the voters' own probabilities.
MIN_MEASURED = 20
_PAIR = re.compile(r"([A-Za-z_\-]+)=(-?[0-9.]+)")


@dataclass
class PanelScores:
    """Scores of one panel run, in item order."""

    scores: list[float | None]                    # P(kept label is right); None: no vote for it
    consensus: list[Any]                          # the label the weighted consensus prefers
    voters: dict[str, dict[str, Any]] = field(default_factory=dict)   # per voter: quality figures
    method: str = ""
    model_weight: float | None = None             # CROWDLAB's weight of the model probabilities


def vote_probabilities(vote: Vote, classes: Sequence[str]) -> np.ndarray | None:
    """Class probabilities a vote carries in its raw output, or None when it carries none.

    The head writes probabilities ('positive=0.412 angry=0.050 ...'); the prototype voter writes
    cosine similarities, which a softmax turns into probabilities. Its temperature is the spread
    (standard deviation) of the item's own similarities: cosine similarities of one embedder sit
    in a narrow band whose width depends on the model and the texts, so a fixed temperature would
    be a constant fitted to one data set; in units of their own spread, a clear winner stands out
    and a flat row stays flat. Other voters (lexicon word counts, LLM text) give none."""
    method = vote.method or vote.voter or ""
    if vote.value is None or not vote.raw or not (method.startswith("head:") or method.startswith("embed:")):
        return None
    found = {k: float(v) for k, v in _PAIR.findall(vote.raw)}
    if not all(c in found for c in classes):
        return None
    values = np.array([found[c] for c in classes], dtype=np.float64)
    if method.startswith("embed:"):
        spread = values.std()
        values = np.exp((values - values.max()) / (spread if spread > 0 else 1.0))
    total = values.sum()
    return values / total if total > 0 else None


def _matrices(votes_per_item: Sequence[Sequence[Vote]], classes: Sequence[str],
              voters: list[str] | None = None) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(voter names, labels N x M with NaN for a failed or missing vote, model probabilities N x K)."""
    names: list[str] = list(voters or [])
    for votes in ([] if voters else votes_per_item):
        for v in votes:
            if v.voter not in names:
                names.append(v.voter)
    index = {c: i for i, c in enumerate(classes)}
    labels = np.full((len(votes_per_item), len(names)), np.nan)
    probs = np.zeros((len(votes_per_item), len(classes)))
    for i, votes in enumerate(votes_per_item):
        given = [p for v in votes if (p := vote_probabilities(v, classes)) is not None]
        for v in votes:
            if v.value in index and v.voter in names:
                labels[i, names.index(v.voter)] = index[v.value]
        if given:
            probs[i] = np.mean(given, axis=0)
        else:
            # no voter gives probabilities: the vote shares, smoothed so no class is impossible
            counts = np.bincount(labels[i][~np.isnan(labels[i])].astype(int), minlength=len(classes))
            probs[i] = (counts + 1.0) / (counts.sum() + len(classes))
    return names, labels, probs


def score_panel(votes_per_item: Sequence[Sequence[Vote]], kept: Sequence[Any], classes: Sequence[str],
                people: tuple[Sequence[Sequence[Vote]], Sequence[Any]] | None = None) -> PanelScores:
    """Score each item's kept label (`kept[i]`) from its votes. `people`: (votes, people's labels)
    of texts people labelled; with at least MIN_MEASURED of them the voters are weighted by
    what those labels measured (see the module docstring)."""
    classes = list(classes)
    names, labels, probs = _matrices(votes_per_item, classes)
    if not len(names) or labels.shape[0] == 0:
        return PanelScores([None] * len(kept), list(kept), method="no votes")
    measured: dict[str, float] = {}
    method = "CROWDLAB (cleanlab.multiannotator) over the voters, model probabilities from the voters that give them"
    if people is not None and len(people[1]) >= MIN_MEASURED:
        model = _measured_model(people[0], people[1], names, classes)
        if model is not None:
            probs = _predict(model, labels, probs, classes)
            measured = voter_accuracy(people[0], people[1])
            method = (f"CROWDLAB (cleanlab.multiannotator) with model probabilities from the voters weighted on "
                      f"{len(people[1])} people's labels")
    crowd = _crowdlab(names, labels, probs, classes)
    post = crowd["post"]
    index = {c: i for i, c in enumerate(classes)}
    scores = [None if k not in index else round(float(post[i, index[k]]), 6) for i, k in enumerate(kept)]
    consensus = [classes[int(np.argmax(row))] for row in post]
    voters = {n: {"crowdlab_quality": crowd["quality"].get(n), "agreement_with_consensus": crowd["agreement"].get(n),
                  "crowdlab_weight": crowd["weights"].get(n)} for n in names}
    for n in names:
        if n in measured:
            voters[n]["measured_accuracy"] = measured[n]
    return PanelScores(scores, consensus, voters, method, crowd["model_weight"])


def _features(labels: np.ndarray, probs: np.ndarray, k: int) -> np.ndarray:
    """One-hot vote per voter (a failed vote is all zeros) beside the voters' probabilities."""
    onehot = [(labels[:, [j]] == np.arange(k)).astype(np.float64) for j in range(labels.shape[1])]
    return np.concatenate([*onehot, probs], axis=1)


def _measured_model(votes: Sequence[Sequence[Vote]], truth: Sequence[Any], names: list[str], classes: list[str]):
    """Logistic regression from the votes and probabilities to people's labels; its regularisation
    is chosen by cross-validation on those labels (log loss), so no value is carried over from
    the data set the method was developed on."""
    import warnings

    from sklearn.linear_model import LogisticRegressionCV

    index = {c: i for i, c in enumerate(classes)}
    keep = [i for i, t in enumerate(truth) if t in index]
    if len({truth[i] for i in keep}) < 2:
        return None
    _, labels, probs = _matrices([votes[i] for i in keep], classes, names)
    y = np.array([index[truth[i]] for i in keep])
    present = np.bincount(y)
    folds = int(min(5, max(2, present[present > 0].min())))
    with warnings.catch_warnings():   # scikit-learn 1.9 announces changes of defaults we do not rely on
        warnings.simplefilter("ignore", FutureWarning)
        return LogisticRegressionCV(Cs=10, cv=folds, max_iter=3000, scoring="neg_log_loss").fit(
            _features(labels, probs, len(classes)), y)


def _predict(model: Any, labels: np.ndarray, probs: np.ndarray, classes: list[str]) -> np.ndarray:
    out = np.full((len(labels), len(classes)), 1e-6)
    out[:, model.classes_] = model.predict_proba(_features(labels, probs, len(classes)))
    return out / out.sum(axis=1, keepdims=True)


def voter_accuracy(votes: Sequence[Sequence[Vote]], truth: Sequence[Any]) -> dict[str, float]:
    """Each voter's accuracy on people's labels (a failed vote counts as wrong)."""
    right: dict[str, int] = {}
    seen: dict[str, int] = {}
    for vs, label in zip(votes, truth):
        for v in vs:
            seen[v.voter] = seen.get(v.voter, 0) + 1
            right[v.voter] = right.get(v.voter, 0) + (v.value == label)
    return {n: round(right[n] / seen[n], 4) for n in seen}


def _crowdlab(names: list[str], labels: np.ndarray, probs: np.ndarray, classes: list[str]) -> dict[str, Any]:
    """CROWDLAB's posterior probabilities of every class and its per-voter estimates.

    cleanlab returns the posterior only through each annotator's label quality (self-confidence:
    the posterior of the label that annotator gave), so the posterior of each class an annotator
    named is read there; classes nobody voted for share what is left."""
    import pandas as pd
    from cleanlab.multiannotator import get_label_quality_multiannotator

    # cleanlab refuses an item without any label and a voter without any: an item whose votes all
    # failed keeps the model probabilities, a voter whose votes all failed is left out
    voted = ~np.isnan(labels).all(axis=1)
    active = [j for j in range(len(names)) if not np.isnan(labels[:, j]).all()]
    post = probs.copy()
    quality: dict[str, float] = {}
    agreement: dict[str, float] = {}
    weights: dict[str, float] = {}
    model_weight = None
    if voted.sum() >= 2 and active:
        frame = pd.DataFrame(labels[voted][:, active], columns=[names[j] for j in active])
        # cleanlab breaks majority-vote ties with np.random.choice on the global generator: seed it
        # for the call (and put it back), so a rebuild writes the same scores, byte for byte
        state = np.random.get_state()
        np.random.seed(0)
        try:
            out = get_label_quality_multiannotator(frame, probs[voted], quality_method="crowdlab",
                                                   consensus_method="majority_vote", return_weights=True, verbose=False)
        finally:
            np.random.set_state(state)
        detail = out["detailed_label_quality"].to_numpy()
        sub = labels[voted][:, active]
        rows = np.flatnonzero(voted)
        for r, i in enumerate(rows):
            seen: dict[int, float] = {}
            for j in range(sub.shape[1]):
                if not np.isnan(sub[r, j]):
                    seen[int(sub[r, j])] = float(detail[r, j])
            rest = max(0.0, 1.0 - sum(seen.values()))
            others = [k for k in range(len(classes)) if k not in seen]
            share = probs[i, others] / probs[i, others].sum() if others and probs[i, others].sum() > 0 else None
            row = np.zeros(len(classes))
            for k, p in seen.items():
                row[k] = p
            for pos, k in enumerate(others):
                row[k] = rest * (share[pos] if share is not None else 1.0 / len(others))
            post[i] = row
        stats = out["annotator_stats"]
        quality = {str(n): round(float(stats.loc[n, "annotator_quality"]), 4) for n in stats.index}
        agreement = {str(n): round(float(stats.loc[n, "agreement_with_consensus"]), 4) for n in stats.index}
        weights = {names[j]: round(float(w), 4) for j, w in zip(active, out["annotator_weight"])}
        model_weight = round(float(out["model_weight"]), 4)
    return {"post": post, "quality": quality, "agreement": agreement, "weights": weights, "model_weight": model_weight}


def summary(panel: PanelScores) -> dict[str, Any]:
    """The `label_quality` block of stats.json: method, score quantiles, voters best first."""
    values = np.array([s for s in panel.scores if s is not None], dtype=np.float64)
    quantiles = {f"p{q}": round(float(np.quantile(values, q / 100)), 4) for q in (10, 25, 50, 75, 90)} if len(values) else {}
    key = "measured_accuracy" if all("measured_accuracy" in v for v in panel.voters.values()) else "crowdlab_quality"
    ranked = sorted(panel.voters, key=lambda n: -(panel.voters[n].get(key) or 0.0))
    return {"method": panel.method, "scored": int(len(values)), "mean": round(float(values.mean()), 4) if len(values) else None,
            "quantiles": quantiles, "voters": {n: panel.voters[n] for n in ranked}, "voter_ranking_by": key,
            "model_weight": panel.model_weight}


def for_panel(votes_per_item: Sequence[Sequence[Vote]], kept: Sequence[Any], classes: Sequence[str],
              measured_block: dict[str, Any] | None = None) -> PanelScores:
    """Scores for a build's voted pool (CROWDLAB). `measured_block` is the panel's quality on the
    user's seed labels (annotate/panel.py `measured`): each voter's accuracy there is recorded as
    its measured quality beside CROWDLAB's estimate."""
    panel = score_panel(votes_per_item, kept, classes)
    for name, figures in ((measured_block or {}).get("voters") or {}).items():
        if name in panel.voters and figures.get("accuracy") is not None:
            panel.voters[name]["measured_accuracy"] = figures["accuracy"]
    return panel


def reliability_line(block: dict[str, Any]) -> str | None:
    """The card's sentence naming the most and least reliable voter."""
    voters = block.get("voters") or {}
    key = block.get("voter_ranking_by") or "crowdlab_quality"
    ranked = sorted((n for n in voters if voters[n].get(key) is not None), key=lambda n: -voters[n][key])
    if len(ranked) < 2:
        return None
    how = block.get("ranking_how") or ("accuracy measured on people's labels" if key == "measured_accuracy"
                                       else "CROWDLAB's estimated annotator quality (agreement with the consensus and the model)")
    best, worst = ranked[0], ranked[-1]
    return (f"Most reliable voter: `{best}` ({voters[best][key]:.3f}); least reliable: `{worst}` "
            f"({voters[worst][key]:.3f}), by {how}.")
