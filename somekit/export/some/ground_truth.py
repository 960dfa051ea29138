"""`datasets/<SoMe name>/ground_truth.json`: one writer per task, in the shape of SoMe's released
file for that task. Writers are registered by task code; a task without one has no SoMe shape."""

from __future__ import annotations

import collections
from typing import Any, Callable

from ...errors import SomekitError
from ...registry import Registry
from ...schemas.items import ItemBase

YESNO_ZH = {"yes": "是", "no": "否"}
EMOTION_ZH = {"positive": "积极", "angry": "愤怒", "sad": "悲伤", "fear": "恐惧", "surprise": "惊奇", "emotionless": "无情绪"}

Writer = Callable[[list[ItemBase]], dict[str, Any]]
#: task -> ground-truth writer; mid-zh's lives with the rest of its export (mid_zh.py)
WRITERS: Registry[Writer] = Registry("SoMe ground-truth shape", [__name__, "somekit.export.some.mid_zh"], SomekitError)


def ground_truth(task: str, items: list[ItemBase]) -> dict[str, Any]:
    """One task's ground_truth.json object, in the shape of SoMe's released file."""
    return WRITERS.lookup(task)(items)


def _by_user(items: list[ItemBase], entry) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        out.setdefault(item.inputs.user_id, []).append(entry(item))
    return out


@WRITERS.register("ubp")
def _ubp(items: list[ItemBase]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for action in ("like", "comment", "repost"):
        def entry(i, action=action):
            e: dict[str, Any] = {"weibo_id": i.inputs.post_id}
            if action != "like":
                e[action] = i.inputs.text or ""
            e["label"] = YESNO_ZH[i.answer.label]
            return e
        out[action] = _by_user([i for i in items if i.inputs.action == action], entry)
    return out


@WRITERS.register("ucs")
def _ucs(items: list[ItemBase]) -> dict[str, Any]:
    return _by_user(items, lambda i: {"weibo_id": i.inputs.post_id, "comment": i.inputs.comment,
                                      "label": YESNO_ZH[i.answer.label]})


@WRITERS.register("mcr")
def _mcr(items: list[ItemBase]) -> dict[str, Any]:
    return _by_user(items, lambda i: {"weibo_id": i.inputs.post_id, "label": YESNO_ZH[i.answer.label]})


@WRITERS.register("uea")
def _uea(items: list[ItemBase]) -> dict[str, Any]:
    return _by_user(items, lambda i: {"weibo_id": i.inputs.post_id, "emotion": EMOTION_ZH[i.answer.emotion]})


def _mid_keys(items: list[ItemBase]) -> list[str]:
    """SoMe keys claims by source file name ('<event_id>.json'); ids that collide across the two
    sources keep their dataset as a prefix."""
    events = [i.inputs.claim_id.split(":", 1)[-1] for i in items]
    seen = collections.Counter(events)
    return [f"{e}.json" if seen[e] == 1 else f"{i.inputs.claim_id.split(':', 1)[0]}_{e}.json" for e, i in zip(events, items)]


@WRITERS.register("mid")
def _mid(items: list[ItemBase]) -> dict[str, Any]:
    return {k: {"claim": i.inputs.claim, "label": i.answer.label} for k, i in zip(_mid_keys(items), items)}


@WRITERS.register("smq")
def _smq(items: list[ItemBase]) -> dict[str, Any]:
    return {i.inputs.question: i.answer.answer for i in items}


@WRITERS.register("red")
def _red(items: list[ItemBase]) -> dict[str, Any]:
    return {f"{i.inputs.window_start}_{i.inputs.window_end}_{i.inputs.location}":
            [{"标题": e.title, "摘要": e.summary, "时间": e.time, "地点": e.location} for e in i.answer.events]
            for i in items}


@WRITERS.register("ses")
def _ses(items: list[ItemBase]) -> dict[str, Any]:
    return {i.inputs.topic: i.answer.summary for i in items}
