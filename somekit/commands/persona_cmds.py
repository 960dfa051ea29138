"""`somekit persona remove`: takedown of one Bluesky user from a workspace."""

from __future__ import annotations

import click

from ..workspace import open_workspace
from .common import console, domain_errors, json_option, print_json, workspace_arg


@click.group("persona")
def persona_group() -> None:
    """Persona datasets (Bluesky): takedowns of users."""


@persona_group.command("remove")
@workspace_arg
@click.option("--user", "did", required=True, help="DID of the user to remove (did:plc:... or did:web:...).")
@json_option("what was removed")
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


@persona_group.command("honour-deletions")
@workspace_arg
@click.option("--events", "events", multiple=True, required=True, type=click.Path(dir_okay=False, exists=True),
              help="Jetstream JSON-lines file(s) to read account events from (repeatable).")
@json_option("the counts")
@domain_errors
def honour_cmd(ws: str, events: tuple[str, ...], as_json: bool) -> None:
    """Remove every account that Jetstream account events say is deleted or taken down (the
    same takedown as `persona remove`, once per account). Deactivated and suspended accounts are
    counted, not removed (they can come back). No DID is printed or logged.

    \b
    Examples:
      somekit persona honour-deletions myspace --events capture/2025-03-01.jsonl
    """
    from ..persona.deletions import honour_deletions

    w = open_workspace(ws)
    with w.run_log("persona honour-deletions", files=len(events)) as counts:
        report = honour_deletions(w, events)
        counts.update(report)
    if as_json:
        print_json(report)
    else:
        console.print(f"{report['accounts_removed']} deleted account(s) removed ({report['rows_removed']:,} records); "
                      f"{report['accounts_paused']} deactivated or suspended account(s) left in place")


def register(group: click.Group) -> None:
    group.add_command(persona_group)
