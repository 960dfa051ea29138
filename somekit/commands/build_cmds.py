"""`somekit build` and `somekit verify`."""

from __future__ import annotations

import click

from ..builders.registry import BUILDER_MODULES, get_builder
from ..workspace import open_workspace
from .common import console, domain_errors, print_json, workspace_arg


@click.command("build")
@workspace_arg
@click.argument("tasks", nargs=-1, required=True, type=click.Choice(list(BUILDER_MODULES)))
@click.option("--n", type=int, default=None, help="Items per bucket (task default from somekit.toml or SoMe's sizes).")
@click.option("--seed", type=int, default=None, help="Sampling seed (default from somekit.toml).")
@click.option("--lang", type=click.Choice(["auto", "zh", "en"]), default=None, help="Query language (default: corpus language).")
@click.option("--json", "as_json", is_flag=True, help="Print counts as one JSON object on stdout.")
@domain_errors
def build_cmd(ws: str, tasks: tuple[str, ...], n: int | None, seed: int | None, lang: str | None, as_json: bool) -> None:
    """Build items for TASKS (ubp ucs mcr mid mid-zh uea smq red ses nap) into WS/items/<task>/.

    \b
    Examples:
      somekit build myspace ubp ucs mcr --n 1000 --seed 7
      somekit build myspace uea --n 200
    Re-running with the same corpus, config and seed writes byte-identical item files.
    """
    w = open_workspace(ws)
    cfg = w.config()
    results = {}
    for task in tasks:
        builder = get_builder(task)
        with w.run_log(f"build {task}", n=n, seed=seed, lang=lang) as counts:
            kwargs = {"n": n, "seed": seed}
            if lang:
                kwargs["lang"] = lang
            result = builder(w, cfg, **kwargs)
            counts.update({"items": result.items, "stats": result.stats, "warnings": result.warnings})
        results[task] = {"items": result.items, "stats": result.stats, "warnings": result.warnings}
        if not as_json:
            console.print(f"[bold]{task}[/]: {result.items:,} items -> {w.items(task)}")
            for warning in result.warnings:
                console.print(f"  [yellow]warning:[/] {warning}")
    if as_json:
        print_json(results)


def register(group: click.Group) -> None:
    group.add_command(build_cmd)
    # `verify` is added by the verify command module once it exists.
    try:
        from .verify_cmds import verify_cmd
    except ModuleNotFoundError:
        return
    group.add_command(verify_cmd)
