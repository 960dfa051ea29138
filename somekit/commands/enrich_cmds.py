"""`somekit enrich`."""

from __future__ import annotations

import click
from ..enrich import enrich, resolve_settings
from ..executors import get_executor, with_executor
from ..executors.progress import BatchProgress
from ..workspace import open_workspace
from .common import console, domain_errors, executor_options, json_option, print_json, workspace_arg


@click.command("enrich")
@workspace_arg
@click.option("--captions", "captions", is_flag=True, default=None, help="Caption images and videos with the VLM.")
@click.option("--ocr", "ocr", is_flag=True, default=None, help="OCR images.")
@click.option("--asr", "asr", is_flag=True, default=None, help="Transcribe speech in audio and videos.")
@click.option("--base-url", default=None, help="Vision endpoint for captions (beats SOMEKIT_VL_BASE_URL and the config).")
@click.option("--model", default=None, help="Caption model name or local path (beats SOMEKIT_VL_MODEL and the config).")
@executor_options
@json_option("the counts")
@domain_errors
def enrich_cmd(ws: str, captions: bool | None, ocr: bool | None, asr: bool | None, base_url: str | None,
               model: str | None, executor: str | None, ray_address: str | None, as_json: bool) -> None:
    """Add captions, OCR text and speech transcripts to the media of WS.

    With no step flag, runs the steps [enrich] in somekit.toml enables; with flags, exactly the
    ones given. Results are cached by media sha256 in WS/enrich/, so a re-run only does new work;
    a media item that cannot be read or decoded is recorded as failed with a reason and the run
    goes on; when more than [enrich] max_failure_share (default 0.2) of the media tried fail,
    the command exits 1 listing the reasons (the outputs are still written). Posts' texts end up in WS/enrich/post_text.parquet (post_id, caption, ocr, transcript).

    \b
    Examples:
      somekit enrich myspace                      # what the config enables
      somekit enrich myspace --ocr --asr --json
      somekit enrich myspace --captions --base-url http://gpu:8000/v1 --model Qwen/Qwen2.5-VL-7B-Instruct
      somekit enrich myspace --ocr --executor ray --ray-address 10.0.0.5:6379   # on a Ray cluster
    """
    w = open_workspace(ws)
    cfg = with_executor(w.config(), executor, ray_address)
    flags = {"captions": captions, "ocr": ocr, "asr": asr}
    if any(v for v in flags.values()):
        flags = {k: bool(v) for k, v in flags.items()}
    settings = resolve_settings(w, cfg, caption_base_url=base_url, caption_model=model, **flags)
    with w.run_log("enrich", **settings.public(), executor=cfg.executor.kind) as counts:
        quiet = as_json or cfg.executor.kind == "ray"   # ray: the executor draws its own bar
        with BatchProgress(None, "enrich", False if quiet else None, unit="media") as bar:
            report = enrich(w, settings, executor=get_executor(cfg.executor), on_progress=bar.update)
        result = report.to_dict()
        counts.update({k: v for k, v in result.items() if k != "failures"})
        counts["failures"] = result["failures"][:100]
    if as_json:
        print_json(result)
        report.check(w.config().enrich.max_failure_share)  # exit 1 with the reasons (stderr)
        return
    console.print(f"media: {report.media:,}  posts enriched: {report.posts_enriched:,}")
    for step, c in report.steps.items():
        console.print(f"{step:>11}: done {c['done']:,}, cached {c['cached']:,}, failed {c['failed']:,}, nothing to read {c['none']:,}")
    for f in report.failures[:20]:
        console.print(f"[yellow]failed[/] {f['media_id']} {f['step']}: {f['reason']}")
    if len(report.failures) > 20:
        console.print(f"... and {len(report.failures) - 20:,} more (see `somekit enrich --json` or enrich/media.parquet)")
    if report.reason_counts():
        console.print("failures by reason: " + ", ".join(f"{k} ({v:,})" for k, v in report.reason_counts().items()))
    report.check(w.config().enrich.max_failure_share)


def register(group: click.Group) -> None:
    group.add_command(enrich_cmd)
