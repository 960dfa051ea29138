"""Structured LLM outputs of the LLM-drafted tasks (uea votes, smq drafts, red events, ses).

These match the `output` notes of the prompts uea.vote, smq.draft, red.filter, red.summary and
ses.summary; the LLM layer validates replies against them (and re-asks on failure).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .items import Emotion


class _Out(BaseModel):
    # Models add keys now and then (a 'reason' we did not ask for); ignore them rather than fail.
    model_config = ConfigDict(extra="ignore")


class EmotionVoteOut(_Out):
    # An enum, and the first key: structured outputs (OpenAI/vLLM json_schema, llama.cpp
    # grammars) can then only emit one of the six codes, before any reasoning text.
    label: Emotion = Field(..., description="One of the six emotion codes.")
    # maxLength only in the schema (grammars bound the text, so a rambling small model cannot run
    # out of tokens mid-answer); validation stays lenient for servers that ignore it.
    reason: str = Field("", description="Short justification.", json_schema_extra={"maxLength": 24})


class QAPairDraft(_Out):
    question: str = Field(..., min_length=1)
    answer: str = Field(..., min_length=1)
    evidence: list[str] = Field(default_factory=list, description="Ids of the posts that support the answer.")
    type: str = Field("factual", description="Question type, when the model gives one.")


class QADraftList(_Out):
    pairs: list[QAPairDraft] = Field(default_factory=list)


class EventFilterOut(_Out):
    is_event: bool
    reason: str = ""


class EventSummaryOut(_Out):
    title: str = Field(..., min_length=1)
    summary: str = Field(..., min_length=1)
    time: str = ""
    location: str = ""


class TopicSummaryOut(_Out):
    summary: str = Field(..., min_length=1)
    time: str = ""
    place: str = ""
    plot: str = ""
