"""The enrichment run: every corpus media item through the enabled steps, cached by sha256.

Rows whose every needed step is already cached under a known sha256 are settled here; the rest go
to the executor, one media item per row (rows.py). The report (report.py) folds the rows in
media-id order, so it reads the same whichever executor ran them.
"""

from __future__ import annotations

from typing import Callable

from ..executors import Executor, get_executor
from ..store.parquet import read_table
from ..workspace import Workspace
from .cache import EnrichCache, ShaIndex
from .outputs import write_outputs
from .report import EnrichReport
from .rows import EnrichTask, RowResult, lost_row, settled_row
from .settings import EnrichSettings, resolve_settings
from .step_backends import StepBackends

#: Steps per media kind, in run order.
KIND_STEPS = {"image": ("ocr", "caption"), "video": ("caption", "transcript"), "audio": ("transcript",)}


def enrich(ws: Workspace, settings: EnrichSettings | None = None,
           on_progress: Callable[[int, int], None] | None = None, executor: Executor | None = None) -> EnrichReport:
    """Enrich every media item of the corpus; write enrich/media.parquet and post_text.parquet.
    Rows already in the cache are settled here; the rest go to `executor` (default: [executor])."""
    s = settings or resolve_settings(ws, ws.config())
    executor = executor or get_executor(ws.config().executor)   # [executor] in somekit.toml
    wanted = {"ocr": s.ocr, "caption": s.captions, "transcript": s.asr}
    cache = EnrichCache(ws.enrich / "cache")
    backends = StepBackends(s)      # the driver only asks it for signatures: no model is loaded here
    media = sorted(read_table(ws.corpus / "media.parquet", "media").to_pylist(), key=lambda r: r["id"])
    texts = _post_texts(ws, {m["post_id"] for m in media if m.get("post_id")})
    index = ShaIndex(ws.enrich / "media_index.json")
    report = EnrichReport(media=len(media))
    results: list[RowResult | None] = [None] * len(media)
    todo: list[int] = []
    done = 0
    for i, m in enumerate(media):
        steps = [st for st in KIND_STEPS.get(m["kind"], ()) if wanted[st]]
        report.attempted += bool(steps)
        results[i] = settled_row(m, steps, s, cache, backends, index)
        if results[i] is None:
            todo.append(i)
            continue
        done += 1
        if on_progress:
            on_progress(done, len(media))
    work = [(media[i], [st for st in KIND_STEPS[media[i]["kind"]] if wanted[st]],
             texts.get(media[i].get("post_id") or "", "")) for i in todo]
    if s.captions and s.caption_backend == "vllm" and executor.name == "ray":
        from .captions_vllm import caption_on_vllm   # GPU engines fill the cache; the rows below find it
        images = [{"uri": m["uri"], "kind": m["kind"], "sha256": m.get("sha256"), "context": ctx}
                  for m, steps, ctx in work if m["kind"] == "image" and "caption" in steps]
        report.executor["vllm_captions"] = caption_on_vllm(images, s, cache, backends.signature("caption"))

    def arrived(j: int, result: RowResult) -> None:
        nonlocal done
        results[todo[j]] = result
        done += 1
        if on_progress:
            on_progress(done, len(media))

    try:
        stats = executor.map(EnrichTask(s, cache.root), work, arrived, desc="enrich")
        for j, reason in stats.lost.items():
            results[todo[j]] = lost_row(*work[j][:2], reason)
        rows = [r.fold(report, index) for r in results]
    finally:
        index.save()  # an interrupted run keeps what it learnt
    report.executor = {**stats.to_dict(), **report.executor}
    report.posts_enriched = write_outputs(ws, rows, cache)
    return report


def _post_texts(ws: Workspace, post_ids: set[str]) -> dict[str, str]:
    if not post_ids:
        return {}
    posts = read_table(ws.corpus / "posts.parquet", "posts").select(["id", "text"]).to_pylist()
    return {p["id"]: p["text"] or "" for p in posts if p["id"] in post_ids}
