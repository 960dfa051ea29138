"""What annotators see and answer, per task: label config XML, pre-annotations, parsed answers.

Each task type has a list of answer fields. Choice fields (yes/no, the 6 emotions, the MID labels,
NAP actions) are pre-annotated with the machine label; text fields (SMQ question and answer, SES
summary, RED events) are pre-filled with the LLM draft and come with an accept/reject verdict.
Classification tasks get an optional "reject item" flag for items that are broken as a whole.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable
from xml.sax.saxutils import quoteattr

from ...registry import Registry
from ...schemas.items import EMOTIONS, NAP_ACTIONS, ItemBase
from ...schemas.tasks import TASKS, TaskSpec
from . import guide as guide_text
from .guide import review_guide

TO_NAME = "query"
VERDICT = "verdict"          # accept/reject on text tasks
FLAG = "flag"                # optional reject on choice tasks
REJECT = "reject"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str                                   # "choice", "multi" or "text"
    get: Callable[[ItemBase], Any]              # machine value shown as pre-annotation
    choices: tuple[str, ...] = ()
    rows: int = 3


def _events_text(item: ItemBase) -> str:
    # One JSON object per line: annotators edit, add or delete lines; pull parses them back.
    return "\n".join(json.dumps(e.model_dump(mode="json"), ensure_ascii=False) for e in item.answer.events)


@dataclass(frozen=True)
class Form:
    """What people answer for one task: its fields, and how their values become an answer
    (`base` is the machine answer, so facts the reviewer does not edit stay recorded)."""

    fields: tuple[Field, ...]
    answer: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


#: Choice order per label vocabulary, as annotators see it.
CHOICES: dict[str, tuple[str, ...]] = {"yesno": ("yes", "no"), "emotion": EMOTIONS, "mid": ("true", "half", "false"),
                                       "rumor": ("rumor", "non-rumor")}
#: task -> its review form: every classification task gets one from the task table (the reviewed
#: label replaces the machine label, the answer's other facts stay); the free-text ones below.
FORMS: Registry[Form] = Registry("review form")


def _label_form(spec: TaskSpec) -> Form:
    field = spec.label_field or ""
    return Form((Field(field, "choice", spec.label_of, CHOICES[spec.label_kind or ""]),),
                lambda values, base: {**base, field: values[field]})


for _spec in TASKS.values():
    if _spec.label_field:
        FORMS.add(_spec.code, _label_form(_spec))
FORMS.add("smq", Form((Field("question", "text", lambda i: i.inputs.question, rows=2),
                       Field("answer", "text", lambda i: i.answer.answer, rows=4)),
                      lambda values, base: {**base, "answer": values["answer"].strip()}))
FORMS.add("ses", Form((Field("summary", "text", lambda i: i.answer.summary, rows=6),
                       Field("time", "text", lambda i: i.answer.time or "", rows=1),
                       Field("place", "text", lambda i: i.answer.place or "", rows=1),
                       Field("plot", "text", lambda i: i.answer.plot or "", rows=3)),
                      lambda values, base: {"summary": values["summary"].strip(),
                                            **{k: (values[k].strip() or None) for k in ("time", "place", "plot")}}))
FORMS.add("red", Form((Field("events", "text", _events_text, rows=8),),
                      lambda values, base: {"events": [json.loads(ln) for ln in values["events"].splitlines() if ln.strip()]}))
FORMS.add("nap", Form((Field("actions", "multi", lambda i: list(i.answer.actions), NAP_ACTIONS),
                       Field("text", "text", lambda i: i.answer.text or "", rows=3)),
                      lambda values, base: {"actions": values["actions"], "text": values["text"].strip() or None}))
#: task -> its answer fields (what the label config shows and pull parses)
FIELDS: dict[str, tuple[Field, ...]] = {code: form.fields for code, form in FORMS.items()}


def is_text_task(task: str) -> bool:
    return any(f.kind == "text" for f in FIELDS[task])


def label_config(task: str) -> str:
    """Label Studio XML for a task: query and context shown, then the answer fields."""
    title, *guide = review_guide(task, is_text_task(task))
    parts = ["<View>", f"  <Header value={quoteattr(title)} size=\"5\"/>"]
    parts += [f"  <Header value={quoteattr(line)} size=\"6\"/>" for line in guide]
    parts += ['  <Header value="Query (what the agent is asked)"/>', f'  <Text name="{TO_NAME}" value="$query"/>',
              f"  <Header value={quoteattr(guide_text.CONTEXT)}/>", '  <Text name="context" value="$context"/>']
    if task in guide_text.USER_POST_TASKS:
        parts += [f"  <Header value={quoteattr(guide_text.HISTORY)}/>", '  <Text name="history" value="$history"/>']
    if guide_text.GUIDES[task].evidence:
        parts += [f"  <Header value={quoteattr(guide_text.GUIDES[task].evidence)}/>", '  <Text name="evidence" value="$evidence"/>']
    for f in FIELDS[task]:
        parts.append(f"  <Header value={quoteattr(f.name)}/>")
        if f.kind == "text":
            parts.append(f'  <TextArea name="{f.name}" toName="{TO_NAME}" editable="true" maxSubmissions="1" '
                         f'rows="{f.rows}" transcription="true"/>')
        else:
            mode = "multiple" if f.kind == "multi" else "single-radio"
            required = "false" if f.kind == "multi" else "true"
            parts.append(f'  <Choices name="{f.name}" toName="{TO_NAME}" choice="{mode}" required="{required}" showInline="true">')
            parts.extend(f"    <Choice value={quoteattr(c)}/>" for c in f.choices)
            parts.append("  </Choices>")
    if is_text_task(task):
        parts.append('  <Header value="Verdict: accept the (edited) draft, or reject the item"/>')
        parts.append(f'  <Choices name="{VERDICT}" toName="{TO_NAME}" choice="single-radio" required="true" showInline="true">')
        parts.append('    <Choice value="accept"/>\n    <Choice value="reject"/>\n  </Choices>')
    else:
        parts.append(f'  <Choices name="{FLAG}" toName="{TO_NAME}" choice="single" showInline="true">')
        parts.append('    <Choice value="reject" hint="the item is broken (wrong query, unreadable post)"/>\n  </Choices>')
    parts.append("</View>")
    return "\n".join(parts)


def _region(name: str, kind: str, value: Any) -> dict[str, Any]:
    if kind == "text":
        return {"from_name": name, "to_name": TO_NAME, "type": "textarea", "value": {"text": [value]}}
    choices = list(value) if isinstance(value, (list, tuple)) else [value]
    return {"from_name": name, "to_name": TO_NAME, "type": "choices", "value": {"choices": choices}}


def machine_values(item: ItemBase) -> dict[str, Any]:
    return {f.name: f.get(item) for f in FIELDS[item.task]}


def prediction_result(item: ItemBase, values: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The pre-annotation: machine values per field (+ 'accept' on text tasks)."""
    values = values if values is not None else machine_values(item)
    result = [_region(f.name, f.kind, values[f.name]) for f in FIELDS[item.task]
              if not (f.kind == "multi" and not values[f.name])]
    if is_text_task(item.task):
        result.append(_region(VERDICT, "choice", "accept"))
    return result


def parse_result(task: str, result: list[dict[str, Any]]) -> dict[str, Any]:
    """Field values from one annotation's result regions (missing text fields come back as '')."""
    by_name = {r.get("from_name"): r.get("value", {}) for r in result or []}
    values: dict[str, Any] = {}
    for f in FIELDS[task]:
        v = by_name.get(f.name, {})
        if f.kind == "text":
            texts = v.get("text") or [""]
            values[f.name] = "\n".join(str(t) for t in texts) if isinstance(texts, list) else str(texts)
        elif f.kind == "multi":
            values[f.name] = sorted(v.get("choices") or [])
        else:
            values[f.name] = (v.get("choices") or [None])[0]
    verdict_field = VERDICT if is_text_task(task) else FLAG
    values["_reject"] = REJECT in (by_name.get(verdict_field, {}).get("choices") or [])
    return values
