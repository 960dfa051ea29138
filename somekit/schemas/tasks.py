"""The task table: one `TaskSpec` per task, the single home of what a task is.

Every layer reads the facts about a task from here (its item and option models, its builder
module, its SoMe name, how its label is read, how its items are grouped into splits, how it is
scored) instead of keeping a list of task codes of its own. Adding a task means one row here, one
builder module, its query template or prompt and its tests (docs/architecture.md walks through it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from ..errors import SomekitError
from .items import (ItemBase, MCRItem, MIDItem, MIDZhItem, NAPItem, REDItem, SESItem, SMQItem, UBPItem, UCSItem,
                    UEAItem)
from .task_options import (MCROptions, MIDOptions, MIDZhOptions, NAPOptions, REDOptions, SESOptions, SMQOptions,
                           TaskOptions, UBPOptions, UCSOptions, UEAOptions)

EvalKind = Literal["classify", "judge", "nap"]
#: How an item's label-quality score is made (review/scores.py): from a voter panel's votes, or
#: from the share of `somekit verify` checks the item passes.
LabelScore = Literal["votes", "checks"]
#: What a corpus must hold for the task to be built (`somekit run` enables the tasks it can build).
Needs = Literal["social", "claims", "rumour-labels", "bluesky"]


@dataclass(frozen=True)
class TaskSpec:
    """Everything the pipeline needs to know about one task, apart from how its builder works."""

    code: str
    """The task code of the CLI and the workspace (`somekit build WS CODE`, items/CODE/)."""
    title: str
    """Name of the task, for cards, reports and help texts."""
    asks: str
    """What one item asks the agent, in one sentence (cards, datasheets, review guides)."""
    hf_category: str
    """The Hugging Face task category of the published config."""
    item: type[ItemBase]
    """The pydantic item model (schemas/items.py)."""
    options: type[TaskOptions]
    """The typed `[tasks.CODE.options]` model (schemas/task_options.py)."""
    builder: str
    """Module that registers the task's builder; imported on first use, so one task's optional
    extras are not needed to build the others."""
    group_key: tuple[str, ...]
    """Attribute paths of the item whose values (joined by ':') name its split group."""
    group_doc: str
    """The group key as the manifest and the card describe it."""
    eval_kind: EvalKind
    """How answers are scored: label extraction + accuracy, an LLM judge, or action F1."""
    label_field: str | None = None
    """Field of the answer that holds the class label (None: free-text or action-set answers)."""
    label_kind: str | None = None
    """Vocabulary of that label (answers/labels.py: yesno, emotion, mid, rumor)."""
    some_name: str | None = None
    """The task's folder under SoMe's `datasets/` (None: SoMe has no such task)."""
    user_centric: bool = False
    """Items ask about one user: one split namespace for all such tasks, so a user sits in one split."""
    paired: bool = False
    """A yes/no task built as (positive, negative) pairs over user-post interactions."""
    audited: bool = False
    """The one-feature shortcut audit (verify/shortcuts.py) gates its freeze."""
    needs: Needs = "social"
    """What the corpus must hold to build it."""
    baseline_answer: str | None = None
    """The fixed answer of the trivial baseline `somekit run` scores at the end (None: no baseline)."""
    offline_drafter: str | None = None
    """Name of the drafter grounded in the data that runs without an LLM (drafted tasks only)."""
    agent_database: tuple[str, ...] = ()
    """Folders of SoMe's agent database (`database/...`) the task's agent reads."""
    some_nested_by: str | None = None
    """Input field SoMe's ground truth nests a user's entries under (ubp: one list per action)."""
    negative: Literal["not-interacted", "other-comment"] | None = None
    """How a paired task's 'no' items are drawn: a post the user never touched, or another user's
    comment under the same post."""
    comment_input: bool = False
    """An item may show a comment text (the asked comment, or the text of a comment action)."""
    audit_texts: tuple[str, ...] = ()
    """Free-text input fields an agent sees, read by the shortcut audit (presence, length, script)."""
    evidence: str | None = None
    """Where a drafted item lists the posts that support it (dotted path; a list is flattened)."""
    panel_labelled: bool = False
    """Labels come from a panel of machine voters (agreement and label quality are reported)."""
    label_score: LabelScore | None = None
    """How each item's label-quality score is made; it orders `review push --budget` (None: no score)."""
    time_split: bool = False
    """Split by time (whole threads per split, freeze/challenge.py) instead of by hashing groups."""
    judge_criteria: tuple[str, ...] = ()
    """What the LLM judge rates 0-5 against the reference (judged tasks; score = mean x 20)."""
    agent_visible: tuple[str, ...] = ()
    """Item `inputs` fields an agent may see: the published `inputs` column, the export, queries.
    Every input field is declared here or in `reviewer_only`; publish refuses an undeclared one."""
    reviewer_only: tuple[str, ...] = ()
    """Item `inputs` fields for people and provenance only, never shown to an agent (the published
    `evidence` column; a challenge release keeps them with the withheld answers)."""
    labelled_texts: tuple[str, ...] = ()
    """Text fields of `inputs` the label was made from (UEA's comment, UCS's comment, UBP-comment's
    text): within one release no other task may show such a text (builders/reuse.py, verify/visibility.py)."""
    gold_key: tuple[str, ...] = ()
    """Item `inputs` fields that key the task's gold entries and predictions besides the item id
    (eval/gold.py, eval/match.py). User-centric tasks: the natural key, user + post and what else
    tells two questions apart ('action' for ubp, 'comment' for ucs); SoMe's gold nests them by user.
    Other tasks: the fields whose values, joined by '_', are the entry's key in a flat gold file (a
    MID claim id, an SMQ question, a RED '<start>_<end>_<location>'). Empty: the item id only."""
    gold_key_suffix: str = ""
    """What a gold file may append to that key ('.json': SoMe's MID files key a claim as '<id>.json',
    and our mid-zh export does the same)."""

    def input_side(self, name: str) -> str:
        """'agent' or 'reviewer' for one input field; an undeclared field is an error, never a guess."""
        if name in self.agent_visible and name in self.reviewer_only:
            raise ValueError(f"{self.code}: input field {name!r} is declared both agent-visible and reviewer-only")
        if name in self.agent_visible:
            return "agent"
        if name in self.reviewer_only:
            return "reviewer"
        raise ValueError(f"{self.code}: input field {name!r} is neither agent-visible nor reviewer-only; "
                         "declare it in somekit/schemas/tasks.py")

    def label_of(self, item: ItemBase) -> str | None:
        """The class label of an item of this task (None for free-text tasks)."""
        return getattr(item.answer, self.label_field) if self.label_field else None

    def evidence_of(self, item: ItemBase) -> list[str]:
        """Ids of the posts a drafted item cites as its support (empty for other tasks)."""
        if not self.evidence:
            return []
        values: list[Any] = [item]
        for part in self.evidence.split("."):
            values = [v for obj in values for v in _flat(getattr(obj, part))]
        return [str(v) for v in values]

    def group_of(self, item: ItemBase) -> str:
        """The split group of an item of this task."""
        return ":".join(str(_path(item, p)) for p in self.group_key)


