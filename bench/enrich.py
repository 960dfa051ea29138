"""Media enrichment quality and throughput on this CPU: OCR character error rate (zh, en,
bundled sample, generated), ASR word/character error rates, OCR images/s and ASR audio-seconds
per second.

Builds a temporary workspace with the bundled sample's media (4 zh+en images, 1 speech clip),
N generated zh+en text images (wqy-zenhei font) and M espeak-ng speech clips with known text
(somekit/enrich/quality.py), then runs `enrich` end to end (resolve, sha256, decode,
model, cache, Parquet outputs). Baselines measured in the same run: the bare RapidOCR engine on
the same images (the pipeline's overhead ratio) and the all-cached re-run (the cache speed-up).
Needs espeak-ng and fonts-wqy-zenhei. The last line printed is one JSON object.

    python bench/enrich.py [--images 8] [--clips 3]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from somekit.enrich import enrich, resolve_settings
from tests.support.enrich_quality import build_quality_set, score


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=8, help="generated zh+en images (plus the 4 bundled ones)")
    ap.add_argument("--clips", type=int, default=3, help="espeak-ng clips (plus the bundled one)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="somekit-bench-enrich-"))
    qs = build_quality_set(tmp, args.images, args.clips)
    ws, cfg = qs.ws, qs.ws.config()
    media_dir = ws.root / "media"
    image_files = [media_dir / uri for uri in sorted(p.name for p in media_dir.glob("*.png"))]
    n_images, n_clips = len(image_files), len(list(media_dir.glob("*.wav")))

    # Warm both engines once (model load is a one-off per run, reported separately).
    from somekit.enrich.step_backends import StepBackends
    t = time.perf_counter()
    warm = StepBackends(resolve_settings(ws, cfg, ocr=True, asr=True))
    ocr_engine, asr_engine = warm.get("ocr"), warm.get("transcript")
    load_s = time.perf_counter() - t

    from somekit.enrich.avio import load_image
    imgs = [load_image(p.read_bytes()) for p in image_files]
    t = time.perf_counter()
    for im in imgs:
        ocr_engine.read(im)
    bare_ocr_s = time.perf_counter() - t

    s_ocr = resolve_settings(ws, cfg, ocr=True)
    StepBackends.get = _reuse(StepBackends.get, {"ocr": ocr_engine, "transcript": asr_engine})
    t, c = time.perf_counter(), time.process_time()
    r1 = enrich(ws, s_ocr)
    ocr_s, ocr_cpu = time.perf_counter() - t, time.process_time() - c
    assert r1.steps["ocr"]["done"] == n_images, r1.to_dict()

    audio_s = qs.audio_seconds
    t, c = time.perf_counter(), time.process_time()
    r2 = enrich(ws, resolve_settings(ws, cfg, asr=True))
    asr_s, asr_cpu = time.perf_counter() - t, time.process_time() - c
    assert r2.steps["transcript"]["done"] == n_clips, r2.to_dict()

    t = time.perf_counter()
    r3 = enrich(ws, resolve_settings(ws, cfg, ocr=True, asr=True))
    cached_s = time.perf_counter() - t
    assert r3.steps["ocr"]["cached"] == n_images and r3.steps["transcript"]["cached"] == n_clips

    quality = score(qs)
    out = {
        "cpu_count": os.cpu_count(),
        # Wall-clock figures depend on what else runs; CPU-seconds figures much less so.
        "load_average_1m": round(os.getloadavg()[0], 2),
        "images": n_images, "clips": n_clips, "audio_seconds": round(audio_s, 2),
        "model_load_s": round(load_s, 2),
        **quality,
        "ocr_images_per_s": round(n_images / ocr_s, 3),
        "ocr_bare_engine_images_per_s": round(n_images / bare_ocr_s, 3),
        "ocr_pipeline_overhead_ratio": round(ocr_s / bare_ocr_s, 3),
        "ocr_cpu_s_per_image": round(ocr_cpu / n_images, 3),
        "asr_audio_seconds_per_s": round(audio_s / asr_s, 3),
        "asr_audio_seconds_per_cpu_s": round(audio_s / asr_cpu, 3),
        "first_run_s": round(ocr_s + asr_s, 2),
        "cached_rerun_s": round(cached_s, 3),
        "cache_speedup": round((ocr_s + asr_s) / cached_s, 1),
    }
    print(json.dumps(out))


def _reuse(original, made):
    """Hand the already-loaded engines to enrich(), so model loading is not timed as work."""
    def get(self, step):
        if step in made:
            return made[step]
        return original(self, step)
    return get


if __name__ == "__main__":
    main()
