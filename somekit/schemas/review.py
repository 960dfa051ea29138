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
