"""Documentation cannot drift: the config reference is generated from the model, and every
command has help text with an example."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from somekit.cli import main
from somekit.config_reference import config_reference

ROOT = Path(__file__).resolve().parents[1]


def test_config_reference_matches_model():
    committed = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert committed == config_reference(), (
        "docs/configuration.md is stale: run `python -m somekit.config_reference > docs/configuration.md`")


def test_config_reference_lists_every_key():
    from somekit.schemas.config import Config

    text = config_reference()
    for name, field in Config.model_fields.items():
        assert f"`{name}`" in text or f"[{name}" in text


def _leaf_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _leaf_commands(cmd, prefix + (name,))
        else:
            yield prefix + (name,), cmd


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    commands = list(_leaf_commands(main))
    assert len(commands) >= 3
    missing = []
    for path, cmd in commands:
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        if not (cmd.help or "").strip() or "example" not in result.output.lower():
            missing.append(" ".join(path))
    assert not missing, f"commands without help text and an example: {missing}"
