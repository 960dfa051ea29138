"""`somekit report`."""

from __future__ import annotations

import click

from ..report import write_report
from ..workspace import open_workspace
from .common import console, domain_errors, print_json, workspace_arg


@click.command("report")
@workspace_arg
@click.option("--version", "version", default=None,
              help="Frozen version to report on (frozen/<V>/); without it, the built items as they stand.")
@click.option("--out", "out", default=None, type=click.Path(dir_okay=False),
              help="HTML file to write (default: WS/report/index.html).")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as one JSON object on stdout.")
@domain_errors
def report_cmd(ws: str, version: str | None, out: str | None, as_json: bool) -> None:
    """Write one self-contained HTML report of WS: figures, tables and samples.

    The page holds the label balance, shortcut audit, agreement and audited accuracy, covariate
    balance and length figures (inline PNG), the datasheet, and 5 items per label and task with
    their provenance. It needs no network and opens in any browser. Without --version it reports
    on the built items, so problems show before a freeze.

    \b
    Examples:
      somekit report myspace --version v1
      somekit report myspace --out /tmp/draft-report.html
    """
    w = open_workspace(ws)
    with w.run_log("report", version=version, out=out) as counts:
        result = write_report(w, version, out)
        summary = {"path": str(result.path), "source": result.source, "tasks": result.tasks,
                   "figures": result.figures, "samples": result.samples}
        counts.update(summary)
    if as_json:
        print_json(summary)
    else:
        console.print(f"report of {result.source}: {sum(result.tasks.values()):,} items, {len(result.figures)} figures, "
                      f"{result.samples} samples -> {result.path}")


def register(group: click.Group) -> None:
    group.add_command(report_cmd)