def _flat(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _path(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


_USER = dict(group_key=("inputs.user_id",), group_doc="inputs.user_id", user_centric=True, audited=True,
             agent_database=("user_data", "post_data"))

TASK_TABLE: tuple[TaskSpec, ...] = (
    TaskSpec("ubp", "user behaviour prediction", "Will the user like, repost or comment on the post (yes/no)?",
             "text-classification",
             UBPItem, UBPOptions, "somekit.builders.tasks.ubp", gold_key=("user_id", "post_id", "action"),
             label_score="checks", eval_kind="classify", label_field="label",
             label_kind="yesno", some_name="user_behavior_prediction", paired=True, baseline_answer="是", some_nested_by="action",
             negative="not-interacted", comment_input=True, audit_texts=("text",),
             agent_visible=("user_id", "post_id", "action", "text"), labelled_texts=("text",), **_USER),
    TaskSpec("ucs", "user comment simulation", "Did the user write this comment under the post (yes/no)?",
             "text-classification",
             UCSItem, UCSOptions, "somekit.builders.tasks.ucs", gold_key=("user_id", "post_id", "comment"),
             label_score="checks", eval_kind="classify", label_field="label",
             label_kind="yesno", some_name="user_comment_silmulation", paired=True, baseline_answer="是", negative="other-comment",
             comment_input=True, audit_texts=("comment",),
             # the comment id is a source record id: the text is what the agent judges
             agent_visible=("user_id", "post_id", "comment"), reviewer_only=("comment_id",), labelled_texts=("comment",),
             **_USER),
    TaskSpec("mcr", "media content recommendation", "Would the user engage with the post, so should it be recommended (yes/no)?",
             "text-classification",
             MCRItem, MCROptions, "somekit.builders.tasks.mcr", gold_key=("user_id", "post_id"),
             label_score="checks", eval_kind="classify", label_field="label",
             label_kind="yesno", some_name="media_content_recommend", paired=True, baseline_answer="是", negative="not-interacted",
             agent_visible=("user_id", "post_id"), **_USER),
    TaskSpec("mid", "misinformation detection", "Is the claim true, half true or false?", "text-classification",
             MIDItem, MIDOptions, "somekit.builders.tasks.mid", group_key=("inputs.claim_id",),
             group_doc="inputs.claim_id", gold_key=("claim_id",),
             label_score="checks", eval_kind="classify", label_field="label", label_kind="mid",
             some_name="misinformation_detection", audited=True, needs="claims", baseline_answer="half",
             audit_texts=("claim",), agent_visible=("claim_id", "claim", "report_ids"),
             agent_database=("knowledge_data",)),
    TaskSpec("mid-zh", "Weibo rumour detection",
             "Is the Weibo post, seen with its cascade up to a cut-off and its users, a rumour?", "text-classification",
             MIDZhItem, MIDZhOptions, "somekit.builders.tasks.mid_zh", group_key=("inputs.event_id",),
             group_doc="inputs.event_id", gold_key=("post_id",), gold_key_suffix=".json",
             label_score="checks", eval_kind="classify", label_field="label", label_kind="rumor",
             needs="rumour-labels", agent_database=("user_data",),
             # the event id is the split group (built from CED's folders), not something to reason from
             agent_visible=("post_id", "text", "cutoff", "cascade_ids"), reviewer_only=("event_id",)),
    TaskSpec("uea", "user emotion analysis",
             "Which of 6 emotions will the user show toward the post, judged from their history?",
             "text-classification",
             UEAItem, UEAOptions, "somekit.builders.tasks.uea", gold_key=("user_id", "post_id"),
             label_score="votes", eval_kind="classify", label_field="emotion",
             label_kind="emotion", some_name="user_emotion_analysis", baseline_answer="无情绪", panel_labelled=True,
             # UEA predicts the emotion a user will show: the comment the label was read from stays hidden
             agent_visible=("user_id", "post_id"), reviewer_only=("comment_id", "comment"), labelled_texts=("comment",),
             **_USER),
    TaskSpec("smq", "social-media question answering", "Answer a question about one topic's or one user's posts.",
             "question-answering",
             SMQItem, SMQOptions, "somekit.builders.tasks.smq", group_key=("inputs.scope", "inputs.scope_id"),
             group_doc="inputs.scope:inputs.scope_id", gold_key=("question",),
             label_score="checks", eval_kind="judge", offline_drafter="data",
             some_name="social_media_question_answering", agent_database=("user_data", "topic_data"),
             evidence="answer.evidence_ids", judge_criteria=("accuracy",), agent_visible=("scope", "scope_id", "question")),
    TaskSpec("red", "real-time event detection",
             "Which events happened at the location in the one-hour window (title, summary, time, place)?",
             "summarization",
             REDItem, REDOptions, "somekit.builders.tasks.red", group_key=("inputs.location",),
             group_doc="inputs.location", gold_key=("window_start", "window_end", "location"),
             label_score="checks", eval_kind="judge", some_name="realtime_event_detection",
             offline_drafter="extractive", agent_database=("raw_data",), evidence="answer.events.post_ids",
             judge_criteria=("accuracy", "completeness", "relevance"), agent_visible=("location", "window_start", "window_end")),
    TaskSpec("ses", "streaming event summarisation", "Summarise the topic's event: time, place and plot.",
             "summarization",
             SESItem, SESOptions, "somekit.builders.tasks.ses", group_key=("inputs.topic",),
             group_doc="inputs.topic", gold_key=("topic",),
             label_score="checks", eval_kind="judge", some_name="streaming_event_summary",
             offline_drafter="extractive", agent_database=("topic_data",), evidence="inputs.post_ids",
             judge_criteria=("accuracy", "completeness"), agent_visible=("topic", "post_ids")),
    TaskSpec("nap", "next action prediction (persona)",
             "Given a persona cluster and a context thread, which actions does the user take next, with what text?",
             "text-generation",
             NAPItem, NAPOptions, "somekit.builders.tasks.nap", group_key=("inputs.cluster_id",),
             group_doc="provenance.notes.thread (time-ordered, freeze/challenge.py)", eval_kind="nap",
             needs="bluesky", time_split=True, agent_visible=("cluster_id", "user", "context")),
)

#: code -> spec, in the table's order (the order tasks are built, frozen and reported in).
TASKS: dict[str, TaskSpec] = {spec.code: spec for spec in TASK_TABLE}


class UnknownTask(SomekitError, ValueError):
    """A task code that is not in the table; the message lists the known codes."""


def task_spec(code: str) -> TaskSpec:
    """The spec of `code`, or UnknownTask naming every known code."""
    try:
        return TASKS[code]
    except KeyError:
        raise UnknownTask(f"unknown task {code!r}; choose from: {' '.join(TASKS)}") from None


def task_codes(**where: Any) -> tuple[str, ...]:
    """Codes of the tasks whose spec has every given attribute value, in table order
    (e.g. `task_codes(user_centric=True)`, `task_codes(eval_kind="judge")`)."""
    return tuple(s.code for s in TASK_TABLE if all(getattr(s, k) == v for k, v in where.items()))


def parse_task_options(task: str, raw: dict[str, Any] | None) -> TaskOptions:
    """The typed options of `task` from a raw `options` table; ValueError names the task and key."""
    model = task_spec(task).options
    try:
        return model.model_validate(raw or {})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'options'}: {e['msg'].removeprefix('Value error, ')}"
                             for e in exc.errors())
        raise ValueError(f"[tasks.{task}] options: {problems}") from None


