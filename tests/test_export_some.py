"""`somekit export --format some`: ground truth in exactly SoMe's shapes, a leak-free database.

The real CED corpus and small real LIAR-RAW/RAWFC files feed the builders; UEA/SMQ/RED/SES items are
written directly (their builders belong to other areas) to test only this exporter's shapes.
"""

from __future__ import annotations

import json
import re
import shutil

import orjson
import pytest
from click.testing import CliRunner

from somekit.builders.export_some import ExportError, check_export_leaks, export_some
from somekit.builders.ingest import ingest
from somekit.builders.registry import get_builder
from somekit.cli import main
from somekit.schemas.items import (CommentInputs, EmotionAnswer, Event, EventsAnswer, QAAnswer, REDInputs, REDItem,
                                   SESInputs, SESItem, SMQInputs, SMQItem, SummaryAnswer, UEAItem, item_id)
from somekit.schemas.provenance import Provenance
from somekit.store.items import read_items, write_items
from somekit.workspace import open_workspace

SOME_FILES = {
    "ubp": "user_behavior_prediction.json", "ucs": "user_comment_silmulation.json",
    "mcr": "media_content_recommend.json", "uea": "user_emotion_analysis.json",
    "mid": "misinformation_detection.json", "smq": "social_media_question_answering.json",
    "red": "realtime_event_detection.json", "ses": "streaming_event_summary.json",
}
FIELD = re.compile(r"^([a-z_]+|标题|摘要|时间|地点)$")


def shape(obj):
    """Structure of a JSON value: dicts keyed by data (ids, questions, claims) collapse to one
    '*' entry, lists to the set of their element shapes, scalars to their type name."""
    if isinstance(obj, dict):
        if obj and all(FIELD.match(k) for k in obj):
            return {k: shape(v) for k, v in sorted(obj.items())}
        inner = {json.dumps(shape(v), sort_keys=True) for v in obj.values()}
        return {"*": sorted(inner)}
    if isinstance(obj, list):
        return ["list", sorted({json.dumps(shape(v), sort_keys=True) for v in obj})]
    return type(obj).__name__


def labels(obj, keys=("label", "emotion")):
    if isinstance(obj, dict):
        found = {v for k, v in obj.items() if k in keys and isinstance(v, str)}
        return found.union(*(labels(v, keys) for v in obj.values()))
    if isinstance(obj, list):
        return set().union(*(labels(v, keys) for v in obj)) if obj else set()
    return set()


def _prov():
    return Provenance(source_ids=["test"], rule="test:direct", builder="test@1")


def _other_task_items(ws):
    """UEA/SMQ/RED/SES items on real CED ids, the way their builders would write them."""
    ucs = read_items(ws, "ucs")[:6]
    emotions = ["positive", "angry", "sad", "fear", "surprise", "emotionless"]
    uea = []
    for it, emo in zip(ucs, emotions):
        inputs = CommentInputs(**it.inputs.model_dump())
        uea.append(UEAItem(id=item_id("uea", inputs.model_dump()), query="q", template_id="uea.zh@1", inputs=inputs,
                           answer=EmotionAnswer(emotion=emo), provenance=_prov()))
    smq = [SMQItem(id=f"smq-{k}", query=f"问题{k}？", template_id="smq@1", provenance=_prov(),
                   inputs=SMQInputs(scope="user", scope_id=ucs[k].inputs.user_id, question=f"问题{k}？"),
                   answer=QAAnswer(answer=f"答案{k}")) for k in range(2)]
    red = [REDItem(id="red-1", query="q", template_id="red@1", provenance=_prov(),
                   inputs=REDInputs(location="新疆", window_start="2013-06-01 00:00:00", window_end="2013-06-01 01:00:00"),
                   answer=EventsAnswer(events=[Event(title="标题", summary="摘要", time="2013.06.01", location="乌鲁木齐")]))]
    ses = [SESItem(id="ses-1", query="q", template_id="ses@1", provenance=_prov(),
                   inputs=SESInputs(topic="话题 一", post_ids=[ucs[0].inputs.post_id]), answer=SummaryAnswer(summary="总结"))]
    for task, items in (("uea", uea), ("smq", smq), ("red", red), ("ses", ses)):
        write_items(ws, task, items)


