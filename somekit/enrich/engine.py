"""The enrichment run: every corpus media item through the enabled steps, cached by sha256.

Per item: resolve the bytes (unless every needed step is already cached under a known sha256),
check the sha256, decode once, run each step. A failure is recorded per item and step with a
reason and never stops the batch. Decode failures are cached (the same bytes fail the same way);
backend failures (an endpoint down) are not, so the next run retries them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import SomekitError
from ..executors import Executor, get_executor
from ..store.parquet import read_table
from ..workspace import Workspace
from .cache import EnrichCache, ShaIndex
from .outputs import write_outputs
from .resolve import MediaError, confine, read_media
from .settings import EnrichSettings, resolve_settings

#: Steps per media kind, in run order.
KIND_STEPS = {"image": ("ocr", "caption"), "video": ("caption", "transcript"), "audio": ("transcript",)}
CAPTION_PROMPT = "image.caption@1"


@dataclass
class EnrichReport:
    media: int = 0
    steps: dict[str, dict[str, int]] = field(default_factory=dict)   # step -> done/cached/failed/none
    unresolved: int = 0                                               # media whose bytes could not be read
    failures: list[dict[str, str]] = field(default_factory=list)     # {media_id, step, reason}
    posts_enriched: int = 0
    attempted: int = 0                                                # media with at least one step asked
    executor: dict[str, Any] = field(default_factory=dict)            # where the rows ran (executors.MapStats)

    def failed_media(self) -> int:
        return len({f["media_id"] for f in self.failures})

    def failure_share(self) -> float:
        return self.failed_media() / self.attempted if self.attempted else 0.0

    def reason_counts(self) -> dict[str, int]:
        """Failures by reason, with file names and details dropped so like counts with like."""
        counts: dict[str, int] = {}
        for f in self.failures:
            reason = re.sub(r"'[^']*'|\"[^\"]*\"", "…", f["reason"]).split(":")[0].strip()
            key = f"{f['step']}: {reason}"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def check(self, max_share: float) -> None:
        """EnrichFailed when more than `max_share` of the media tried failed (a step that fails
        for most inputs is a broken step, not bad luck)."""
        if self.attempted and self.failure_share() > max_share:
            reasons = "; ".join(f"{k} ({v})" for k, v in self.reason_counts().items())
            raise EnrichFailed(f"{self.failed_media()} of {self.attempted} media failed "
                               f"({self.failure_share():.0%} > max_failure_share {max_share:.0%}): {reasons}")

    def count(self, step: str, outcome: str) -> None:
        bucket = self.steps.setdefault(step, {"done": 0, "cached": 0, "failed": 0, "none": 0})
        bucket[outcome] += 1

    def to_dict(self) -> dict[str, Any]:
        return {"media": self.media, "steps": self.steps, "unresolved": self.unresolved,
                "failed": len(self.failures), "failures": self.failures, "posts_enriched": self.posts_enriched,
                "attempted": self.attempted, "failed_media": self.failed_media(),
                "failure_share": round(self.failure_share(), 4), "reasons": self.reason_counts(),
                "executor": self.executor}


class EnrichFailed(SomekitError):
    """Too many media failed: the run's outputs are written, but the stage did not succeed."""


class _Backends:
    """Models are loaded on first use only: a run where everything is cached loads nothing."""

    def __init__(self, s: EnrichSettings):
        self.s = s
        self._made: dict[str, Any] = {}

    def get(self, step: str):
        if step not in self._made:
            self._made[step] = self._make(step)
        return self._made[step]

    def _make(self, step: str):
        from .vlm import get_vlm

        if step == "transcript":
            from .asr import get_asr
            return get_asr(self.s)
        if step == "caption":
            return get_vlm(self.s)
        from .ocr import RapidOCRBackend, VLMOCRBackend
        if self.s.ocr_backend == "rapidocr":
            return RapidOCRBackend(self.s)
        vlm = self._made.get("caption") if self.s.caption_backend == self.s.ocr_backend else None
        return VLMOCRBackend(vlm or get_vlm(self.s, self.s.ocr_backend), self.s.lang)

    def signature(self, step: str) -> str:
        """What the step's cached entry must have been made by, known without loading a model."""
        s = self.s
        if step == "transcript":
            default = {"faster-whisper": "whisper-base (embedded)", "whisper": "base", "openai": "whisper-1"}
            return f"{s.asr_backend}:{s.asr_model or default.get(s.asr_backend, '')}"
        if step == "caption":
            return f"{s.caption_backend}:{s.caption_model}:{CAPTION_PROMPT}"
        if s.ocr_backend == "rapidocr":
            return f"rapidocr:PP-OCRv4 zh+en:min_score={s.ocr_min_score:g}"
        return f"{s.ocr_backend}:{s.caption_model}:image.ocr@1"


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
        self.backends: _Backends | None = None

    def setup(self) -> None:
        self.backends = _Backends(self.settings)

    def run(self, items: list[tuple[dict, list[str], str]]) -> list[RowResult]:
        cache = EnrichCache(self.cache_root)
        return [_work_row(m, steps, self.settings, cache, self.backends, ctx) for m, steps, ctx in items]

    def retryable(self, result: RowResult) -> bool:
        return result.retry

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings, "cache_root": self.cache_root, "backends": None}  # models stay home


def enrich(ws: Workspace, settings: EnrichSettings | None = None,
           on_progress: Callable[[int, int], None] | None = None, executor: Executor | None = None) -> EnrichReport:
    """Enrich every media item of the corpus; write enrich/media.parquet and post_text.parquet.
    Rows already in the cache are settled here; the rest go to `executor` (default: [executor])."""
    s = settings or resolve_settings(ws, ws.config())
    executor = executor or get_executor(ws.config().executor)   # [executor] in somekit.toml
    wanted = {"ocr": s.ocr, "caption": s.captions, "transcript": s.asr}
    cache = EnrichCache(ws.enrich / "cache")
    backends = _Backends(s)      # the driver only asks it for signatures: no model is loaded here
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
        results[i] = _settled_row(m, steps, s, cache, backends, index)
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
            results[todo[j]] = _lost_row(*work[j][:2], reason)
        rows = [r.fold(report, index) for r in results]
    finally:
        index.save()  # an interrupted run keeps what it learnt
    report.executor = {**stats.to_dict(), **report.executor}
    report.posts_enriched = write_outputs(ws, rows, cache)
    return report


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


def _settled_row(m: dict, steps: list[str], s: EnrichSettings, cache: EnrichCache, backends: _Backends,
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


def _lost_row(m: dict, steps: list[str], reason: str) -> RowResult:
    """A row the executor could not deliver after its retries: failed, with the engine's reason."""
    out = RowResult({**_new_row(m), "error": f"executor: {reason}"})
    for st in steps:
        out.counts.append((st, "failed"))
        out.failures.append({"media_id": m["id"], "step": st, "reason": f"executor: {reason}"})
    return out


def _work_row(m: dict, steps: list[str], s: EnrichSettings, cache: EnrichCache, backends: _Backends,
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


def _run_step(step: str, kind: str, data: bytes, decoded: dict, s: EnrichSettings, backends: _Backends,
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


def _post_texts(ws: Workspace, post_ids: set[str]) -> dict[str, str]:
    if not post_ids:
        return {}
    posts = read_table(ws.corpus / "posts.parquet", "posts").select(["id", "text"]).to_pylist()
    return {p["id"]: p["text"] or "" for p in posts if p["id"] in post_ids}