def options_for(cfg: Any, task: str) -> TaskOptions:
    """The typed options of `task` in a loaded config (defaults when the task has no section)."""
    section = cfg.tasks.get(task) if cfg is not None else None
    return parse_task_options(task, section.options if section is not None else None)


def n_meaning(task: str) -> str:
    """What `--n` counts for `task`."""
    spec = TASKS.get(task)
    return spec.options.N_MEANING if spec else "items"


def task_codes_reading(folder: str) -> tuple[str, ...]:
    """Codes of the tasks whose agent reads `folder` of SoMe's agent database (e.g. topic_data)."""
    return tuple(s.code for s in TASK_TABLE if folder in s.agent_database)


@dataclass(frozen=True)
class RunSettings:
    """n, seed and typed options of one build, resolved once for every builder."""

    n: int | None
    """Items asked for (what it counts: the option model's N_MEANING); None: the builder's default."""
    seed: int
    options: TaskOptions


def resolve_run(cfg: Any, task: str, n: int | None = None, seed: int | None = None,
                overrides: dict[str, Any] | None = None) -> RunSettings:
    """A call argument beats `[tasks.<task>]`, which beats the global seed; option overrides (from
    Python callers) go through the task's typed options model like the file's options do."""
    section = cfg.tasks.get(task) if cfg is not None else None
    if n is None and section is not None and section.n:
        n = section.n
    if n is not None and n < 1:
        raise SomekitError(f"{task}: --n must be at least 1 (got {n})")
    if seed is None:
        seed = section.seed if section is not None and section.seed is not None else (cfg.seed if cfg is not None else 42)
    raw = {**((section.options or {}) if section is not None else {}), **(overrides or {})}
    return RunSettings(n, int(seed), parse_task_options(task, raw))
