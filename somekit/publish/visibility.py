"""The published `inputs` column holds agent-visible fields only; reviewer-only ones move to
`evidence` (issue 32).

Which field is which is the task's declaration (`agent_visible`, `reviewer_only` in schemas/tasks.py). The split happens once per
row here; `refuse_hidden_inputs` then re-reads what is about to be written and stops the publish,
naming the field, if any reviewer-only or undeclared field sits in `inputs`, whatever put it there.
"""

from __future__ import annotations

from typing import Any

from datasets import Features

from ..errors import PublishError
from ..schemas.tasks import task_spec

#: Column of reviewer-only input fields; blanked in every split of a challenge release.
EVIDENCE = "evidence"


def _fields(task: str, names: list[str]) -> tuple[list[str], list[str]]:
    agent, reviewer = [], []
    for name in names:
        try:
            side = task_spec(task).input_side(name)
        except ValueError as exc:
            raise PublishError(f"refusing to publish: {exc}") from None
        (agent if side == "agent" else reviewer).append(name)
    return agent, reviewer


def published_features(task: str, features: Features) -> Features:
    """Frozen features -> published ones: `inputs` narrowed to agent-visible fields and, for a
    task with reviewer-only fields, an `evidence` column right after it."""
    inputs = features["inputs"]
    agent, reviewer = _fields(task, list(inputs))
    out: dict[str, Any] = {}
    for name, feature in features.items():
        if name == "inputs":
            out["inputs"] = {k: inputs[k] for k in agent}
            if reviewer:
                out[EVIDENCE] = {k: inputs[k] for k in reviewer}
        else:
            out[name] = feature
    return Features(out)


def split_inputs(task: str, rows: list[dict[str, Any]], blank_evidence: bool) -> list[dict[str, Any]]:
    """Per row: inputs keep the agent-visible fields, the rest go to `evidence` (None when
    `blank_evidence`: a challenge release publishes no reviewer-only text in any split)."""
    reviewer_declared = bool(task_spec(task).reviewer_only)
    out = []
    for row in rows:
        row = dict(row)
        inputs = row.get("inputs") or {}
        agent, _ = _fields(task, list(inputs))
        row["inputs"] = {k: inputs[k] for k in agent}
        if reviewer_declared:
            row[EVIDENCE] = None if blank_evidence else {k: inputs.get(k) for k in task_spec(task).reviewer_only}
        out.append(row)
    return out


def evidence_of(task: str, row: dict[str, Any]) -> dict[str, Any]:
    """The reviewer-only inputs of one frozen row (for a challenge release's answers folder)."""
    inputs = row.get("inputs") or {}
    return {k: inputs.get(k) for k in task_spec(task).reviewer_only}


def refuse_hidden_inputs(task: str, features: Features, rows: list[dict[str, Any]]) -> None:
    """Stop the publish when the `inputs` about to be written hold a field an agent may not see
    (reviewer-only or undeclared), naming the task and the field."""
    spec = task_spec(task)
    seen = set(features["inputs"]) if "inputs" in features else set()
    for row in rows:
        seen |= set(row.get("inputs") or {})
    for name in sorted(seen):
        if name not in spec.agent_visible or name in spec.reviewer_only:
            kind = "reviewer-only" if name in spec.reviewer_only else "undeclared"
            raise PublishError(f"refusing to publish {task}: {kind} input field {name!r} would land in the "
                               f"agent-visible `inputs` column (declared in somekit/schemas/tasks.py)")


def card_lines(task: str, challenge: bool) -> list[str]:
    """The card's per-task lines: the fields an agent sees, and where the reviewer-only ones went."""
    spec = task_spec(task)
    lines = ["Fields an agent sees (`inputs`): " + ", ".join(f"`{f}`" for f in spec.agent_visible) + "."]
    if spec.reviewer_only:
        names = ", ".join(f"`{f}`" for f in spec.reviewer_only)
        where = ("are not published in any split of this challenge release; they sit with the withheld answers"
                 if challenge else f"are in the separate `{EVIDENCE}` column, for reviewers and provenance: an agent must not read it")
        lines.append(f"Reviewer-only fields ({names}) {where}.")
    if spec.labelled_texts:
        lines.append("No text the label was made from (" + ", ".join(f"`{f}`" for f in spec.labelled_texts)
                     + ") appears in another task's agent-visible fields or queries of this release.")
    return [" ".join(lines), ""]
