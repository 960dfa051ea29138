"""Each item's label-quality score, for ordering the review and banding the error estimate.

One entry point, `item_scores`, picks the scorer the task table names (TaskSpec.label_score):

- `votes` (a panel of voters, UEA): the builder stores CROWDLAB's score in the vote step's
  provenance (`LLMStep.label_quality`); items without one are scored here from the votes in their
  provenance (the same function, somekit/annotate/label_scores.py). Once people have decided at
  least MIN_MEASURED items, the voters are weighted by the accuracy those decisions measured: a
  split vote (no majority) that the quality-weighted vote decides (annotate/voting.py
  `weighted_vote`) is no longer a tie, and every voted item is re-scored with the measured model.
- `checks` (drafted tasks, checked by `somekit verify`; templated tasks, whose rules verify
  re-derives): the share of the task's verify checks the item passes (runs/verify.json). verify
  lists at most 20 violations per check and task, so beyond that an item's failures go unseen and
  its score is too high; the flag rule still sends every listed failure.

Tasks without a scorer, and items a scorer cannot score, get None: they are ordered after the
scored ones, at random, and form their own band.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import orjson

from ..annotate.label_scores import MIN_MEASURED, score_panel, voter_accuracy
from ..annotate.voting import WEIGHTED_RULE, majority, quality_weights, weighted_vote
from ..schemas.items import EMOTIONS, ItemBase
from ..schemas.provenance import Vote
from ..schemas.tasks import task_spec
from ..store.item_rows import item_label

#: Class lists by label vocabulary (TaskSpec.label_kind) of the voted tasks.
CLASSES: dict[str, Sequence[str]] = {"emotion": EMOTIONS}


@dataclass
class ItemScores:
    """Scores of one task's items and what the scorer decided about split votes."""

    scores: dict[str, float | None]
    method: str
    decided: dict[str, Any] = field(default_factory=dict)     # item id -> label the weighted vote gives a split
    voters: dict[str, float] = field(default_factory=dict)    # voter -> accuracy measured on people's decisions


def _vote_step(item: ItemBase) -> Any | None:
    return next((s for s in item.provenance.llm if s.step == "vote" and s.votes), None)


def _weighted_splits(voted: Sequence[ItemBase], weights: dict[str, float]) -> dict[str, Any]:
    """Item id -> the weighted vote's label, for the items whose plain vote has no majority and
    whose weighted vote has a winner."""
    out: dict[str, Any] = {}
    for it in voted:
        votes = _vote_step(it).votes
        if majority([v.value for v in votes]).majority:
            continue
        agg = weighted_vote([(v.voter, v.value) for v in votes], weights)
        if agg.majority:
            out[it.id] = agg.label
    return out


def measured_scores(voted: Sequence[ItemBase], seen: tuple[Sequence[Sequence[Vote]], Sequence[Any]],
                    classes: Sequence[str]) -> ItemScores:
    """Voted items scored with the voters weighted by `seen` (votes on texts people labelled, and
    people's labels): their accuracy there weighs the split votes, and CROWDLAB, with the model
    measured on them (annotate/label_scores.py), scores each item's label, the weighted vote's
    where it decided a split."""
    accuracy = voter_accuracy(*seen)
    decided = _weighted_splits(voted, quality_weights(accuracy, len(classes)))
    kept = [decided.get(it.id, item_label(it)) for it in voted]
    panel = score_panel([_vote_step(it).votes for it in voted], kept, classes, people=seen)
    return ItemScores({it.id: s for it, s in zip(voted, panel.scores)}, panel.method, decided, accuracy)


def _by_votes(items: Sequence[ItemBase], people: dict[str, Any], ws: Any) -> ItemScores:
    voted = [it for it in items if _vote_step(it) is not None]
    if not voted:
        return ItemScores({it.id: None for it in items}, "none (no votes to score)")
    classes = CLASSES[task_spec(voted[0].task).label_kind or ""]
    built = {it.id: item_label(it) for it in voted if it.provenance.rule == WEIGHTED_RULE}
    known = [it for it in voted if people.get(it.id) is not None]
    out: dict[str, float | None] = {it.id: None for it in items}
    if len(known) >= MIN_MEASURED:
        measured = measured_scores(voted, ([_vote_step(it).votes for it in known], [people[it.id] for it in known]), classes)
        return ItemScores({**out, **measured.scores}, measured.method, {**built, **measured.decided}, measured.voters)
    missing = []
    for it in voted:
        stored = _vote_step(it).label_quality
        if stored is None:
            missing.append(it)
        out[it.id] = None if stored is None else float(stored)
    how = "stored by the builder"
    if missing:
        panel = score_panel([_vote_step(it).votes for it in missing], [item_label(it) for it in missing], classes)
        out.update({it.id: s for it, s in zip(missing, panel.scores)})
        how = f"computed from the votes in provenance ({panel.method})"
    return ItemScores(out, how, built)


def _by_checks(items: Sequence[ItemBase], people: dict[str, Any], ws: Any) -> ItemScores:
    path = Path(ws.runs) / "verify.json" if ws is not None else None
    report = orjson.loads(path.read_bytes()) if path is not None and path.exists() else {}
    task = items[0].task if items else ""
    run = {c.split(":", 1)[1] for c in report.get("checks_run") or [] if c.startswith(f"{task}:")}
    if not run:
        return ItemScores({it.id: None for it in items}, "none (no `somekit verify` run for this task)")
    failed: dict[str, set[str]] = {}
    for v in report.get("violations") or []:
        if v.get("task") == task and v.get("item") and v.get("check") in run:
            failed.setdefault(v["item"], set()).add(v["check"])
    scores = {it.id: round(1 - len(failed.get(it.id, ())) / len(run), 6) for it in items}
    return ItemScores(scores, f"share of the {len(run)} verify checks of the task the item passes")


SCORERS: dict[str, Callable[[Sequence[ItemBase], dict[str, Any], Any], ItemScores]] = {
    "votes": _by_votes, "checks": _by_checks}


def item_scores(items: Sequence[ItemBase], people: dict[str, Any] | None = None, ws: Any = None) -> ItemScores:
    """The task's scores by the scorer its TaskSpec names. `people`: item id -> the label people
    gave it (decided reviews); `ws`: the workspace (the checks scorer reads runs/verify.json)."""
    kind = task_spec(items[0].task).label_score if items else None
    if kind is None:
        return ItemScores({it.id: None for it in items}, "none (the task has no label-quality score)")
    return SCORERS[kind](items, people or {}, ws)


def people_labels(joined: Sequence[Any]) -> dict[str, Any]:
    """Item id -> the label people decided (accepted: the machine's; corrected: theirs), for the
    decided items of a join (review/join.py); rejected items have no label."""
    out: dict[str, Any] = {}
    for j in joined:
        if j.status in ("accepted", "corrected"):
            out[j.draft.id] = item_label(j.item)
    return out
