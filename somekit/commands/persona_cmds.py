"""`somekit persona remove`: takedown of one Bluesky user from a workspace."""

from __future__ import annotations

import click

from ..workspace import open_workspace
from .common import console, domain_errors, print_json, workspace_arg


@click.group("persona")
def persona_group() -> None:
    """Persona datasets (Bluesky): takedowns of users."""


@persona_group.command("remove")
@workspace_arg
@click.option("--user", "did", required=True, help="DID of the user to remove (did:plc:... or did:web:...).")
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as one JSON object on stdout.")
@domain_errors
def remove_cmd(ws: str, did: str, as_json: bool) -> None:
    """Remove every trace of one user from WS: corpus rows, items, frozen and published files,
    review state, quarantine, run logs and caches (cache/llm.sqlite is VACUUMed), then scan
    every decoded file to prove nothing remains (exit 1 if something does).

    \b
    Examples:
      somekit persona remove myspace --user did:plc:ewvi7nxzyoun6zhxrhs64oiz
      somekit persona remove myspace --user did:web:example.com --json
    Set SOMEKIT_PERSONA_SALT as for the build so the user's anonymised items are found too.
    Other users' replies to the removed user are kept, with the link to the removed post cut.
    """
    from ..persona.takedown import remove_user

    w = open_workspace(ws)
    # The run log must not hold the DID it helps erase.
    with w.run_log("persona remove", user="<redacted>") as counts:
        report = remove_user(w, did)
        counts.update({"files_changed": report["files_changed"], "rows_removed": report["rows_removed"]})
    if as_json:
        print_json(report)
    else:
        console.print(f"removed {report['rows_removed']:,} records from {report['files_changed']} files; "
                      "no trace of the user remains")


def register(group: click.Group) -> None:
    group.add_command(persona_group)
