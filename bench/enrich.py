"""Media enrichment throughput on this CPU: OCR images/s and ASR audio-seconds per second.

Builds a temporary workspace with N generated zh+en text images (wqy-zenhei font) and M
espeak-ng speech clips, then runs `enrich` end to end (resolve, sha256, decode, model, cache,
Parquet outputs). Baselines measured in the same run: the bare RapidOCR engine on the same
images (the pipeline's overhead ratio) and the all-cached re-run (the cache speed-up).
Needs espeak-ng and fonts-wqy-zenhei. The last line printed is one JSON object.

    python bench/enrich.py [--images 8] [--clips 3]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from somekit.builders.enrich import enrich, resolve_settings
from somekit.store.parquet import arrow_schema, write_table
from somekit.workspace import init_workspace

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
LINES = [("今天天气很好", "Hello World"), ("北京时间下午三点", "Breaking news 2024"),
         ("欢迎关注我们的微博", "Follow us today"), ("限时优惠五折", "Half price sale")]
SPEECH = ["the quick brown fox jumps over the lazy dog",
          "please open the window before the meeting starts",
          "the weather will be sunny tomorrow morning in the city",
          "thank you for watching and see you next time"]


def image(i: int) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 36)
    img = Image.new("RGB", (640, 220), "white")
    draw = ImageDraw.Draw(img)
    zh, en = LINES[i % len(LINES)]
    draw.text((20, 30), f"{zh} {i}", font=font, fill="black")
    draw.text((20, 120), f"{en} #{i}", font=font, fill="black")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def table(name: str, rows: list[dict]) -> pa.Table:
    schema = arrow_schema(name)
    full = [{f: r.get(f, [] if pa.types.is_list(schema.field(f).type) else None) for f in schema.names} for r in rows]
    return pa.Table.from_pylist(full, schema=schema)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=8)
    ap.add_argument("--clips", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="somekit-bench-enrich-"))
    ws = init_workspace(tmp / "ws")
    media_dir = ws.root / "media"
    media_dir.mkdir()
    media, posts = [], []
    for i in range(args.images):
        (media_dir / f"img{i}.png").write_bytes(image(i))
        media.append({"id": f"i{i:03d}", "post_id": f"p{i}", "kind": "image", "uri": f"img{i}.png"})
        posts.append({"id": f"p{i}", "text": ""})
    for j in range(args.clips):
        subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-w", str(media_dir / f"a{j}.wav"),
                        SPEECH[j % len(SPEECH)] + f" number {j}"], check=True)
        media.append({"id": f"a{j:03d}", "post_id": f"q{j}", "kind": "audio", "uri": f"a{j}.wav"})
        posts.append({"id": f"q{j}", "text": ""})
    write_table(ws.corpus / "posts.parquet", table("posts", posts))
    write_table(ws.corpus / "media.parquet", table("media", media))
    cfg = ws.config()

    # Warm both engines once (model load is a one-off per run, reported separately).
    from somekit.builders.enrich.engine import _Backends
    t = time.perf_counter()
    warm = _Backends(resolve_settings(ws, cfg, ocr=True, asr=True))
    ocr_engine, asr_engine = warm.get("ocr"), warm.get("transcript")
    load_s = time.perf_counter() - t

    from somekit.builders.enrich.avio import decode_audio, load_image
    imgs = [load_image((media_dir / f"img{i}.png").read_bytes()) for i in range(args.images)]
    t = time.perf_counter()
    for im in imgs:
        ocr_engine.read(im)
    bare_ocr_s = time.perf_counter() - t

    s_ocr = resolve_settings(ws, cfg, ocr=True)
    enrich_mod = __import__("somekit.builders.enrich.engine", fromlist=["_Backends"])
    enrich_mod._Backends.get = _reuse(enrich_mod._Backends.get, {"ocr": ocr_engine, "transcript": asr_engine})
    t, c = time.perf_counter(), time.process_time()
    r1 = enrich(ws, s_ocr)
    ocr_s, ocr_cpu = time.perf_counter() - t, time.process_time() - c
    assert r1.steps["ocr"]["done"] == args.images, r1.to_dict()

    audio_s = sum(len(decode_audio((media_dir / f"a{j}.wav").read_bytes())) / 16000 for j in range(args.clips))
    t, c = time.perf_counter(), time.process_time()
    r2 = enrich(ws, resolve_settings(ws, cfg, asr=True))
    asr_s, asr_cpu = time.perf_counter() - t, time.process_time() - c
    assert r2.steps["transcript"]["done"] == args.clips, r2.to_dict()

    t = time.perf_counter()
    r3 = enrich(ws, resolve_settings(ws, cfg, ocr=True, asr=True))
    cached_s = time.perf_counter() - t
    assert r3.steps["ocr"]["cached"] == args.images and r3.steps["transcript"]["cached"] == args.clips

    out = {
        "cpu_count": os.cpu_count(),
        # Wall-clock figures depend on what else runs; CPU-seconds figures much less so.
        "load_average_1m": round(os.getloadavg()[0], 2),
        "images": args.images, "clips": args.clips, "audio_seconds": round(audio_s, 2),
        "model_load_s": round(load_s, 2),
        "ocr_images_per_s": round(args.images / ocr_s, 3),
        "ocr_bare_engine_images_per_s": round(args.images / bare_ocr_s, 3),
        "ocr_pipeline_overhead_ratio": round(ocr_s / bare_ocr_s, 3),
        "ocr_cpu_s_per_image": round(ocr_cpu / args.images, 3),
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
