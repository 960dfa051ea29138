"""`somekit verify`: benchmark-integrity checks over the built items (docs/architecture.md, "Integrity")."""

from __future__ import annotations

import sys

import click

from ..verify.runner import run_checks
from ..workspace import open_workspace
from .common import console, domain_errors, json_option, print_json, workspace_arg


@click.command("verify")
@workspace_arg
@click.option("--task", "tasks", multiple=True, help="Check only this task (repeatable; default: every built task).")
@click.option("--export", "exports", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Also check an exported SoMe folder for answer leaks and for every path and key SoMe's harness reads (repeatable).")
@click.option("--max-examples", type=int, default=20, show_default=True, help="Violations listed per check and task.")
@click.option("--version", "version", default=None, help="Instead, re-check every file of frozen/VERSION against its MANIFEST.json hashes.")
@json_option("the report")
@domain_errors
def verify_cmd(ws: str, tasks: tuple[str, ...], exports: tuple[str, ...], max_examples: int, as_json: bool,
               version: str | None = None) -> None:
    """Check items in WS for valid negatives, leaks, duplicates, order bias and provenance.

    Exits 1 when any check finds a violation, listing examples.

    \b
    Examples:
      somekit verify myspace
      somekit verify myspace --task ucs --json
      somekit verify myspace --export out/some-v1
      somekit verify myspace --version v1      # hashes of a frozen version
    """
    w = open_workspace(ws)
    if version:  # frozen-version integrity (issue 8): somekit.freeze.verify
        from ..freeze.verify import frozen_report

        report = frozen_report(w, version)
        if as_json:
            print_json(report)
        for v in [] if as_json else report["violations"]:
            console.print(f"[red]{v['check']}[/] {v['detail']}")
        if not as_json:
            console.print(f"[green]ok[/]: frozen/{version} matches its manifest" if report["ok"] else f"[red]{len(report['violations'])} problem(s)[/]")
        sys.exit(0 if report["ok"] else 1)
    with w.run_log("verify", tasks=list(tasks), exports=list(exports)) as counts:
        report = run_checks(w, tasks or None, exports, max_examples=max_examples)
        counts.update({"ok": report["ok"], "violations": report["violation_counts"]})
    if as_json:
        print_json(report)
    else:
        for task, info in report["tasks"].items():
            labels = ", ".join(f"{k}={v}" for k, v in info["labels"].items())
            console.print(f"[bold]{task}[/]: {info['items']:,} items {labels}")
        for v in report["violations"]:
            console.print(f"[red]{v['check']}[/] {v['task']} {v['item']}: {v['detail']}")
        total = sum(report["violation_counts"].values())
        console.print("[green]ok[/]: no violations" if report["ok"] else f"[red]{total} violation(s)[/]")
    if not report["ok"]:
        sys.exit(1)


def register(group: click.Group) -> None:
    group.add_command(verify_cmd)
