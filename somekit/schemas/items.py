"""Task items: one query, its typed inputs and answer, provenance and review state.

Each of the nine tasks has its own item class; `Item` is the discriminated union over them, so
`TypeAdapter(Item).validate_python(row)` returns the right class from the `task` field.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal, Union

import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .provenance import Provenance
from .review import Review

YesNo = Literal["yes", "no"]
Emotion = Literal["positive", "angry", "sad", "fear", "surprise", "emotionless"]
EMOTIONS: tuple[str, ...] = ("positive", "angry", "sad", "fear", "surprise", "emotionless")
Label3 = Literal["false", "half", "true"]
Rumor = Literal["rumor", "non-rumor"]
Action = Literal["like", "repost", "comment"]
#: BluePrint's 13 action kinds (docs/architecture.md, "Facts about the outside world").
NAP_ACTIONS: tuple[str, ...] = (
    "like", "unlike", "repost", "unrepost", "follow", "unfollow", "block", "unblock",
    "post_update", "post_delete", "quote", "post", "reply",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- inputs -------------------------------------------------------------------------------

class UserPostInputs(_Strict):
    user_id: str = Field(..., description="The user asked about.")
    post_id: str = Field(..., description="The post asked about.")


class UBPInputs(UserPostInputs):
    action: Action = Field(..., description="Interaction type asked about.")
    text: str | None = Field(None, description="For a positive comment/repost: the user's text (SoMe keeps it).")


class CommentInputs(UserPostInputs):
    comment_id: str = Field(..., description="Interaction id of the comment shown.")
    comment: str = Field(..., description="Comment text shown in the query.")


class MIDInputs(_Strict):
    claim_id: str = Field(..., description="Claim record id.")
    claim: str = Field(..., description="Claim text.")
    report_ids: list[str] = Field(default_factory=list, description="Knowledge-base reports linked to the claim.")


class MIDZhInputs(_Strict):
    post_id: str = Field(..., description="The Weibo post asked about.")
    event_id: str = Field(..., description="Split group: the post's event (posts with the same normalised text share one).")
    text: str = Field(..., description="Post text shown in the query.")
    cutoff: str = Field(..., description="Question time 'YYYY-MM-DD HH:MM:SS' (UTC): the visible cascade ends here.")
    cascade_ids: list[str] = Field(default_factory=list, description="Cascade records (interaction ids) visible at the cut-off, oldest first.")


class SMQInputs(_Strict):
    scope: Literal["topic", "user"] = Field(..., description="Whether the question is about a topic or a user.")
    scope_id: str = Field(..., description="Topic string or user id.")
    question: str = Field(..., description="The question.")


class REDInputs(_Strict):
    location: str = Field(..., description="Location of the query.")
    window_start: str = Field(..., description="Window start 'YYYY-MM-DD HH:00:00'.")
    window_end: str = Field(..., description="Window end 'YYYY-MM-DD HH:00:00'.")


class SESInputs(_Strict):
    topic: str = Field(..., description="Topic (keywords) to summarise.")
    post_ids: list[str] = Field(default_factory=list, description="Posts retrieved for the topic.")


class NAPInputs(_Strict):
    cluster_id: int = Field(..., description="Persona cluster of the (anonymised) user.")
    user: str = Field(..., description="Salted-hash user id.")
    context: list[dict[str, Any]] = Field(default_factory=list, description="Context thread, oldest first (depth <= 5).")


# ---- answers ------------------------------------------------------------------------------

class YesNoAnswer(_Strict):
    label: YesNo


class EmotionAnswer(_Strict):
    emotion: Emotion


class MIDAnswer(_Strict):
    label: Label3 = Field(..., description="3-way label (true/half/false).")
    original_label: str = Field(..., description="Source label (LIAR 6-way or RAWFC 3-way).")


class RumorAnswer(_Strict):
    label: Rumor = Field(..., description="The source's label: rumor or non-rumor.")
    origin: str = Field(..., description="Where the label comes from, e.g. 'ced:rumor-repost'.")


class QAAnswer(_Strict):
    answer: str
    qtype: str = Field("factual", description="Question type (factual, opinion, summary, count, ...).")
    evidence_ids: list[str] = Field(default_factory=list, description="Post ids that support the answer.")


class Event(_Strict):
    title: str
    summary: str
    time: str
    location: str
    post_ids: list[str] = Field(default_factory=list, description="Posts of the event's cluster.")


class EventsAnswer(_Strict):
    events: list[Event]


class SummaryAnswer(_Strict):
    summary: str
    time: str | None = None
    place: str | None = None
    plot: str | None = None


class NextActionAnswer(_Strict):
    actions: list[str] = Field(..., description="Target action set (subset of NAP_ACTIONS).")
    text: str | None = Field(None, description="Text of the post/reply/quote when there is one.")


# ---- items --------------------------------------------------------------------------------

class ItemBase(_Strict):
    id: str = Field(..., description="Stable id: hash of task + inputs (see item_id).")
    query: str = Field(..., description="Rendered query shown to the agent.")
    template_id: str = Field(..., description="Query template id, e.g. 'ubp.like.zh@1'.")
    lang: str = Field("zh", description="Language of the query.")
    provenance: Provenance
    review: Review = Field(default_factory=Review)


class UBPItem(ItemBase):
    task: Literal["ubp"] = "ubp"
    inputs: UBPInputs
    answer: YesNoAnswer


class UCSItem(ItemBase):
    task: Literal["ucs"] = "ucs"
    inputs: CommentInputs
    answer: YesNoAnswer


class MCRItem(ItemBase):
    task: Literal["mcr"] = "mcr"
    inputs: UserPostInputs
    answer: YesNoAnswer


class UEAItem(ItemBase):
    task: Literal["uea"] = "uea"
    inputs: CommentInputs
    answer: EmotionAnswer


class MIDItem(ItemBase):
    task: Literal["mid"] = "mid"
    inputs: MIDInputs
    answer: MIDAnswer


class MIDZhItem(ItemBase):
    task: Literal["mid-zh"] = "mid-zh"
    inputs: MIDZhInputs
    answer: RumorAnswer


class SMQItem(ItemBase):
    task: Literal["smq"] = "smq"
    inputs: SMQInputs
    answer: QAAnswer


class REDItem(ItemBase):
    task: Literal["red"] = "red"
    inputs: REDInputs
    answer: EventsAnswer


class SESItem(ItemBase):
    task: Literal["ses"] = "ses"
    inputs: SESInputs
    answer: SummaryAnswer


class NAPItem(ItemBase):
    task: Literal["nap"] = "nap"
    inputs: NAPInputs
    answer: NextActionAnswer


Item = Annotated[
    Union[UBPItem, UCSItem, MCRItem, UEAItem, MIDItem, MIDZhItem, SMQItem, REDItem, SESItem, NAPItem],
    Field(discriminator="task"),
]
#: task code -> item model, read off each model's `task` literal (the task table, schemas/tasks.py,
#: is where the rest of a task is described).
ITEM_CLASSES: dict[str, type[ItemBase]] = {
    cls.model_fields["task"].default: cls
    for cls in (UBPItem, UCSItem, MCRItem, UEAItem, MIDItem, MIDZhItem, SMQItem, REDItem, SESItem, NAPItem)}
item_adapter: TypeAdapter = TypeAdapter(Item)


def item_id(task: str, inputs: dict[str, Any]) -> str:
    """Stable item id: sha256 of the task and its canonical inputs, shortened to 24 hex chars."""
    canonical = orjson.dumps({"task": task, "inputs": inputs}, option=orjson.OPT_SORT_KEYS)
    return f"{task}-{hashlib.sha256(canonical).hexdigest()[:24]}"
