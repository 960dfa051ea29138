"""`somekit init` and `somekit corpus stats`."""

from __future__ import annotations

import click
from rich.table import Table

from ..store.stats import corpus_stats
from ..templates import TEMPLATES
from ..workspace import init_workspace, open_workspace
from .common import console, domain_errors, json_option, print_json, workspace_arg


@click.command("init")
@workspace_arg
@click.option("--template", type=click.Choice(TEMPLATES), default="default", show_default=True,
              help="Config template: default (no sources), ced (a CED Weibo source), demo.")
@click.option("--name", default=None, help="Workspace name (default: the folder name).")
@domain_errors
def init_cmd(ws: str, template: str, name: str | None) -> None:
    """Create a workspace WS with a commented somekit.toml.

    \b
    Example:
      somekit init myspace --template ced
    An existing somekit.toml is kept as it is.
    """
    w = init_workspace(ws, template=template, name=name)
    console.print(f"workspace ready: {w.root} (edit {w.config_path})")


@click.group("corpus")
def corpus_group() -> None:
    """Inspect the ingested corpus."""


@corpus_group.command("stats")
@workspace_arg
@json_option()
@domain_errors
def stats_cmd(ws: str, as_json: bool) -> None:
    """Counts of posts, users, interactions by kind, media, reports and quarantined records.

    \b
    Example:
      somekit corpus stats myspace --json
    """
    stats = corpus_stats(open_workspace(ws))
    if as_json:
        print_json(stats)
        return
    table = Table(title=f"corpus of {ws}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key in ("posts", "users", "media", "reports", "claims", "quarantined"):
        table.add_row(key, f"{stats[key]:,}")
    for kind, n in stats["interactions"].items():
        table.add_row(f"interactions: {kind}", f"{n:,}")
    for reason, n in stats["quarantine_reasons"].items():
        table.add_row(f"quarantine: {reason}", f"{n:,}")
    console.print(table)


def register(group: click.Group) -> None:
    group.add_command(init_cmd)
    group.add_command(corpus_group)
