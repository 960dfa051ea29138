"""`somekit ingest`."""

from __future__ import annotations

import click
from ..executors.progress import BatchProgress
from ..ingest import ingest
from ..ingest.base import load_adapters
from ..ingest.summary import summary_table
from ..workspace import open_workspace
from .common import console, domain_errors, json_option, print_json, print_table, workspace_arg


@click.command("ingest")
@workspace_arg
@click.option("--format", "fmt", required=True, metavar="FORMAT",
              type=click.Choice(sorted(load_adapters())),
              help="Source format: ced, some-db, jetstream, liar-raw, rawfc, jsonl.")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--strict", is_flag=True, help="Any bad record is an error (exit 1); the corpus is left unchanged.")
@json_option("the counts")
@domain_errors
def ingest_cmd(ws: str, fmt: str, sources: tuple[str, ...], strict: bool, as_json: bool) -> None:
    """Ingest raw SOURCES (files or folders) into the corpus of WS.

    Bad records (malformed JSON, wrong types, missing ids, invalid UTF-8, NUL bytes, junk files,
    duplicates, dangling references) go to WS/corpus/quarantine/ with their file, location and
    reason. Ingesting the same source twice adds nothing.

    \b
    Examples:
      somekit ingest myspace --format ced ../data/ced-weibo
      somekit ingest myspace --format jetstream events-*.jsonl --strict
    """
    w = open_workspace(ws)
    with w.run_log("ingest", format=fmt, sources=list(sources), strict=strict) as counts:
        # total None: an ingest never knows how many records are left, so the bar shows the count so far
        with BatchProgress(None, f"ingest {fmt}", False if as_json else None, unit="records") as bar:
            report = ingest(w, fmt, sources, strict=strict, on_progress=bar.update)
        counts.update(report.to_dict())
    if as_json:
        print_json(report.to_dict())
        return
    print_table(summary_table(report), console)
    if report.quarantined:
        console.print(f"[yellow]quarantined {sum(report.quarantined.values()):,}:[/] " +
                      ", ".join(f"{k} {v:,}" for k, v in sorted(report.quarantined.items(), key=lambda kv: -kv[1])) +
                      f" (details in {w.quarantine})")
    else:
        console.print("nothing quarantined")


def register(group: click.Group) -> None:
    group.add_command(ingest_cmd)
