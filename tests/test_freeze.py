"""freeze and verify_frozen on real temporary workspaces (items made with the item schemas)."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

from somekit.cli import main
from somekit.freeze import FreezeError, freeze, load_manifest, read_frozen, verify_frozen
from somekit.freeze.splits import group_key
from somekit.store.items import write_items
from somekit.workspace import init_workspace, open_workspace

from .test_freeze_items import make_items

TASKS = ("ubp", "uea", "mid", "red", "nap")


def _set_splits(w, train, validation, test):
    text = w.config_path.read_text()
    text = re.sub(r"\[splits\]\n(?:.*\n)*?(?=\n\[)", f"[splits]\ntrain = {train}\nvalidation = {validation}\ntest = {test}\n", text)
    w.config_path.write_text(text)
    assert w.config().splits.train == train


@pytest.fixture
def filled(ws):
    _set_splits(ws, 0.5, 0.2, 0.3)
    for task in TASKS:
        write_items(ws, task, make_items(task, 60), stats={"items": 60, "agreement": {"fleiss_kappa": 0.41}})
    return ws


def test_freeze_keeps_only_reviewed_items_and_records_the_rest(filled):
    result = freeze(filled, "v1")
    m = result.manifest
    for task in TASKS:
        # STATES cycle: accepted, corrected, accepted, draft, rejected, pending -> 3 of 6 frozen.
        assert sum(m.counts[task].values()) == 30
        assert m.excluded[task] == {"review:draft": 10, "review:pending": 10, "review:rejected": 10}
        frozen = [i for s in ("train", "validation", "test") for i in read_frozen(filled, "v1", task, s)]
        assert {i.review.state for i in frozen} == {"accepted", "corrected"}
        originals = {i.id: i for i in make_items(task, 60)}
        assert all(originals[i.id] == i for i in frozen)
    assert m.labels["uea"] and sum(m.labels["uea"].values()) == 30
    assert m.include_unreviewed is False
    assert verify_frozen(filled, "v1") == []


def test_include_unreviewed_adds_drafts_but_never_rejected(filled):
    m = freeze(filled, "v1u", include_unreviewed=True).manifest
    assert m.include_unreviewed is True
    assert sum(m.counts["ubp"].values()) == 50
    assert m.excluded["ubp"] == {"review:rejected": 10}


def test_groups_never_span_splits_and_ratios_are_followed(filled):
    freeze(filled, "v1")
    where: dict[str, set[str]] = {}
    for split in ("train", "validation", "test"):
        for item in read_frozen(filled, "v1", "ubp", split):
            where.setdefault(group_key(item), set()).add(split)
    assert where and all(len(s) == 1 for s in where.values())
    assert len({s for v in where.values() for s in v}) >= 2  # 7 users over 3 splits: not all in one


def test_test_only_config_puts_everything_in_test(ws):
    write_items(ws, "mid", make_items("mid", 30))
    m = freeze(ws, "v1").manifest
    assert m.counts["mid"] == {"test": 15}
    assert sorted(m.files) == ["mid/test.parquet"]


def test_freezing_twice_gives_identical_hashes_and_bytes(filled, tmp_path):
    first = freeze(filled, "v1")
    manifest_bytes = (first.path / "MANIFEST.json").read_bytes()
    again = freeze(filled, "v1")
    assert again.unchanged is True
    assert (first.path / "MANIFEST.json").read_bytes() == manifest_bytes
    # A second workspace with the same items, config and corpus freezes to the same bytes.
    copy = tmp_path / "copy"
    shutil.copytree(filled.root, copy, ignore=shutil.ignore_patterns("frozen", "runs"))
    other = freeze(open_workspace(copy), "v1")
    assert {k: v.sha256 for k, v in other.manifest.files.items()} == {k: v.sha256 for k, v in first.manifest.files.items()}
    assert (other.path / "MANIFEST.json").read_bytes() == manifest_bytes


def test_refuses_to_overwrite_a_version_with_different_content(filled):
    freeze(filled, "v1")
    items = make_items("ubp", 60)
    items[0] = items[0].model_copy(update={"query": "changed"})
    write_items(filled, "ubp", items)
    with pytest.raises(FreezeError, match=r"already exists.*ubp/"):
        freeze(filled, "v1")
    assert verify_frozen(filled, "v1") == []  # the old version is untouched
    assert not [p for p in (filled.root / "frozen").iterdir() if p.name.startswith(".")]  # no staging left


def test_tampered_file_is_detected_and_named(filled):
    result = freeze(filled, "v1")
    target = result.path / "uea" / "test.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    (result.path / "extra.txt").write_text("sneaked in")
    (result.path / "red" / "stats.json").unlink()
    problems = verify_frozen(filled, "v1")
    assert any(p.startswith("uea/test.parquet: sha256") for p in problems)
    assert any(p.startswith("extra.txt: not listed") for p in problems)
    assert any(p == "red/stats.json: missing" for p in problems)
    assert len(problems) == 3


def test_manifest_carries_hashes_versions_and_no_secrets(filled, monkeypatch):
    monkeypatch.setenv("SOMEKIT_LLM_API_KEY", "sk-secret-value-123")
    m = freeze(filled, "v1").manifest
    assert re.fullmatch(r"[0-9a-f]{64}", m.config_hash) and re.fullmatch(r"[0-9a-f]{64}", m.corpus_hash)
    assert m.somekit_version and m.splits == {"train": 0.5, "validation": 0.2, "test": 0.3}
    assert m.group_keys["mid"] == "inputs.claim_id"
    assert "sk-secret" not in (filled.frozen("v1") / "MANIFEST.json").read_text()
    assert load_manifest(filled, "v1") == m


def test_bad_version_name_and_empty_workspace_are_clear_errors(filled, tmp_path):
    with pytest.raises(FreezeError, match="invalid version"):
        freeze(filled, "../evil")
    with pytest.raises(FreezeError, match="nothing to freeze"):
        freeze(init_workspace(tmp_path / "empty"), "v1")
    write_items(filled, "ses", make_items("ses", 6, states=("rejected",)))
    with pytest.raises(FreezeError, match="no accepted or corrected"):
        freeze(filled, "v9", tasks=["ses"])


def test_cli_freeze_json_and_errors(filled):
    runner = CliRunner()
    res = runner.invoke(main, ["freeze", str(filled.root), "--version", "v2", "--json"])
    assert res.exit_code == 0, res.output
    import json

    out = json.loads(res.stdout)
    assert out["counts"] == load_manifest(filled, "v2").counts
    assert verify_frozen(filled, "v2") == []
    res = runner.invoke(main, ["freeze", str(filled.root), "--version", "bad/name"])
    assert res.exit_code == 1 and "invalid version" in res.output
    assert "Examples" in runner.invoke(main, ["freeze", "--help"]).output


def test_cli_verify_version_rechecks_hashes(filled):
    import json

    result = freeze(filled, "v1")
    runner = CliRunner()
    res = runner.invoke(main, ["verify", str(filled.root), "--version", "v1", "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["ok"] is True and report["tasks"]["ubp"]["items"] == 30
    target = result.path / "nap" / "test.parquet"
    target.write_bytes(target.read_bytes() + b"x")
    res = runner.invoke(main, ["verify", str(filled.root), "--version", "v1", "--json"])
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    assert report["ok"] is False and [v["item"] for v in report["violations"]] == ["nap/test.parquet"]
    assert report["violations"] == [{"check": "frozen-hash", "task": "nap", "item": "nap/test.parquet", "detail": p}
                                    for p in verify_frozen(filled, "v1")]
    res = runner.invoke(main, ["verify", str(filled.root), "--version", "v1"])
    assert res.exit_code == 1 and "nap/test.parquet" in res.output
