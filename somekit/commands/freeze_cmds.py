"""`somekit freeze` and `somekit publish`."""

from __future__ import annotations

import click

from ..workspace import open_workspace
from .common import console, domain_errors, json_option, print_json, workspace_arg


@click.command("freeze")
@workspace_arg
@click.option("--version", "version", required=True, help="Version name, e.g. v1 (letters, digits, . _ -).")
@click.option("--include-unreviewed", is_flag=True, help="Also freeze draft/pending items (marked in the manifest and card).")
@click.option("--task", "tasks", multiple=True, help="Freeze only these tasks (default: every built task).")
@json_option("the manifest summary")
@domain_errors
def freeze_cmd(ws: str, version: str, include_unreviewed: bool, tasks: tuple[str, ...], as_json: bool) -> None:
    """Freeze reviewed items into WS/frozen/VERSION/ with a MANIFEST.json of hashes.

    Only accepted or corrected items are frozen unless --include-unreviewed; rejected items never
    are. Splits come from [splits] in somekit.toml, assigned by hashing a group key (user, claim,
    topic or location) so a group never spans two splits; nap is split by time instead, whole
    threads per split, earliest to train (the challenge setting). Freezing the same content again
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
        with console.status(f"freezing {version} ..."):
            result = freeze(w, version, include_unreviewed=include_unreviewed, tasks=list(tasks) or None)
        counts.update({"counts": result.manifest.counts, "unchanged": result.unchanged})
    m = result.manifest
    if as_json:
        print_json({"version": version, "path": str(result.path), "unchanged": result.unchanged,
                    "counts": m.counts, "labels": m.labels, "excluded": m.excluded,
                    "files": {k: v.sha256 for k, v in m.files.items()}, "warnings": result.warnings,
                    "error_rates": m.error_rates})
        return
    state = "already frozen with identical content" if result.unchanged else "frozen"
    console.print(f"[bold]{version}[/] {state} -> {result.path}")
    for task, splits in m.counts.items():
        console.print(f"  {task}: " + ", ".join(f"{s} {n:,}" for s, n in splits.items()))
    for warning in result.warnings:
        console.print(f"  [yellow]note:[/] {warning}")




@click.command("publish")
@workspace_arg
@click.option("--version", "version", required=True, help="Frozen version to publish.")
@click.option("--to", "to", type=click.Path(file_okay=False), default=None, help="Write the exact Hub layout into this local folder.")
@click.option("--repo-id", default=None, help="Upload to this Hugging Face dataset repo (ORG/NAME); token from HF_TOKEN.")
@click.option("--hide-test-answers", is_flag=True, help="Publish the test split without answers; write them to a separate folder.")
@click.option("--answers-to", type=click.Path(file_okay=False), default=None,
              help="Folder for the hidden test answers (default WS/publish/VERSION-test-answers); never uploaded.")
@click.option("--private", is_flag=True, help="Create the Hub repo as private.")
@click.option("--embed-media", is_flag=True, help="Embed post images as datasets.Image (default: their paths/URLs).")
@click.option("--layout", type=click.Choice(["somekit", "blueprint"]), default="somekit", show_default=True,
              help="blueprint: nap as BluePrint's configs (one per cluster count K, split `full`).")
@json_option("what was published")
@domain_errors
def publish_cmd(ws: str, version: str, to: str | None, repo_id: str | None, hide_test_answers: bool, answers_to: str | None,
                private: bool, as_json: bool, embed_media: bool = False, layout: str = "somekit") -> None:
    """Publish frozen VERSION as a Hugging Face dataset: one config per task, explicit features
    (ClassLabel for labels) and a dataset card generated from the manifest and build stats.

    The version is re-verified against its manifest first; a tampered version is not published.

    \b
    Examples:
      somekit publish myspace --version v1 --to out/v1        # then datasets.load_dataset("out/v1", "ubp")
      HF_TOKEN=... somekit publish myspace --version v1 --repo-id my-org/some-bench
      somekit publish myspace --version v1 --to out/v1 --hide-test-answers --answers-to private/v1
      somekit publish myspace --version v1 --to out/bp --layout blueprint   # load_dataset("out/bp", "25_clusters")
    """
    from ..publish import publish

    w = open_workspace(ws)
    with w.run_log("publish", version=version, to=to, repo_id=repo_id, hide_test_answers=hide_test_answers) as counts:
        with console.status(f"publishing {version} ..."):
            result = publish(w, version, to=to, repo_id=repo_id, hide_test_answers=hide_test_answers,
                             answers_to=answers_to, private=private, embed_media=embed_media, layout=layout)
        counts.update({"configs": result.configs})
    if as_json:
        print_json({"version": version, "configs": result.configs, "path": str(result.path) if result.path else None,
                    "repo_url": result.repo_url, "answers": str(result.answers) if result.answers else None})
        return
    where = " and ".join(x for x in (str(result.path) if result.path else "", result.repo_url or "") if x)
    console.print(f"[bold]{version}[/] published -> {where}")
    for task, splits in result.configs.items():
        console.print(f"  {task}: " + ", ".join(f"{s} {n:,}" for s, n in splits.items()))
    if result.answers:
        console.print(f"  hidden test answers -> {result.answers} (keep private)")


def register(group: click.Group) -> None:
    group.add_command(freeze_cmd)
    group.add_command(publish_cmd)
