"""Typed task options: a typo is an error naming the nearest key, values are typed, and the
builders see the validated values (defaults filled in)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from somekit.cli import main
from somekit.schemas.tasks import TASKS, n_meaning, options_for, parse_task_options

TASK_OPTIONS = {code: spec.options for code, spec in TASKS.items()}
from somekit.workspace import open_workspace


def _write(ws, text: str) -> None:
    (ws.root / "somekit.toml").write_text((ws.root / "somekit.toml").read_text() + "\n" + text, encoding="utf-8")


def test_unknown_key_names_the_nearest_valid_key():
    with pytest.raises(ValueError, match=r"unknown option 'per_usr' \(did you mean 'per_user'\?\)"):
        parse_task_options("ubp", {"per_usr": 2})


def test_wrong_type_and_range_are_errors():
    with pytest.raises(ValueError, match=r"\[tasks.red\] options: threshold"):
        parse_task_options("red", {"threshold": "high"})
    with pytest.raises(ValueError, match="pool"):
        parse_task_options("mcr", {"pool": "everything"})


def test_every_task_has_a_model_and_an_n_meaning():
    for task, model in TASK_OPTIONS.items():
        assert model.model_validate({}) is not None
        assert n_meaning(task) and n_meaning(task) != "items", task


def test_config_with_a_typo_fails_to_load_and_cli_says_which_key(ws):
    _write(ws, "[tasks.ucs.options]\nmax_cosin = 0.8\n")
    result = CliRunner().invoke(main, ["build", str(ws.root), "ucs"])
    assert result.exit_code != 0
    assert "max_cosine" in result.output and "max_cosin" in result.output


def test_builders_see_typed_values(ws):
    _write(ws, "[tasks.ubp.options]\nper_user = 3\npool = \"window\"\n")
    cfg = open_workspace(ws.root).config()
    opts = options_for(cfg, "ubp")
    assert opts.per_user == 3 and opts.pool == "window" and opts.window == "month"
    assert options_for(cfg, "mcr").per_user == 2   # no section: defaults


def test_exposure_window_is_an_option_the_build_records(ws):
    # It was read with a default the model did not declare, so no config could change it.
    with pytest.raises(ValueError, match="exposure_days"):
        parse_task_options("mcr", {"exposure_days": -1})
    _write(ws, "[tasks.mcr.options]\nexposure_days = 3\n")
    result = CliRunner().invoke(main, ["build", str(ws.root), "mcr", "--json"])
    assert result.exit_code == 0, result.output
    from somekit.store.items import read_stats

    assert read_stats(open_workspace(ws.root), "mcr")["exposure_days"] == 3


@pytest.mark.parametrize(("task", "typo", "meant"), [("nap", "min_post", "min_posts"), ("uea", "pool_factr", "pool_factor")])
def test_python_option_overrides_go_through_the_typed_model(task, typo, meant, monkeypatch):
    # nap and uea used to swallow keyword options they did not name; now a typo names the nearest
    # key before any corpus is read, as it does for the other builders.
    from somekit.builders.registry import get_builder
    from somekit.persona.anonymise import SALT_ENV

    monkeypatch.setenv(SALT_ENV, "x" * 64)   # nap reads the persona salt first
    with pytest.raises(ValueError, match=rf"\[tasks.{task}\] options: .*did you mean '{meant}'"):
        get_builder(task)(None, None, **{typo: 3})
