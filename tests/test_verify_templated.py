"""`somekit verify`: each kind of planted violation is reported (real CED corpus, real files).

The planted items are written the way a buggy builder would write them; nothing is mocked.
"""

from __future__ import annotations

import json

import orjson
import pytest
from click.testing import CliRunner

from somekit.export.some.writer import export_some
from somekit.cli import main
from somekit.store.items import read_items, write_items
from somekit.verify import CHECKS, Violation, register_check
from somekit.verify.runner import run_checks
from somekit.verify.templated import runs_z
from tests.support.templated import N, built_templated, copy_of, with_inputs



@pytest.fixture(scope="module")
def clean(ced_ws, tmp_path_factory):
    """CED copy with ubp, ucs, mcr built; copied again by each test that plants something."""
    return built_templated(ced_ws, tmp_path_factory, "verify", seed=11)


@pytest.fixture
def ws(clean, tmp_path):
    return copy_of(clean, tmp_path)


_with_inputs = with_inputs


def _checks(report, task=None):
    return {v["check"] for v in report["violations"] if task is None or v["task"] == task}


def test_clean_build_passes(clean):
    report = run_checks(clean)
    assert report["ok"] and report["violations"] == []
    assert "ucs:ucs-comment" in report["checks_run"] and "mcr:negative-valid" in report["checks_run"]


@pytest.mark.parametrize("task", ["ubp", "mcr"])
def test_negative_the_user_interacted_with(ws, task):
    items = read_items(ws, task)
    k = next(i for i, it in enumerate(items) if it.answer.label == "yes")
    bad = _with_inputs(items[k], **({"text": None} if task == "ubp" else {}))
    items[k] = bad.model_copy(update={"answer": bad.answer.model_copy(update={"label": "no"})})
    write_items(ws, task, items)
    report = run_checks(ws, [task])
    assert not report["ok"]
    found = [v for v in report["violations"] if v["check"] == "negative-valid"]
    assert [v["item"] for v in found] == [items[k].id]
    assert items[k].inputs.user_id in found[0]["detail"]
    assert "label-balance" in _checks(report)


def test_duplicate_query(ws):
    items = read_items(ws, "mcr")
    write_items(ws, "mcr", items + [items[3]])
    report = run_checks(ws, ["mcr"])
    assert {"duplicate-id", "duplicate-query"} <= _checks(report)
    assert any(v["item"] == items[3].id and v["check"] == "duplicate-query" for v in report["violations"])


def test_ucs_negative_by_the_same_user(ws):
    items = read_items(ws, "ucs")
    positives = {i.inputs.comment_id: i for i in items if i.answer.label == "yes"}
    k = next(i for i, it in enumerate(items) if it.answer.label == "no")
    pos = positives[items[k].provenance.notes["anchor"]]
    items[k] = _with_inputs(items[k], comment_id=pos.inputs.comment_id, comment=pos.inputs.comment)
    write_items(ws, "ucs", items)
    report = run_checks(ws, ["ucs"])
    flagged = {v["check"] for v in report["violations"] if v["item"] == items[k].id}
    assert {"ucs-negative-same-user", "ucs-negative-content"} <= flagged


def test_leaked_interaction_in_export(ws, tmp_path):
    out = tmp_path / "export"
    export_some(ws, "draft", out, include_unreviewed=True)
    assert run_checks(ws, export_dirs=[out])["ok"]
    item = next(i for i in read_items(ws, "ubp") if i.answer.label == "no")
    uid = item.inputs.user_id
    path = out / "database" / "user_data" / uid / f"{uid}.json"
    doc = orjson.loads(path.read_bytes())
    doc["weibo"].append({"id": "planted", "text": "", "created_time": "2013-01-01 00:00:00", "kind": "repost",
                         "retweeted_id": item.inputs.post_id})
    path.write_bytes(orjson.dumps(doc))
    report = run_checks(ws, export_dirs=[out])
    leaks = [v for v in report["violations"] if v["check"] == "answer-leak"]
    assert len(leaks) == 1 and leaks[0]["item"] == uid and item.inputs.post_id in leaks[0]["detail"]


def test_ucs_comment_text_leak_in_export(ws, tmp_path):
    out = tmp_path / "export"
    export_some(ws, "draft", out, include_unreviewed=True)
    ucs = next(i for i in read_items(ws, "ucs") if i.answer.label == "no" and len(i.inputs.comment) > 8)
    some_user = sorted((out / "database" / "user_data").iterdir())[0]
    path = some_user / f"{some_user.name}.json"
    doc = orjson.loads(path.read_bytes())
    doc["weibo"].append({"id": "planted2", "text": "//" + ucs.inputs.comment + "!!", "created_time": None,
                         "kind": "comment", "retweeted_id": "elsewhere"})
    path.write_bytes(orjson.dumps(doc))
    leaks = [v for v in run_checks(ws, export_dirs=[out])["violations"] if v["check"] == "answer-leak"]
    assert leaks and "UCS comment" in leaks[0]["detail"]


def test_alternating_answer_order(ws):
    items = read_items(ws, "mcr")
    yes = [i for i in items if i.answer.label == "yes"]
    no = [i for i in items if i.answer.label == "no"]
    write_items(ws, "mcr", [x for pair in zip(yes, no) for x in pair])  # SoMe's released order
    report = run_checks(ws, ["mcr"])
    assert "answer-order" in _checks(report)
    assert runs_z(["yes", "no"] * 50, "yes") > 5 and abs(runs_z([i.answer.label for i in items], "yes")) < 5


def test_missing_provenance_source(ws):
    items = read_items(ws, "ubp")
    items[0] = items[0].model_copy(update={"provenance": items[0].provenance.model_copy(update={"source_ids": []})})
    write_items(ws, "ubp", items)
    report = run_checks(ws, ["ubp"])
    assert [v["item"] for v in report["violations"] if v["check"] == "provenance"] == [items[0].id]


def test_crashing_check_fails_verify(clean):
    @register_check("always-crashes", ["mcr"])
    def crash(ctx):
        raise RuntimeError("boom")
        yield Violation("x", "mcr", "", "")

    try:
        report = run_checks(clean, ["mcr"])
    finally:
        CHECKS.pop("always-crashes", None)
    assert not report["ok"] and "boom" in report["violations"][0]["detail"]


def test_verify_cli_json_and_exit_codes(ws):
    runner = CliRunner()
    ok = runner.invoke(main, ["verify", str(ws.root), "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout) == {**run_checks(ws), "ok": True}
    items = read_items(ws, "ucs")
    write_items(ws, "ucs", items + items[:2])
    bad = runner.invoke(main, ["verify", str(ws.root), "--json", "--task", "ucs"])
    assert bad.exit_code == 1
    out = json.loads(bad.stdout)
    assert out["ok"] is False and out["violation_counts"]["duplicate-id"] == 2
    assert out["tasks"] == {"ucs": {"items": 2 * N + 2, "labels": run_checks(ws, ["ucs"])["tasks"]["ucs"]["labels"]}}
    text = runner.invoke(main, ["verify", str(ws.root), "--task", "ucs"])
    assert text.exit_code == 1 and "duplicate-id" in text.output
