"""One media item's enrichment, as both executors run it: read the bytes, check the sha256,
decode once, run each step and cache its result. A failure is recorded per item and step with a
reason and never stops the batch; decode failures are cached (the same bytes fail the same way),
backend failures are not, so the next run retries them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import EnrichCache, ShaIndex
from .report import EnrichReport
from .resolve import MediaError, confine, read_media
from .settings import EnrichSettings
from .step_backends import CAPTION_PROMPT, StepBackends


@dataclass
class RowResult:
    """One media item's outcome, made where the row ran (this process or a Ray worker) and folded
    into the report on the driver in media-id order, so the report reads the same either way."""

    row: dict[str, Any]
    counts: list[tuple[str, str]] = field(default_factory=list)       # (step, done/cached/failed/none)
    failures: list[dict[str, str]] = field(default_factory=list)
    unresolved: int = 0
    index: tuple[str, str, str, tuple[int, int] | None] | None = None  # (media id, uri, sha256, stat)
    retry: bool = False                                                # a backend failure: worth another try

    @property
    def ok(self) -> bool:
        return not self.failures

    def fold(self, report: EnrichReport, index: ShaIndex) -> dict[str, Any]:
        for step, outcome in self.counts:
            report.count(step, outcome)
        report.failures.extend(self.failures)
        report.unresolved += self.unresolved
        if self.index:
            index.record(*self.index)
        return self.row


class EnrichTask:
    """The per-row function of enrich, as both executors call it: read, hash, decode and run the
    steps of one media item, writing each result to the cache as it is made."""

    def __init__(self, settings: EnrichSettings, cache_root: Path):
        self.settings, self.cache_root = settings, Path(cache_root)
        self.backends: StepBackends | None = None

    def setup(self) -> None:
        self.backends = StepBackends(self.settings)

    def run(self, items: list[tuple[dict, list[str], str]]) -> list[RowResult]:
        cache = EnrichCache(self.cache_root)
        return [_work_row(m, steps, self.settings, cache, self.backends, ctx) for m, steps, ctx in items]

    def retryable(self, result: RowResult) -> bool:
        return result.retry

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings, "cache_root": self.cache_root, "backends": None}  # models stay home


def _local_stat(uri: str, s: EnrichSettings) -> tuple[int, int] | None:
    if uri.lower().startswith(("http://", "https://")):
        return None
    try:
        st = confine(uri, s.policy.roots).stat()
    except MediaError:
        return None
    return (st.st_size, st.st_mtime_ns)


def _new_row(m: dict) -> dict[str, Any]:
    return {"media_id": m["id"], "post_id": m.get("post_id"), "kind": m["kind"], "sha256": m.get("sha256"),
            "error": None}


def settled_row(m: dict, steps: list[str], s: EnrichSettings, cache: EnrichCache, backends: StepBackends,
                 index: ShaIndex) -> RowResult | None:
    """The row's result when it needs no work (nothing asked of its kind, or every step cached under
    a known sha256); None when it does."""
    row = _new_row(m)
    known = m.get("sha256") or index.lookup(m["id"], m["uri"], _local_stat(m["uri"], s))
    if known and all(cache.hit(known, st, backends.signature(st)) for st in steps):
        out = RowResult({**row, "sha256": known})
        for st in steps:
            _count_cached(out, m["id"], st, cache.hit(known, st, backends.signature(st)))
        return out
    if not steps:
        return RowResult(row)  # nothing asked of this kind, and its bytes were never read: nothing to show
    return None


def lost_row(m: dict, steps: list[str], reason: str) -> RowResult:
    """A row the executor could not deliver after its retries: failed, with the engine's reason."""
    out = RowResult({**_new_row(m), "error": f"executor: {reason}"})
    for st in steps:
        out.counts.append((st, "failed"))
        out.failures.append({"media_id": m["id"], "step": st, "reason": f"executor: {reason}"})
    return out


def _work_row(m: dict, steps: list[str], s: EnrichSettings, cache: EnrichCache, backends: StepBackends,
              context: str) -> RowResult:
    out = RowResult(_new_row(m))
    row, sha = out.row, m.get("sha256")
    try:
        data = read_media(m["uri"], m["kind"], s.policy)
        actual = hashlib.sha256(data).hexdigest()
        if sha and sha.lower() != actual:
            raise MediaError(f"sha256 mismatch: corpus says {sha[:12]}..., bytes are {actual[:12]}...")
        out.index = (m["id"], m["uri"], actual, _local_stat(m["uri"], s))
    except MediaError as exc:
        out.unresolved = 1
        row["error"] = str(exc)
        for st in steps:
            out.counts.append((st, "failed"))
            out.failures.append({"media_id": m["id"], "step": st, "reason": str(exc)})
        return out
    row["sha256"] = actual
    decoded: dict[str, Any] = {}
    for st in steps:
        sig = backends.signature(st)
        hit = cache.hit(actual, st, sig)
        if hit:
            _count_cached(out, m["id"], st, hit)
            continue
        entry = _run_step(st, m["kind"], data, decoded, s, backends, context)
        if entry.pop("cache", True):
            cache.put(actual, m["kind"], st, {**entry, "by": sig})
        else:  # not cached, so media.parquet learns of it from the row
            row["error"] = "; ".join(filter(None, [row["error"], f"{st}: {entry['error']}"]))
            out.retry = True
        outcome = "done" if entry["ok"] else ("none" if entry.get("none") else "failed")
        out.counts.append((st, outcome))
        if outcome == "failed":
            out.failures.append({"media_id": m["id"], "step": st, "reason": entry["error"]})
    return out


def _count_cached(out: RowResult, media_id: str, step: str, entry: dict[str, Any]) -> None:
    """A cached failure (the same bytes failed to decode before) is still a failed media item:
    a re-run over broken media must fail as loudly as the first run."""
    if entry.get("ok") or entry.get("none"):
        out.counts.append((step, "cached"))
        return
    out.counts.append((step, "failed"))
    out.failures.append({"media_id": media_id, "step": step, "reason": str(entry.get("error"))})


def _run_step(step: str, kind: str, data: bytes, decoded: dict, s: EnrichSettings, backends: StepBackends,
              context: str) -> dict[str, Any]:
    """One step on one item. Returns {ok, text | error}; `cache: False` marks a failure worth
    retrying next run, `none` an item with nothing to extract (a silent video)."""
    from . import avio

    backend = backends.get(step)  # outside the try: a missing package or endpoint stops the run
    try:
        if step == "transcript":
            if "audio" not in decoded:
                decoded["audio"] = avio.decode_audio(data)
            out = backend.transcribe(decoded["audio"])
            return {"ok": True, "text": out["text"], "language": out.get("language"),
                    "seconds": round(len(decoded["audio"]) / avio.SAMPLE_RATE, 3)}
        if "images" not in decoded:
            decoded["images"] = ([avio.load_image(data)] if kind == "image"
                                 else avio.sample_frames(data, s.video_frames))
        images = decoded["images"]
        if step == "ocr":
            return {"ok": True, "text": backend.read(images[0])}
        note = context[:500]
        if kind == "video":
            note = f"[video: {len(images)} frames in time order] {note}"
        text = backend.generate(images, CAPTION_PROMPT, s.lang, context=note)
        return {"ok": True, "text": text}
    except MediaError as exc:
        if "no audio stream" in str(exc):
            return {"ok": False, "none": True, "error": str(exc)}
        return {"ok": False, "error": str(exc)}
    except Exception as exc:  # a backend failure: recorded, not cached, retried next run
        return {"ok": False, "error": f"{type(exc).__name__}: {str(exc)[:300]}", "cache": False}
