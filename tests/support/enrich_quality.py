"""Quality of the offline enrichment on media with known text: OCR character error rate and ASR
word/character error rates, plus throughput (used by bench/enrich.py and its regression test).

The media: the bundled sample (four images with Chinese + English text, one speech clip), plus
generated images with known zh/en lines (fonts-wqy-zenhei) and espeak-ng clips of known English
sentences. Everything runs through `enrich` itself (resolve, decode, model, cache, outputs), so
the figures are what builders will read.

Error rates are corpus-level (total edits / total reference units, via jiwer). Characters are
compared after lower-casing and dropping whitespace and punctuation: OCR engines join or split
words on a line freely ("Red Alert" -> "RedAlert"), and that is not an error a reader would
notice. Words likewise ignore case and punctuation.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#: Text drawn in / spoken by the bundled sample's media (scripts/make_sample.py).
SAMPLE_REFERENCES = {
    "rain_alert.png": "暴雨红色预警 Rainstorm Red Alert",
    "bus_notice.png": "公交临时停运 Bus Service Suspended",
    "marathon.png": "北京马拉松 2025 Beijing Marathon",
    "ev_launch.png": "新车发布 续航700公里 New EV Launch",
    "rain_warning.wav": "Heavy rain warning for Wuhan tonight. Please stay indoors.",
}
LINES = [("今天天气很好", "Hello World"), ("北京时间下午三点", "Breaking news 2024"),
         ("欢迎关注我们的微博", "Follow us today"), ("限时优惠五折", "Half price sale"),
         ("地铁二号线临时停运", "Metro line closed"), ("请勿靠近江边", "Keep away from the river")]
SPEECH = ["the quick brown fox jumps over the lazy dog",
          "please open the window before the meeting starts",
          "the weather will be sunny tomorrow morning in the city",
          "thank you for watching and see you next time"]


def norm_chars(text: str | None) -> str:
    return "".join(ch for ch in (text or "").lower() if unicodedata.category(ch)[0] not in "PZC")


def norm_words(text: str | None) -> str:
    kept = "".join(ch if unicodedata.category(ch)[0] not in "PC" else " " for ch in (text or "").lower())
    return " ".join(kept.split())


def cer(refs: list[str], hyps: list[str]) -> float:
    import jiwer

    pairs = [(norm_chars(r), norm_chars(h)) for r, h in zip(refs, hyps) if norm_chars(r)]
    edits = 0
    for r, h in pairs:
        if h:
            out = jiwer.process_characters(r, h)
            edits += out.substitutions + out.deletions + out.insertions
        else:  # jiwer refuses an empty hypothesis: everything was deleted
            edits += len(r)
    return edits / max(1, sum(len(r) for r, _ in pairs))


def wer(refs: list[str], hyps: list[str]) -> float:
    import jiwer

    pairs = [(norm_words(r), norm_words(h)) for r, h in zip(refs, hyps) if norm_words(r)]
    edits = 0
    for r, h in pairs:
        if h:
            out = jiwer.process_words(r, h)
            edits += out.substitutions + out.deletions + out.insertions
        else:
            edits += len(r.split())
    return edits / max(1, sum(len(r.split()) for r, _ in pairs))


def text_image(i: int) -> tuple[bytes, str]:
    """A zh + en text image and its reference text."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 36)
    img = Image.new("RGB", (640, 220), "white")
    draw = ImageDraw.Draw(img)
    zh, en = LINES[i % len(LINES)]
    zh, en = f"{zh} {i}", f"{en} #{i}"
    draw.text((20, 30), zh, font=font, fill="black")
    draw.text((20, 120), en, font=font, fill="black")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue(), f"{zh} {en}"


@dataclass
class QualitySet:
    """A workspace whose media have known text: media id -> (kind, reference, subset)."""

    ws: Any
    refs: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    audio_seconds: float = 0.0


