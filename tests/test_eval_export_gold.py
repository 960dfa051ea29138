"""`somekit eval` scores our own export, for every classification task (mid-zh included): its
ground_truth.json files and the export folder itself as --gold. Bad gold is a clear error that
names the file and what was expected, never a traceback.

The export is the bundled demo sample (somekit demo's corpus: Weibo, LIAR, CED) built and
exported once for the module, the way tests/test_export_some.py does (UEA items written from
real sample posts; its builder needs LLM votes and is tested elsewhere). No emb_data: scoring
does not read it.
"""

from __future__ import annotations

import json

import orjson
import pytest
from click.testing import CliRunner

from somekit.export.some.writer import export_some
from somekit.ingest import ingest
from somekit.pipeline.build import build_task
from somekit.cli import main
from somekit.eval import EvalError, evaluate
from somekit.eval.some_gold import gold_file
from somekit.store.items import read_items
from somekit.workspace import init_workspace

from .test_export_some import _other_task_items

CLASSIFICATION = ("ubp", "ucs", "mcr", "uea", "mid", "mid-zh")


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory):
    from somekit.sample import CED, LIAR, WEIBO

    tmp = tmp_path_factory.mktemp("demo-export")
    w = init_workspace(tmp / "ws")
    ingest(w, "jsonl", [WEIBO])
    ingest(w, "liar-raw", [LIAR])
    ingest(w, "ced", [CED])
    for task in ("ubp", "ucs", "mcr", "mid"):
        build_task(w, w.config(), task, n=20, seed=7)
    # 5 + 5 synthetic CED posts fall outside every matching caliper: built unmatched, as the demo does
    build_task(w, w.config(), "mid-zh", n=20, seed=7, options={"match": []})
    _other_task_items(w)
    export_some(w, "draft", tmp / "out", include_unreviewed=True, embeddings=False)
    return w, tmp / "out"


@pytest.mark.parametrize("task", CLASSIFICATION)
def test_export_scores_itself_by_file_and_by_folder(demo_export, task):
    w, out = demo_export
    gt = gold_file(out, task)
    assert gt is not None and gt.is_file(), f"the export holds no ground truth for {task}"
    n_items = len(read_items(w, task))
    by_file = evaluate(task, gt, gt)
    by_folder = evaluate(task, out, gt)
    assert by_file["n"] == n_items > 0
    assert by_file["acc"] == by_folder["acc"] == 100.0 and by_file["tcr"] == 100.0
    assert by_file["gold_format"] == "some" and by_file["reading"]["parser_errors"] == {}

    res = CliRunner().invoke(main, ["eval", task, "--gold", str(out), "--pred", str(gt), "--json"])
    assert res.exit_code == 0, res.output
    cli = json.loads(res.stdout)
    assert {k: cli[k] for k in ("task", "n", "acc", "tcr")} == {k: by_folder[k] for k in ("task", "n", "acc", "tcr")}


def test_mid_zh_free_text_and_json_answers_against_the_export(demo_export, tmp_path):
    """An agent's mid-zh answers, in prose and JSON, scored against the export's own file."""
    _, out = demo_export
    gt = gold_file(out, "mid-zh")
    gold = orjson.loads(gt.read_bytes())
    prose = {"rumor": ['{"label": "rumor"}', "经核实，这是一条谣言。"], "non-rumor": ['{"label": "non-rumor"}', "This post is not a rumour."]}
    preds = {key: prose[row["veracity"]][i % 2] for i, (key, row) in enumerate(sorted(gold.items()))}
    pred = tmp_path / "mid_zh.json"
    pred.write_text(json.dumps(preds, ensure_ascii=False))
    result = evaluate("mid-zh", out, pred)
    assert result["n"] == len(gold) and result["acc"] == 100.0
    assert result["rules"].get("json", 0) == (len(gold) + 1) // 2


def test_bad_gold_names_the_file_and_what_was_expected(demo_export, tmp_path):
    _, out = demo_export
    # a folder without the task's ground truth
    with pytest.raises(EvalError, match=r"no ground truth for nap in it \(expected datasets/nap/ground_truth.json"):
        evaluate("nap", out, gold_file(out, "mid"))
    # a ground truth of the wrong shape
    broken = tmp_path / "ground_truth.json"
    broken.write_text(json.dumps({"123.json": "rumor"}))
    with pytest.raises(EvalError) as exc:
        evaluate("mid-zh", broken, broken)
    assert str(broken) in str(exc.value) and '"veracity": "rumor"|"non-rumor"' in str(exc.value)
    # a label outside the task's vocabulary
    broken.write_text(json.dumps({"1.json": {"claim": "c", "label": "maybe"}}))
    with pytest.raises(EvalError, match=r"ground_truth.json: 1.json: mid-zh: gold label 'maybe' is not one of"):
        evaluate("mid-zh", broken, broken)
    # a SoMe-shaped .json for a task SoMe has no ground truth for
    with pytest.raises(EvalError, match=r"no export holds for nap; expected its frozen split"):
        evaluate("nap", broken, broken)
    # not a parquet file at all
    fake = tmp_path / "test.parquet"
    fake.write_bytes(b"not parquet")
    with pytest.raises(EvalError, match=r"test.parquet: not a frozen ubp split"):
        evaluate("ubp", fake, broken)
    # the CLI: exit 1 with the message, no traceback
    for args in (["eval", "mid-zh", "--gold", str(broken), "--pred", str(broken)],
                 ["eval", "nap", "--gold", str(out), "--pred", str(broken)],
                 ["eval", "ubp", "--gold", str(fake), "--pred", str(broken)]):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 1 and "Traceback" not in res.output
        assert "expected" in res.output or "not one of" in res.output, res.output
