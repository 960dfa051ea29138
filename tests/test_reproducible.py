"""Reproducible bytes and one way to do each thing: the lock file covers what pyproject declares,
files are written with the user's umask, MANIFEST records the package versions (and a re-freeze
by another install is not a "different version"), one corpus-language rule, and a missing module
is an error rather than a quietly smaller CLI, check set or task list."""

from __future__ import annotations

import importlib.metadata as md
import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import duckdb
import orjson
import pytest
from packaging.requirements import Requirement

from somekit.store.language import corpus_lang, prompt_lang, text_lang
from somekit.freeze import freeze
from somekit.schemas.manifest import Manifest
from somekit.store.atomic import write_bytes, write_json
from somekit.store.items import write_items

from .test_freeze_items import make_items

ROOT = Path(__file__).resolve().parents[1]


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_lock_pins_every_declared_dependency_within_its_range():
    """scripts/setup.sh installs with -c requirements.lock: every dependency CI installs (core and
    the extras setup.sh --test asks for) must be pinned there, at a version pyproject allows."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = list(project["dependencies"])
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    extras = setup.split('-e ".[', 1)[1].split("]", 1)[0].split(",")     # what setup.sh --test installs
    assert "test" in extras and extras == (ROOT / "scripts" / "lock.sh").read_text().split('-e ".[', 1)[1].split("]", 1)[0].split(",")
    for extra in extras:
        declared += project["optional-dependencies"][extra]
    pins = _lock()
    missing, outside = [], []
    for spec in declared:
        req = Requirement(spec)
        name = req.name.lower().replace("_", "-")
        if name not in pins:
            missing.append(name)
        elif not req.specifier.contains(pins[name].split("+")[0], prereleases=True):
            outside.append(f"{name}=={pins[name]} not in {req.specifier}")
    assert not missing and not outside, f"re-run scripts/lock.sh: missing {missing}, outside {outside}"
    assert "-c requirements.lock" in (ROOT / "scripts" / "setup.sh").read_text().replace('"${lock[@]}"', "-c requirements.lock")


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_atomic_writes_follow_the_umask(tmp_path, mask):
    """Files are created the way open() would under the user's umask (mkstemp alone gives 0600)."""
    code = ("import os, sys; os.umask(int(sys.argv[2], 8)); "
            "from somekit.store.atomic import write_bytes; write_bytes(sys.argv[1], b'x')")
    target = tmp_path / "sub" / "f.bin"
    subprocess.run([sys.executable, "-c", code, str(target), oct(mask)], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    plain = tmp_path / "plain"
    old = os.umask(mask)
    try:
        plain.write_bytes(b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)


def test_items_frozen_files_and_published_folders_are_not_private(ws):
    old = os.umask(0o022)
    try:
        write_items(ws, "ubp", make_items("ubp", 20), stats={"items": 20})
        result = freeze(ws, "v1", include_unreviewed=True)
    finally:
        os.umask(old)
    files = [p for p in (ws.items("ubp")).iterdir()] + [p for p in result.path.rglob("*")] + [result.path]
    for p in files:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o755 if p.is_dir() else 0o644), (p, oct(mode))


def test_manifest_records_versions_and_refreeze_elsewhere_is_unchanged(ws):
    write_items(ws, "ubp", make_items("ubp", 20), stats={"items": 20})
    first = freeze(ws, "v1", include_unreviewed=True)
    env = first.manifest.environment
    assert env["duckdb"] == duckdb.__version__ and env["pyarrow"] == md.version("pyarrow")
    assert env["python"] == ".".join(map(str, sys.version_info[:3]))
    # The same content frozen by another install (other versions): the version stands as it is.
    path = first.path / "MANIFEST.json"
    data = orjson.loads(path.read_bytes())
    data["environment"]["duckdb"] = "0.0.1"
    os.chmod(path, 0o644)
    write_json(path, data)
    again = freeze(ws, "v1", include_unreviewed=True)
    assert again.unchanged and again.manifest.environment["duckdb"] == "0.0.1"
    # A content change is still refused.
    write_items(ws, "ubp", make_items("ubp", 22), stats={"items": 22})
    with pytest.raises(Exception, match="different content"):
        freeze(ws, "v1", include_unreviewed=True)
    assert Manifest.model_fields["environment"].description


