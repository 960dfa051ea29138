"""Human review state of an item and the decisions pulled from Label Studio."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ReviewState = Literal["draft", "pending", "accepted", "corrected", "rejected"]


class Review(BaseModel):
    """Review status carried by every item."""

    model_config = ConfigDict(extra="forbid")

    state: ReviewState = Field("draft", description="draft (never sent), pending (in Label Studio), accepted, corrected, rejected.")
    reviewers: list[str] = Field(default_factory=list, description="Who decided (Label Studio user emails or ids).")
    at: datetime | None = Field(None, description="When the decision was pulled.")
    original_answer: Any = Field(None, description="The machine answer before a correction.")
    needs_review: bool = Field(False, description="Set by builders when machine agreement was too low to trust.")
    note: str | None = Field(None, description="Free-text reason (e.g. tie between annotators).")


class ReviewDecision(BaseModel):
    """One decision mapped back from Label Studio to an item."""

    model_config = ConfigDict(extra="forbid")

    item_id: str = Field(..., description="Our item id.")
    state: Literal["accepted", "corrected", "rejected", "pending", "skipped"] = Field(..., description="Outcome.")
    answer: Any = Field(None, description="New answer when corrected.")
    reviewers: list[str] = Field(default_factory=list, description="Annotators behind the decision.")


class AnnotationRef(BaseModel):
    """One Label Studio annotation behind a decision, with the server's own timestamps."""

    model_config = ConfigDict(extra="forbid")

    annotator: str = Field(..., description="Label Studio user email (or id) who annotated.")
    annotation_id: int = Field(..., description="Label Studio annotation id.")
    task_id: int = Field(..., description="Label Studio task id the annotation belongs to.")
    outcome: str = Field(..., description="accepted, corrected, rejected, skipped or invalid (this annotation alone).")
    created_at: str | None = Field(None, description="The annotation's created_at, as the server reported it.")
    updated_at: str | None = Field(None, description="The annotation's updated_at, as the server reported it.")


class DecisionRecord(BaseModel):
    """One line of review/<task>/decisions.jsonl: the human decision on one item, kept apart from
    the build output and joined with it at freeze time."""

    model_config = ConfigDict(extra="forbid")

    item_id: str = Field(..., description="Our item id.")
    content_hash: str = Field(..., description="Hash of the item content the annotators saw; a rebuilt item "
                                               "with other content under the same id makes the decision stale.")
    state: Literal["accepted", "corrected", "rejected", "pending", "skipped"] = Field(..., description="Outcome.")
    answer: Any = Field(None, description="The corrected answer (SMQ: with an edited 'question').")
    reviewers: list[str] = Field(default_factory=list, description="Annotators behind the outcome.")
    note: str | None = Field(None, description="Tie, skipped or invalid annotations, in words.")
    decided_at: str | None = Field(None, description="Latest updated_at of the annotations behind the outcome "
                                                     "(the server's time, never the time of the pull).")
    annotations: list[AnnotationRef] = Field(default_factory=list, description="Every annotation considered.")
