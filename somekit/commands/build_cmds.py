"""`somekit build`."""

from __future__ import annotations

import inspect

import click

from ..executors import get_executor, with_executor
from ..pipeline.build import build_task
from ..schemas.tasks import TASKS, n_meaning
from ..workspace import open_workspace
from .common import console, domain_errors, executor_options, json_option, print_json, workspace_arg


@click.command("build")
@workspace_arg
@click.argument("tasks", nargs=-1, required=True, type=click.Choice(list(TASKS)))
@click.option("--n", type=int, default=None,
              help="Size of each task's build; what it counts depends on the task (listed above). "
                   "Default: [tasks.<task>] n in somekit.toml, else the task's own default.")
@click.option("--seed", type=int, default=None, help="Sampling seed (default from somekit.toml).")
@click.option("--lang", type=click.Choice(["auto", "zh", "en"]), default=None, help="Query language (default: corpus language).")
@executor_options
@json_option("counts")
@domain_errors
def build_cmd(ws: str, tasks: tuple[str, ...], n: int | None, seed: int | None, lang: str | None,
              executor: str | None, ray_address: str | None, as_json: bool) -> None:
    """Build items for TASKS (ubp ucs mcr mid mid-zh uea smq red ses nap) into WS/items/<task>/.

    \b
    Examples:
      somekit build myspace ubp ucs mcr --n 1000 --seed 7
      somekit build myspace uea --n 200
      somekit build myspace uea --executor ray --ray-address 10.0.0.5:6379   # LLM votes on Ray
    Re-running with the same corpus, config and seed writes byte-identical item files.
    """
    w = open_workspace(ws)
    cfg = with_executor(w.config(), executor, ray_address)
    results = {}
    for task in tasks:
        remote = get_executor(cfg.executor) if cfg.executor.kind != "local" else None
        earlier = len(remote.summary()["maps"]) if remote else 0
        with w.run_log(f"build {task}", n=n, seed=seed, lang=lang, executor=cfg.executor.kind) as counts:
            result = build_task(w, cfg, task, n=n, seed=seed, lang=lang)
            counts.update({"items": result.items, "stats": result.stats, "warnings": result.warnings})
            if remote:   # where this task's LLM calls ran: rows, rounds, per-node throughput
                summary = remote.summary()
                counts["executor"] = {**summary, "maps": summary["maps"][earlier:]}
        results[task] = {"items": result.items, "stats": result.stats, "warnings": result.warnings}
        if not as_json:
            console.print(f"[bold]{task}[/]: {result.items:,} items -> {w.items(task)}")
            for warning in result.warnings:
                console.print(f"  [yellow]warning:[/] {warning}")
    if as_json:
        print_json(results)
    else:  # where to look before a freeze: figures and samples of what was just built
        console.print(f"review it in a browser: somekit report {ws}  (writes {w.root / 'report' / 'index.html'})")


# One stated meaning of --n per task, from the task's options model (schemas/task_options.py).
build_cmd.help = inspect.cleandoc(build_cmd.help or "") + "\n\n\b\nWhat --n counts:\n" + "\n".join(
    f"  {task:<7} {n_meaning(task)}" for task in TASKS)


def register(group: click.Group) -> None:
    group.add_command(build_cmd)
