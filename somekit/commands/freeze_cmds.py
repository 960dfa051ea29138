"""`somekit freeze` and `somekit publish`."""

from __future__ import annotations

import click

from ..workspace import open_workspace
from .common import console, domain_errors, print_json, workspace_arg


@click.command("freeze")
@workspace_arg
@click.option("--version", "version", required=True, help="Version name, e.g. v1 (letters, digits, . _ -).")
@click.option("--include-unreviewed", is_flag=True, help="Also freeze draft/pending items (marked in the manifest and card).")
@click.option("--task", "tasks", multiple=True, help="Freeze only these tasks (default: every built task).")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest summary as one JSON object on stdout.")
@domain_errors
def freeze_cmd(ws: str, version: str, include_unreviewed: bool, tasks: tuple[str, ...], as_json: bool) -> None:
    """Freeze reviewed items into WS/frozen/VERSION/ with a MANIFEST.json of hashes.

    Only accepted or corrected items are frozen unless --include-unreviewed; rejected items never
    are. Splits come from [splits] in somekit.toml, assigned by hashing a group key (user, claim,
    cluster, topic or location) so a group never spans two splits. Freezing the same content again
    is a no-op; freezing different content under an existing version is refused.

    \b
    Examples:
      somekit freeze myspace --version v1
      somekit freeze myspace --version v1-draft --include-unreviewed --json
      somekit verify myspace --version v1      # re-check every hash later
    """
    from ..freeze import freeze

    w = open_workspace(ws)
    with w.run_log("freeze", version=version, include_unreviewed=include_unreviewed) as counts:
        result = freeze(w, version, include_unreviewed=include_unreviewed, tasks=list(tasks) or None)
        counts.update({"counts": result.manifest.counts, "unchanged": result.unchanged})
    m = result.manifest
    if as_json:
        print_json({"version": version, "path": str(result.path), "unchanged": result.unchanged,
                    "counts": m.counts, "labels": m.labels, "excluded": m.excluded,
                    "files": {k: v.sha256 for k, v in m.files.items()}, "warnings": result.warnings})
        return
    state = "already frozen with identical content" if result.unchanged else "frozen"
    console.print(f"[bold]{version}[/] {state} -> {result.path}")
    for task, splits in m.counts.items():
        console.print(f"  {task}: " + ", ".join(f"{s} {n:,}" for s, n in splits.items()))
    for warning in result.warnings:
        console.print(f"  [yellow]note:[/] {warning}")


def register(group: click.Group) -> None:
    group.add_command(freeze_cmd)
