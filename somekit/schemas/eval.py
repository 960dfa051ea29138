"""Structured outputs of the evaluation prompts (extract.<task>@1, judge.<task>@1)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .tasks import TASKS


class _Out(BaseModel):
    # Models add stray keys; accept and ignore them rather than fail a whole judgement.
    model_config = ConfigDict(extra="ignore")


class ExtractOut(_Out):
    label: str = Field(..., description="The label the answer settles on, or 'none'.")


class ExtractYesNoOut(_Out):
    label: Literal["yes", "no", "none"] = Field(..., description="The verdict the answer settles on; none when it gives none.")


class ExtractEmotionOut(_Out):
    label: Literal["positive", "angry", "sad", "fear", "surprise", "emotionless", "none"] = Field(
        ..., description="The one emotion the answer settles on; none when it names none or several without choosing.")


class ExtractMIDOut(_Out):
    label: Literal["true", "half", "false", "none"] = Field(..., description="The verdict the answer settles on; none when it gives none.")


class ExtractRumorOut(_Out):
    label: Literal["rumor", "non-rumor", "none"] = Field(..., description="The verdict the answer settles on; none when it gives none.")


#: Label kind -> the extraction schema whose JSON schema carries the label enum.
EXTRACT_SCHEMAS: dict[str, type[_Out]] = {"yesno": ExtractYesNoOut, "emotion": ExtractEmotionOut, "mid": ExtractMIDOut,
                                          "rumor": ExtractRumorOut}


class JudgeSMQOut(_Out):
    accuracy: int = Field(..., ge=0, le=5, description="0-5 against the reference.")
    reason: str = Field("", description="Short justification.")


class JudgeSESOut(_Out):
    accuracy: int = Field(..., ge=0, le=5)
    completeness: int = Field(..., ge=0, le=5)
    reason: str = ""


class JudgeREDOut(_Out):
    accuracy: int = Field(..., ge=0, le=5)
    completeness: int = Field(..., ge=0, le=5)
    relevance: int = Field(..., ge=0, le=5)
    reason: str = ""


_BY_CRITERIA: dict[tuple[str, ...], type[_Out]] = {
    ("accuracy",): JudgeSMQOut, ("accuracy", "completeness"): JudgeSESOut,
    ("accuracy", "completeness", "relevance"): JudgeREDOut}
#: judged task -> what the judge rates, and the output model holding those ratings (task table)
JUDGE_CRITERIA: dict[str, tuple[str, ...]] = {code: spec.judge_criteria for code, spec in TASKS.items() if spec.judge_criteria}
JUDGE_SCHEMAS: dict[str, type[_Out]] = {code: _BY_CRITERIA[criteria] for code, criteria in JUDGE_CRITERIA.items()}
