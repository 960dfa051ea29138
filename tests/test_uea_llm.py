"""UEA with LLM voters: against a test server that answers exactly the request's JSON schema (as
vLLM/OpenAI structured outputs do; test-only, it counts calls) and against the REAL llama.cpp
server with SmolLM2 under a grammar. Valid votes by construction, zero calls on a re-run, ties to
review only, and a build whose votes mostly fail exits non-zero."""

from __future__ import annotations

import shutil
from collections import Counter

import orjson
from click.testing import CliRunner

from somekit.cli import main as cli
from somekit.schemas.items import EMOTIONS
from somekit.store.items import ITEMS_FILE, read_items, read_stats
from somekit.workspace import open_workspace


def _copy(ced_ws, tmp_path, name="ws"):
    root = tmp_path / name
    shutil.copytree(ced_ws.root, root)
    return root


def test_schema_server_build_60_items_with_three_valid_votes_each(ced_ws, tmp_path, schema_server, monkeypatch):
    """Acceptance: `build uea --n 60` on CED against a schema-following server."""
    monkeypatch.setenv("SOMEKIT_LLM_BASE_URL", schema_server.url)
    root = _copy(ced_ws, tmp_path)
    res = CliRunner().invoke(cli, ["build", str(root), "uea", "--n", "60", "--seed", "3", "--json"])
    assert res.exit_code == 0, res.output
    out = orjson.loads(res.stdout.strip().splitlines()[-1])["uea"]
    w = open_workspace(root)
    items = read_items(w, "uea")
    assert out["items"] == len(items) == 60
    label_enum = schema_server.schemas[0]["properties"]["label"]["enum"]
    assert sorted(label_enum) == sorted(EMOTIONS)                 # what we asked for can only be valid
    for it in items:
        votes = it.provenance.llm[0].votes
        assert len(votes) == 3 and all(v.value in EMOTIONS and v.error is None and v.method for v in votes)
        assert [v.voter for v in votes] == [f"llm:default@uea.vote@1@s{s}@t0.7" for s in (1, 2, 3)]
    stats = read_stats(w, "uea")
    assert stats["votes"]["failed"] == 0 and stats["votes"]["total"] == 3 * stats["pool"]
    assert stats["llm"]["calls"] == schema_server.calls == 3 * stats["pool"]
    # a re-run: every vote comes from the cache, zero calls at the server, same bytes
    first = (root / "items" / "uea" / ITEMS_FILE).read_bytes()
    calls = schema_server.calls
    again = CliRunner().invoke(cli, ["build", str(root), "uea", "--n", "60", "--seed", "3", "--json"])
    assert again.exit_code == 0, again.output
    assert schema_server.calls == calls
    assert (root / "items" / "uea" / ITEMS_FILE).read_bytes() == first


def test_ties_go_to_review_and_never_fill_a_class(ced_ws, tmp_path, schema_server, monkeypatch):
    from somekit.builders.tasks.uea import build
    from somekit.freeze.build import freeze

    schema_server.noise = 0.7                     # voters disagree often: many three-way ties
    monkeypatch.setenv("SOMEKIT_LLM_BASE_URL", schema_server.url)
    w = open_workspace(_copy(ced_ws, tmp_path))
    # more fear than the pool can give by majority: a shortfall that ties must not fill unreviewed
    result = build(w, w.config(), seed=4, targets={"fear": 20, "sad": 10}, show_progress=False)
    stats = result.stats
    items = read_items(w, "uea")
    ties = [it for it in items if len({v.value for v in it.provenance.llm[0].votes}) == 3]
    assert stats["shortfalls"]["fear"] > 0 and stats["ties"] > 0
    assert ties and len(ties) == stats["ties_to_review"] == min(stats["ties"], sum(stats["shortfalls"].values()))
    for it in ties:
        assert it.review.needs_review and it.provenance.rule == "label:no-majority" and "no majority" in it.review.note
    majority_counts = Counter(it.answer.emotion for it in items if it.provenance.rule == "label:majority-vote")
    assert stats["label_counts"] == {k: majority_counts.get(k, 0) for k in EMOTIONS}
    for label, want in stats["targets"].items():
        assert majority_counts.get(label, 0) + stats["shortfalls"].get(label, 0) == want
    assert any("need human review" in w_ for w_ in result.warnings)
    # verify agrees, and even --include-unreviewed does not freeze a tie under its suggested label
    from somekit.verify.runner import run_checks

    assert run_checks(w, ["uea"])["ok"]
    frozen = freeze(w, "v1", include_unreviewed=True, tasks=["uea"])
    assert frozen.manifest.excluded["uea"]["review:no-majority-unreviewed"] == len(ties)
    assert sum(frozen.manifest.counts["uea"].values()) == len(items) - len(ties)


def test_vote_failures_over_the_limit_exit_non_zero_with_reasons(ced_ws, tmp_path, schema_server, monkeypatch):
    schema_server.mode = "prose"                  # ignores the schema, never names a label
    monkeypatch.setenv("SOMEKIT_LLM_BASE_URL", schema_server.url)
    root = _copy(ced_ws, tmp_path)
    res = CliRunner().invoke(cli, ["build", str(root), "uea", "--n", "6", "--seed", "1"])
    assert res.exit_code == 1
    assert "votes failed" in res.output and "> 20%" in res.output and "invalid structured output" in res.output
    assert not (root / "items" / "uea" / ITEMS_FILE).exists()


def test_vote_failure_counting():
    from somekit.builders.tasks.uea import vote_failures
    from somekit.schemas.provenance import Vote

    rows = [[Vote(voter="a", value="sad"), Vote(voter="b", value=None, error="HTTP 500 from http://127.0.0.1:9/v1: boom")],
            [Vote(voter="a", value=None, error="no emotion label in the answer"),
             Vote(voter="b", value=None, error="HTTP 502 from http://127.0.0.1:7/v1: x")]]
    out = vote_failures(rows)
    assert out["total"] == 4 and out["failed"] == 3 and out["failure_rate"] == 0.75
    assert out["failure_reasons"] == {"HTTP N from URL": 2, "no emotion label in the answer": 1}


def test_llama_server_grammar_gives_three_valid_votes_and_no_calls_on_rerun(ced_ws, tmp_path, llama_server, monkeypatch):
    """The REAL llama.cpp server (SmolLM2): the enum in the schema becomes a grammar, so every vote
    is one of the six codes however weak the model is."""
    from somekit.builders.tasks.uea import build
    from tests.test_ses import tune_for_small_llm

    monkeypatch.setenv("SOMEKIT_LLM_BASE_URL", str(llama_server))
    w = open_workspace(_copy(ced_ws, tmp_path))
    tune_for_small_llm(w, "[tasks.uea.options]\npool_factor = 0.5\n")   # 3 comments, 9 calls
    before = llama_server.requests()
    result = build(w, w.config(), n=3, seed=2, show_progress=False)
    stats = result.stats
    assert stats["voters"] == [f"llm:default@uea.vote@1@s{s}@t0.7" for s in (1, 2, 3)]
    assert stats["votes"]["failed"] == 0 and stats["votes"]["total"] == 3 * stats["pool"] == 9
    items = read_items(w, "uea")
    assert items
    for it in items:
        votes = it.provenance.llm[0].votes
        assert len(votes) == 3 and all(v.value in EMOTIONS and v.error is None for v in votes)
        assert all(orjson.loads(v.raw)["label"] == v.value for v in votes)      # the grammar's JSON itself
    made = llama_server.requests() - before
    assert made >= 9
    build(w, w.config(), n=3, seed=2, show_progress=False)
    assert llama_server.requests() - before == made
