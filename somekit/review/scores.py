"""Each item's label-quality score, for ordering the review and banding the error estimate.

The builder stores the score in the vote step's provenance (`LLMStep.label_quality`). Items built
before scores existed, or by a builder that keeps votes without scoring them, are scored here from
the votes in their provenance (the same function, somekit/annotate/label_scores.py). Items without
votes (templated tasks, LLM drafts) have no score: they are ordered after the scored ones, at
random, and form their own band.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..annotate.label_scores import MIN_MEASURED, score_panel
from ..store.item_rows import item_label
from ..schemas.items import EMOTIONS, ItemBase

#: Class lists of the voted tasks (the only ones whose provenance holds per-voter votes).
CLASSES: dict[str, Sequence[str]] = {"uea": EMOTIONS}


def _vote_step(item: ItemBase) -> Any | None:
    return next((s for s in item.provenance.llm if s.step == "vote" and s.votes), None)


def item_scores(items: Sequence[ItemBase], people: dict[str, Any] | None = None) -> tuple[dict[str, float | None], str]:
    """({item id: score or None}, how they were obtained). `people`: item id -> the label people
    gave it (decided reviews); with enough of them the voted items are re-scored with the voters
    weighted by what those labels measured."""
    voted = [it for it in items if it.task in CLASSES and _vote_step(it) is not None]
    known = [it for it in voted if (people or {}).get(it.id) is not None]
    if voted and len(known) >= MIN_MEASURED:
        panel = score_panel([_vote_step(it).votes for it in voted], [item_label(it) for it in voted], CLASSES[voted[0].task],
                            people=([_vote_step(it).votes for it in known], [people[it.id] for it in known]))
        out: dict[str, float | None] = {it.id: None for it in items}
        out.update({it.id: s for it, s in zip(voted, panel.scores)})
        return out, panel.method
    out = {}
    missing: list[ItemBase] = []
    for it in items:
        step = _vote_step(it)
        stored = getattr(step, "label_quality", None) if step is not None else None
        if stored is not None:
            out[it.id] = float(stored)
        elif it in voted:
            missing.append(it)
        else:
            out[it.id] = None
    how = "stored by the builder" if any(v is not None for v in out.values()) else "none (no votes to score)"
    if missing:
        panel = score_panel([_vote_step(it).votes for it in missing], [item_label(it) for it in missing], CLASSES[missing[0].task])
        out.update({it.id: s for it, s in zip(missing, panel.scores)})
        how = f"computed from the votes in provenance ({panel.method})"
    return out, how


def people_labels(joined: Sequence[Any]) -> dict[str, Any]:
    """Item id -> the label people decided (accepted: the machine's; corrected: theirs), for the
    decided items of a join (review/join.py); rejected items have no label."""
    out: dict[str, Any] = {}
    for j in joined:
        if j.status in ("accepted", "corrected"):
            out[j.draft.id] = item_label(j.item)
    return out
