"""Typed items for every task, built directly with the item schemas (builders are written in
parallel), and the item <-> Parquet row round trip that freeze and publish rely on.

`make_items` is imported by the freeze, publish and eval tests.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from somekit.store.item_rows import items_to_table, table_to_items, task_schema
from somekit.schemas.items import (
    EMOTIONS, ITEM_CLASSES, Event, EventsAnswer, MIDAnswer, MIDInputs, MIDZhInputs, NAPInputs, NextActionAnswer,
    RumorAnswer,
    QAAnswer, REDInputs, SESInputs, SMQInputs, SummaryAnswer, UBPInputs, CommentInputs, UserPostInputs,
    YesNoAnswer, EmotionAnswer, item_id,
)
from somekit.schemas.provenance import LLMStep, Provenance, Vote
from somekit.schemas.tasks import TASKS
from somekit.schemas.review import Review

STATES = ("accepted", "corrected", "accepted", "draft", "rejected", "pending")


def _inputs(task: str, i: int):
    user = f"u{i % 7}"
    if task == "ubp":
        return UBPInputs(user_id=user, post_id=f"p{i}", action=("like", "repost", "comment")[i % 3], text=None if i % 2 else f"评论{i}")
    if task in ("ucs", "uea"):
        return CommentInputs(user_id=user, post_id=f"p{i}", comment_id=f"c{i}", comment=f"好幸福[抱一抱] {i}")
    if task == "mcr":
        return UserPostInputs(user_id=user, post_id=f"p{i}")
    if task == "mid":
        return MIDInputs(claim_id=f"claim{i}", claim=f"Claim number {i} is true.", report_ids=[f"r{i}", f"r{i + 1}"])
    if task == "mid-zh":
        return MIDZhInputs(post_id=f"p{i}", event_id=f"p{i - i % 2}", text=f"微博{i}", cutoff="2013-10-05 11:37:52",
                           cascade_ids=[f"c{i}"] if i % 3 else [])
    if task == "smq":
        return SMQInputs(scope="topic" if i % 2 else "user", scope_id=f"s{i % 4}", question=f"问题{i}？")
    if task == "red":
        return REDInputs(location=("新疆", "北京", "上海")[i % 3], window_start=f"2025-06-{1 + i // 23:02d} {i % 23:02d}:00:00", window_end=f"2025-06-{1 + i // 23:02d} {i % 23 + 1:02d}:00:00")
    if task == "ses":
        return SESInputs(topic=f"topic {i % 5}", post_ids=[f"p{i}"])
    return NAPInputs(cluster_id=i % 3, user=f"h{i}", context=[{"kind": "post", "text": f"ctx {i}", "rank": i, "meta": {"a": [1, None]}}])


def _answer(task: str, i: int):
    if task in ("ubp", "ucs", "mcr"):
        return YesNoAnswer(label="yes" if i % 2 == 0 else "no")
    if task == "uea":
        return EmotionAnswer(emotion=EMOTIONS[i % 6])
    if task == "mid":
        return MIDAnswer(label=("false", "half", "true")[i % 3], original_label=("pants-fire", "half-true", "true")[i % 3])
    if task == "mid-zh":
        return RumorAnswer(label=("rumor", "non-rumor")[i % 2], origin="ced:rumor-repost" if i % 2 == 0 else "ced:non-rumor-repost")
    if task == "smq":
        return QAAnswer(answer=f"答案{i}", evidence_ids=[f"p{i}"])
    if task == "red":
        return EventsAnswer(events=[Event(title=f"事件{i}", summary=f"摘要{i}", time="2025.06.01", location="新疆", post_ids=[f"p{i}"])])
    if task == "ses":
        return SummaryAnswer(summary=f"summary {i}", time="2025-01-20", place=None, plot="plot")
    return NextActionAnswer(actions=["like", "reply"] if i % 2 else ["post"], text=None if i % 2 == 0 else f"reply {i}")


def make_item(task: str, i: int, state: str = "accepted"):
    inputs = _inputs(task, i)
    answer = _answer(task, i)
    prov = Provenance(
        source_ids=[f"src{i}"], rule="positive:interaction" if i % 2 == 0 else "negative:not-interacted",
        seed=7, builder=f"{task}@1",
        llm=[LLMStep(step="vote", model="smollm2-135m", backend="embedded", prompt_id=f"{task}.vote@1",
                     votes=[Vote(voter="llm:a", value="yes", raw="是"), Vote(voter="llm:b", value=None, error="timeout")],
                     agreement=0.5)] if task in ("uea", "smq", "red", "ses") else [],
        notes={"similarity": 0.25, "pool": [1, 2]},
    )
    review = Review(state=state, reviewers=["ann@example.org"] if state in ("accepted", "corrected") else [],
                    at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc) if state != "draft" else None,
                    original_answer={"label": "no"} if state == "corrected" else None)
    cls = ITEM_CLASSES[task]
    return cls(id=item_id(task, inputs.model_dump(mode="json")), query=f"query {task} {i}", template_id=f"{task}.zh@1",
               lang="zh", inputs=inputs, answer=answer, provenance=prov, review=review)


def make_items(task: str, n: int = 24, states=STATES):
    return [make_item(task, i, states[i % len(states)]) for i in range(n)]


def test_every_task_round_trips_through_parquet_rows():
    for task in TASKS:
        items = make_items(task, 12)
        table = items_to_table(task, items)
        assert table.schema == task_schema(task)
        assert table_to_items(task, table) == items, task


def test_inputs_and_answers_are_typed_columns_not_json():
    schema = task_schema("red")
    assert pa.types.is_struct(schema.field("inputs").type)
    events = schema.field("answer").type.field("events").type
    assert pa.types.is_list(events) and pa.types.is_struct(events.value_type)
    # NAP context is open-ended (dicts of anything): kept as JSON text, decoded on read.
    assert schema.field("label").type == pa.string()
    assert task_schema("nap").field("inputs").type.field("context").type == pa.string()