def build_quality_set(root: Path, images: int = 8, clips: int = 3) -> QualitySet:
    """Write the workspace: bundled sample media + `images` generated images + `clips` espeak clips."""
    import pyarrow as pa

    from somekit.sample import WEIBO
    from somekit.store.parquet import arrow_schema, write_table
    from somekit.workspace import init_workspace
    from somekit.enrich.avio import SAMPLE_RATE, decode_audio

    ws = init_workspace(Path(root) / "ws")
    media_dir = ws.root / "media"
    media_dir.mkdir(exist_ok=True)
    qs = QualitySet(ws)
    media = []
    for name, ref in SAMPLE_REFERENCES.items():
        shutil.copyfile(WEIBO / "media" / name, media_dir / name)
        kind = "audio" if name.endswith(".wav") else "image"
        media.append({"id": f"s-{name}", "kind": kind, "uri": name})
        qs.refs[f"s-{name}"] = (kind, ref, "sample")
    for i in range(images):
        data, ref = text_image(i)
        (media_dir / f"img{i}.png").write_bytes(data)
        media.append({"id": f"g-img{i:03d}", "kind": "image", "uri": f"img{i}.png"})
        qs.refs[f"g-img{i:03d}"] = ("image", ref, "generated")
    for j in range(clips):
        sentence = SPEECH[j % len(SPEECH)]
        subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-w", str(media_dir / f"a{j}.wav"), sentence], check=True)
        media.append({"id": f"g-a{j:03d}", "kind": "audio", "uri": f"a{j}.wav"})
        qs.refs[f"g-a{j:03d}"] = ("audio", sentence, "generated")
    for m in media:
        m["post_id"] = f"p-{m['id']}"
        if m["kind"] == "audio":
            qs.audio_seconds += len(decode_audio((media_dir / m["uri"]).read_bytes())) / SAMPLE_RATE

    def table(name: str, rows: list[dict]) -> pa.Table:
        schema = arrow_schema(name)
        full = [{f: r.get(f, [] if pa.types.is_list(schema.field(f).type) else None) for f in schema.names} for r in rows]
        return pa.Table.from_pylist(full, schema=schema)

    write_table(ws.corpus / "posts.parquet", table("posts", [{"id": m["post_id"], "text": ""} for m in media]))
    write_table(ws.corpus / "media.parquet", table("media", media))
    return qs


def score(qs: QualitySet) -> dict[str, Any]:
    """Error rates of what enrich wrote for the set's media (run enrich first)."""
    from somekit.enrich.outputs import media_enrichments

    got = {r["media_id"]: r for r in media_enrichments(qs.ws).to_pylist()}
    out: dict[str, Any] = {}
    for subset in ("all", "sample", "generated"):
        pick = [(mid, ref) for mid, (kind, ref, sub) in qs.refs.items() if subset in ("all", sub)]
        imgs = [(ref, got.get(mid, {}).get("ocr") or "") for mid, ref in pick if qs.refs[mid][0] == "image"]
        auds = [(ref, got.get(mid, {}).get("transcript") or "") for mid, ref in pick if qs.refs[mid][0] == "audio"]
        if imgs:
            out[f"ocr_cer_{subset}"] = round(cer(*map(list, zip(*imgs))), 4)
        if auds:
            out[f"asr_wer_{subset}"] = round(wer(*map(list, zip(*auds))), 4)
            out[f"asr_cer_{subset}"] = round(cer(*map(list, zip(*auds))), 4)
    imgs = [(ref, got.get(mid, {}).get("ocr") or "") for mid, (kind, ref, _) in qs.refs.items() if kind == "image"]
    zh = [("".join(ch for ch in r if ord(ch) > 0x2E80), h) for r, h in imgs]
    en = [("".join(ch for ch in r if ord(ch) < 0x2E80), h) for r, h in imgs]
    # Per script: each reference keeps one script; insertions of the other script are not counted.
    out["ocr_cer_zh"] = round(_script_cer(zh, lambda ch: ord(ch) > 0x2E80), 4)
    out["ocr_cer_en"] = round(_script_cer(en, lambda ch: ord(ch) < 0x2E80), 4)
    return out


def _script_cer(pairs: list[tuple[str, str]], keep) -> float:
    return cer([r for r, _ in pairs], ["".join(ch for ch in h if keep(ch)) for _, h in pairs])


def run_and_score(qs: QualitySet) -> dict[str, Any]:
    """enrich (OCR + ASR, the offline defaults) over the set, timed, then scored."""
    from somekit.enrich.engine import enrich
    from somekit.enrich.settings import resolve_settings

    n_images = sum(1 for k, _, _ in qs.refs.values() if k == "image")
    t = time.perf_counter()
    ocr = enrich(qs.ws, resolve_settings(qs.ws, qs.ws.config(), ocr=True))
    ocr_s = time.perf_counter() - t
    t = time.perf_counter()
    asr = enrich(qs.ws, resolve_settings(qs.ws, qs.ws.config(), asr=True))
    asr_s = time.perf_counter() - t
    failures = ocr.failures + asr.failures
    return {**score(qs), "images": n_images, "audio_seconds": round(qs.audio_seconds, 2),
            "images_per_s_incl_load": round(n_images / ocr_s, 3),
            "audio_s_per_s_incl_load": round(qs.audio_seconds / asr_s, 3), "failures": len(failures)}