def _posts_con(rows: list[tuple[str, str | None]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE posts (id VARCHAR, text VARCHAR, lang VARCHAR)")
    con.executemany("INSERT INTO posts VALUES (?, ?, ?)", [(str(i), t, lang) for i, (t, lang) in enumerate(rows)])
    return con


def test_one_corpus_language_rule_for_every_builder():
    from somekit.builders import sampling
    from somekit.drafters import topics
    from somekit.schemas.config import Config

    zh_untagged = _posts_con([("武汉今天下暴雨了", None), ("地铁停运", None)])
    en_untagged = _posts_con([("Heavy rain in Leeds today", None), ("Buses stopped", None)])
    en_tagged = _posts_con([("武汉", "en"), ("地铁", "en"), ("x", None)])      # tags win when most posts have one
    assert corpus_lang(zh_untagged) == "zh" and corpus_lang(en_untagged) == "en" and corpus_lang(en_tagged) == "en"
    assert corpus_lang(en_untagged, "zh") == "zh"                        # an explicit choice wins
    cfg = Config()
    cfg.workspace.lang = "zh"
    assert corpus_lang(en_untagged, None, cfg) == "zh" and corpus_lang(en_untagged, "auto", cfg) == "zh"
    # One entry point: the templated builders (sampling) and the drafted ones (topics) have none of their own.
    cfg.workspace.lang = "auto"
    for con in (zh_untagged, en_untagged, en_tagged):
        assert corpus_lang(con, None, cfg) == corpus_lang(con)
    assert text_lang(["hello", "世界你好"]) == "zh" and text_lang([""]) == "en"
    assert not any(hasattr(m, name) for m in (sampling, topics) for name in ("corpus_lang", "pick_lang"))


def test_eval_prompts_take_their_language_from_one_rule():
    from somekit.eval import classify, judge

    mostly_english = "The post is a rumour, as the reporter says: 谣言"
    assert prompt_lang(mostly_english) == "zh"                  # any Chinese character picks zh ...
    assert text_lang([mostly_english]) == "en"                  # ... where the corpus rule wants a fair share
    assert prompt_lang("yes, a rumour") == "en" and prompt_lang("") == "en"
    assert not any(hasattr(m, "_lang") for m in (classify, judge))


def test_missing_modules_are_errors_not_smaller_sets(monkeypatch):
    from somekit import verify
    from somekit.builders import registry
    from somekit.cli import main
    from somekit.commands import MODULES

    assert {m.__name__.rsplit(".", 1)[1] for m in MODULES} == {
        p.stem for p in (ROOT / "somekit" / "commands").glob("*_cmds.py")}
    for name in ("init", "ingest", "enrich", "build", "verify", "review", "freeze", "publish", "export", "eval",
                 "run", "demo", "corpus"):
        assert name in main.commands, name
    monkeypatch.setattr(verify, "CHECK_MODULES", verify.CHECK_MODULES + ("somekit.verify.not_written",))
    with pytest.raises(ModuleNotFoundError):
        verify.load_checks()
    monkeypatch.setitem(registry.BUILDER_MODULES, "zz", "somekit.builders.not_written")
    with pytest.raises(ModuleNotFoundError):
        registry.get_builder("zz")


def test_build_help_states_what_n_counts_for_every_task():
    from click.testing import CliRunner

    from somekit.builders.registry import BUILDER_MODULES
    from somekit.cli import main
    from somekit.schemas.tasks import n_meaning

    text = CliRunner().invoke(main, ["build", "--help"], terminal_width=200).output
    for task in BUILDER_MODULES:
        assert f"{task:<7} {n_meaning(task)}" in text, task
    assert "hourly (location, window) queries" in text and "QA items in total" in text
