"""`somekit init`, `somekit ingest`, `somekit corpus stats` through click's CliRunner; results are
checked through the library (corpus_stats, run logs), not only the printed text."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from somekit.cli import main
from somekit.sample import JETSTREAM, LIAR, WEIBO
from somekit.store.stats import corpus_stats
from somekit.workspace import open_workspace
from tests.test_ingest_helpers import corpus_digest, write_jsonl


@pytest.fixture
def runner():
    return CliRunner()


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


def test_init_ingest_stats_round_trip(runner, tmp_path):
    ws_dir = str(tmp_path / "w")
    _ok(runner.invoke(main, ["init", ws_dir, "--template", "demo"]))
    assert open_workspace(ws_dir).config().sources[0].format == "jsonl"
    res = _ok(runner.invoke(main, ["ingest", ws_dir, "--format", "jsonl", str(WEIBO), "--json"]))
    report = json.loads(res.stdout.strip().splitlines()[-1])
    ws = open_workspace(ws_dir)
    stats = corpus_stats(ws)
    assert report["added"]["posts"] == stats["posts"] > 0
    assert report["totals"]["interactions"] == sum(stats["interactions"].values())
    _ok(runner.invoke(main, ["ingest", ws_dir, "--format", "liar-raw", str(LIAR)]))
    _ok(runner.invoke(main, ["ingest", ws_dir, "--format", "jetstream", str(JETSTREAM)]))
    res = _ok(runner.invoke(main, ["corpus", "stats", ws_dir, "--json"]))
    printed = json.loads(res.stdout)
    assert printed == json.loads(json.dumps(corpus_stats(ws)))
    for key in ("posts", "users", "interactions", "media", "reports", "quarantined", "quarantine_reasons"):
        assert key in printed
    assert printed["claims"] == 4 and printed["media"] == 5
    # one run log per command, with the counts
    logs = [json.loads(p.read_text()) for p in ws.runs.glob("*.json")]
    ingests = [r for r in logs if r["stage"] == "ingest"]
    assert len(ingests) == 3 and all(r["status"] == "ok" and r["counts"]["added"] for r in ingests)


def test_ingest_reports_quarantine_and_strict_exit_code(runner, tmp_path):
    ws_dir = str(tmp_path / "w")
    _ok(runner.invoke(main, ["init", ws_dir]))
    _ok(runner.invoke(main, ["ingest", ws_dir, "--format", "jsonl", str(WEIBO)]))
    ws = open_workspace(ws_dir)
    before = {k: v for k, v in corpus_digest(ws).items() if not k.startswith("quarantine")}
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"type": "post", "id": "x1"}, b"{oops", {"type": "nope", "id": "y"}])
    res = runner.invoke(main, ["ingest", ws_dir, "--format", "jsonl", str(bad), "--strict"])
    assert res.exit_code == 1 and "--strict: 2 bad record(s)" in res.output and "Traceback" not in res.output
    assert {k: v for k, v in corpus_digest(ws).items() if not k.startswith("quarantine")} == before
    assert corpus_stats(ws)["quarantine_reasons"] == {"malformed-json": 1, "unknown-type": 1}
    err = [json.loads(p.read_text()) for p in ws.runs.glob("*.json") if "error" in p.read_text()]
    assert err and err[0]["status"] == "error"
    res = _ok(runner.invoke(main, ["ingest", ws_dir, "--format", "jsonl", str(bad)]))
    assert "quarantined 2" in res.output
    assert corpus_stats(ws)["quarantined"] == 2  # not duplicated by the second attempt


def test_ingest_errors_are_clean(runner, tmp_path):
    res = runner.invoke(main, ["ingest", str(tmp_path / "none"), "--format", "jsonl", str(WEIBO)])
    assert res.exit_code == 1 and "somekit init" in res.output
    _ok(runner.invoke(main, ["init", str(tmp_path / "w")]))
    res = runner.invoke(main, ["ingest", str(tmp_path / "w"), "--format", "csv", str(WEIBO)])
    assert res.exit_code == 2 and "csv" in res.output


@pytest.mark.parametrize("args", [["init"], ["ingest"], ["corpus", "stats"]])
def test_help_has_examples(runner, args):
    res = _ok(runner.invoke(main, [*args, "--help"]))
    assert "Example" in res.output and "somekit " in res.output