def _liar(tmp_path):
    liar = tmp_path / "liar"
    liar.mkdir()
    claims = [{"event_id": str(k), "claim": f"Claim number {k}.", "label": lab, "original_label": lab, "explain": "",
               "reports": [{"report_id": "r", "link": f"https://e.org/{k}", "content": f"evidence {k}", "domain": "e.org",
                            "tokenized": []}]}
              for k, lab in enumerate(["true", "pants-fire", "half-true", "barely-true"])]
    (liar / "test.json").write_text(json.dumps(claims))
    return liar


@pytest.fixture(scope="module")
def exported(ced_ws, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("export")
    shutil.copytree(ced_ws.root, tmp / "ws")
    w = open_workspace(tmp / "ws")
    ingest(w, "liar-raw", [_liar(tmp)])
    for task in ("ubp", "ucs", "mcr", "mid"):
        get_builder(task)(w, w.config(), n=40, seed=2)
    _other_task_items(w)
    result = export_some(w, "draft", tmp / "out", include_unreviewed=True)
    return w, tmp / "out", result


@pytest.mark.parametrize("task", list(SOME_FILES))
def test_ground_truth_has_some_shape(exported, some_gt_dir, task):
    _, out, result = exported
    ours = orjson.loads((out / "datasets" / task / "ground_truth.json").read_bytes())
    theirs = orjson.loads((some_gt_dir / SOME_FILES[task]).read_bytes())
    if task == "ubp":  # CED has no likes: compare the actions we have, and keep the key
        assert set(ours) == set(theirs) and ours["like"] == {}
        for action in ("comment", "repost"):
            assert shape(ours[action]) == shape(theirs[action])
    else:
        assert shape(ours) == shape(theirs)
    if task in ("ubp", "ucs", "mcr", "uea", "mid"):  # tasks with a label vocabulary
        assert labels(ours) and labels(ours) <= labels(theirs)
    assert result.tasks[task] > 0


def test_yes_no_labels_are_chinese_and_both_present(exported):
    _, out, _ = exported
    for task in ("ucs", "mcr"):
        assert labels(orjson.loads((out / "datasets" / task / "ground_truth.json").read_bytes())) == {"是", "否"}


def test_database_layout_and_no_leaks(exported):
    w, out, result = exported
    assert result.removed["asked-interaction"] > 0
    assert check_export_leaks(out) == []
    posts = orjson.loads((out / "post_data" / "all_posts.json").read_bytes())
    kb = orjson.loads((out / "knowledge_data" / "knowledge_base.json").read_bytes())
    assert {"content", "link"} == set(kb[0]) and len(kb) == 4
    assert (out / "topic_data" / "话题 一.json").exists()
    asked = {(i.inputs.user_id, i.inputs.post_id) for t in ("ubp", "ucs", "mcr") for i in read_items(w, t)}
    assert {p for _, p in asked} <= set(posts)
    for uid in {u for u, _ in asked}:
        doc = orjson.loads((out / "user_data" / uid / f"{uid}.json").read_bytes())
        assert doc["user"]["id"] == uid and {"weibo", "likes"} <= set(doc)
        touched = {e.get("retweeted_id") for e in doc["weibo"]} | {e["weibo_id"] for e in doc["likes"]}
        assert not {p for u, p in asked if u == uid} & touched


def test_refuses_unfrozen_version_without_flag(exported, tmp_path):
    w, _, _ = exported
    with pytest.raises(ExportError, match="not frozen"):
        export_some(w, "v9", tmp_path / "x")


def test_exports_frozen_version(exported, tmp_path):
    from somekit import freeze
    w, _, _ = exported
    shutil.copytree(w.root, tmp_path / "ws")
    w2 = open_workspace(tmp_path / "ws")
    freeze.freeze(w2, "v1", include_unreviewed=True, tasks=["mcr"])
    result = export_some(w2, "v1", tmp_path / "out")
    assert result.tasks == {"mcr": len(read_items(w2, "mcr"))}


def test_export_cli(exported, tmp_path):
    w, _, _ = exported
    res = CliRunner().invoke(main, ["export", str(w.root), "--version", "draft", "--format", "some",
                                    str(tmp_path / "o"), "--include-unreviewed", "--task", "mcr", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    gt = orjson.loads((tmp_path / "o" / "datasets" / "mcr" / "ground_truth.json").read_bytes())
    assert summary["tasks"] == {"mcr": sum(len(v) for v in gt.values())} == {"mcr": len(read_items(w, "mcr"))}
    again = CliRunner().invoke(main, ["export", str(w.root), "--version", "nope", str(tmp_path / "p")])
    assert again.exit_code == 1 and "not frozen" in again.output
