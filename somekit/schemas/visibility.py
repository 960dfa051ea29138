"""What an agent may see of each task's item inputs, declared once (issue 32).

Every field of a task's `inputs` is either `agent_visible` (it may appear in the published
`inputs` column, the SoMe export and a query) or `reviewer_only` (it exists for people and
provenance: the labelled UEA comment, ids of source records). Publish, the SoMe export, the Label
Studio context and verify all read this table; nothing else decides what goes where.

`labelled_texts` names the free-text fields a task's label was made from (UEA's comment, UCS's
shown comment, UBP-comment's text). Within one release such a text must not appear in another
task's agent-visible fields or queries, or one task's question answers another's.

When the task table (`somekit/tasks.py`, one TaskSpec per task) lands, these three tuples move
into its rows and this module goes.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Visibility(BaseModel):
    """One task's declaration over the field names of its item `inputs`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    agent_visible: tuple[str, ...] = Field(..., description="Input fields an agent may read (published `inputs`, export, queries).")
    reviewer_only: tuple[str, ...] = Field((), description="Input fields for reviewers and provenance only (published `evidence`).")
    labelled_texts: tuple[str, ...] = Field((), description="Text fields the label was made from; never reused by another task.")


VISIBILITY: dict[str, Visibility] = {
    "ubp": Visibility(agent_visible=("user_id", "post_id", "action", "text"), labelled_texts=("text",)),
    # The comment id is a source record id: the text is what the agent judges.
    "ucs": Visibility(agent_visible=("user_id", "post_id", "comment"), reviewer_only=("comment_id",),
                      labelled_texts=("comment",)),
    "mcr": Visibility(agent_visible=("user_id", "post_id")),
    # UEA predicts the emotion a user will show: the comment the label was read from stays hidden.
    "uea": Visibility(agent_visible=("user_id", "post_id"), reviewer_only=("comment_id", "comment"),
                      labelled_texts=("comment",)),
    "mid": Visibility(agent_visible=("claim_id", "claim", "report_ids")),
    # The event id is the split group (built from CED's folders), not something to reason from.
    "mid-zh": Visibility(agent_visible=("post_id", "text", "cutoff", "cascade_ids"), reviewer_only=("event_id",)),
    "smq": Visibility(agent_visible=("scope", "scope_id", "question")),
    "red": Visibility(agent_visible=("location", "window_start", "window_end")),
    "ses": Visibility(agent_visible=("topic", "post_ids")),
    "nap": Visibility(agent_visible=("cluster_id", "user", "context")),
}


class VisibilityError(ValueError):
    """A field is undeclared, or declared both agent-visible and reviewer-only."""


def visibility(task: str) -> Visibility:
    """The declaration of `task` (KeyError names the task when it has none)."""
    try:
        return VISIBILITY[task]
    except KeyError:
        raise VisibilityError(f"task {task!r} declares no input visibility (somekit/schemas/visibility.py)") from None


def classify_field(task: str, name: str) -> str:
    """'agent' or 'reviewer' for one input field; an undeclared field is an error, never a guess."""
    spec = visibility(task)
    if name in spec.agent_visible and name in spec.reviewer_only:
        raise VisibilityError(f"{task}: input field {name!r} is declared both agent-visible and reviewer-only")
    if name in spec.agent_visible:
        return "agent"
    if name in spec.reviewer_only:
        return "reviewer"
    raise VisibilityError(f"{task}: input field {name!r} is neither agent-visible nor reviewer-only; declare it")
