"""Captions and VLM OCR.

- Endpoint path: a real HTTP server on 127.0.0.1 stands in for a vision endpoint (a 72B VLM
  cannot run here); it checks each request (model, prompt, base64 PNG data URL of the right
  image) and answers like an OpenAI-compatible server.
- Local path: a tiny randomly initialised Qwen2.5-VL built from a config, with a tokenizer trained
  here (no hub); its output is noise, so the test checks that the path runs and stores a result.
"""

from __future__ import annotations

import base64
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from somekit.enrich import enrich, media_enrichments, post_enrichments, resolve_settings
from somekit.cli import main
from somekit.workspace import init_workspace
from tests.test_enrich import make_corpus

SECRET = "sk-test-secret-do-not-store"


def png(color: str, size=(64, 48)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


class VisionServer:
    """Answers /v1/chat/completions; records every request body and its checks."""

    def __init__(self, expect_model: str):
        self.requests: list[dict] = []
        self.problems: list[str] = []
        self.fail_next = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"body": body, "auth": self.headers.get("Authorization")})
                if server.fail_next:
                    server.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                reply = server.answer(body, expect_model)
                data = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                                   "choices": [{"index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant", "content": reply}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def answer(self, body: dict, expect_model: str) -> str:
        if body.get("model") != expect_model:
            self.problems.append(f"model {body.get('model')!r}")
        user = body["messages"][-1]["content"]
        images = [p["image_url"]["url"] for p in user if p["type"] == "image_url"]
        text = " ".join(p["text"] for p in user if p["type"] == "text")
        digests = []
        for url in images:
            if not url.startswith("data:image/png;base64,"):
                self.problems.append("not a PNG data URL")
                continue
            from PIL import Image

            img = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
            digests.append(f"{img.width}x{img.height}:{img.convert('RGB').getpixel((0, 0))}")
        if "JSON" in text:  # the OCR prompt asks for {"text": ...}
            return json.dumps({"text": f"ocr of {' '.join(digests)}"})
        return f"caption of {' '.join(digests)} | {text[:40]}"

    def close(self):
        self.httpd.shutdown()


@pytest.fixture
def image_ws(tmp_path):
    ws = init_workspace(tmp_path / "ws")
    (ws.root / "media").mkdir()
    (ws.root / "media" / "red.png").write_bytes(png("red"))
    (ws.root / "media" / "blue.png").write_bytes(png("blue", (80, 40)))
    make_corpus(ws, [{"id": "m1", "post_id": "p1", "kind": "image", "uri": "red.png"},
                     {"id": "m2", "post_id": "p2", "kind": "image", "uri": "blue.png"}],
                [{"id": "p1", "text": "红色的一天"}, {"id": "p2", "text": "blue sky"}])
    return ws


def test_endpoint_captions_send_data_url_model_and_prompt(image_ws, monkeypatch):
    server = VisionServer("qwen-vl-test")
    monkeypatch.setenv("SOMEKIT_VL_API_KEY", SECRET)
    try:
        result = CliRunner().invoke(main, ["enrich", str(image_ws.root), "--captions", "--base-url", server.url,
                                           "--model", "qwen-vl-test", "--json"])
        assert result.exit_code == 0, result.output
        counts = orjson.loads(result.stdout.strip().splitlines()[-1])
        assert counts["steps"]["caption"]["done"] == 2 and "ocr" not in counts["steps"]
        assert not server.problems, server.problems
        assert len(server.requests) == 2 and server.requests[0]["auth"] == f"Bearer {SECRET}"
        first = server.requests[0]["body"]["messages"]
        assert "红色的一天" in first[-1]["content"][-1]["text"]      # the post text is the context
        assert first[0]["role"] == "system"
        captions = {r["post_id"]: r["caption"] for r in post_enrichments(image_ws).to_pylist()}
        # The server decoded the data URL back to the stored image: size and pixels round-trip.
        assert captions["p1"].startswith("caption of 64x48:(255, 0, 0)")
        assert captions["p2"].startswith("caption of 80x40:(0, 0, 255)")
        # Re-run: cached, no request.
        enrich(image_ws, resolve_settings(image_ws, image_ws.config(), captions=True,
                                          caption_base_url=server.url, caption_model="qwen-vl-test"))
        assert len(server.requests) == 2
    finally:
        server.close()
    # The key never lands in the workspace (cache, run logs, tables).
    for path in image_ws.root.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_endpoint_errors_are_retried_then_recorded_not_cached(image_ws):
    server = VisionServer("m")
    try:
        s = resolve_settings(image_ws, image_ws.config(), captions=True, caption_base_url=server.url, caption_model="m")
        s.max_retries = 1
        server.fail_next = 1                      # one 503, then fine: retried, succeeds
        report = enrich(image_ws, s)
        assert report.steps["caption"]["done"] == 2 and len(server.requests) == 3
        s.caption_model = "other"                 # new model: redo; the endpoint now always fails
        server.fail_next = 100
        report = enrich(image_ws, s)
        assert report.steps["caption"]["failed"] == 2
        assert all("HTTP 503" in f["reason"] for f in report.failures)
        rows = media_enrichments(image_ws).to_pylist()
        assert all("caption:" in r["error"] for r in rows)
        server.fail_next = 0                      # endpoint back: the failures were not cached
        report = enrich(image_ws, s)
        assert report.steps["caption"]["done"] == 2
    finally:
        server.close()


def test_vlm_ocr_through_endpoint(image_ws):
    server = VisionServer("m")
    try:
        cfg = image_ws.config()
        cfg.enrich.ocr_backend = "openai"
        s = resolve_settings(image_ws, cfg, ocr=True, caption_base_url=server.url, caption_model="m")
        report = enrich(image_ws, s)
        assert report.steps["ocr"]["done"] == 2
        ocr = {r["post_id"]: r["ocr"] for r in post_enrichments(image_ws).to_pylist()}
        assert ocr["p1"].startswith("ocr of ")    # the JSON reply was unwrapped
    finally:
        server.close()


# ---- local transformers path with a tiny random Qwen2.5-VL -------------------------------------

SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>",
           "<|image_pad|>", "<|video_pad|>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n"
    "{% if m['content'] is string %}{{ m['content'] }}{% else %}{% for c in m['content'] %}"
    "{% if c['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif c['type'] == 'text' %}{{ c['text'] }}{% endif %}{% endfor %}{% endif %}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def build_tiny_qwen_vl(out: Path) -> Path:
    """A Qwen2.5-VL with 2 text and 2 vision layers and a byte-level BPE tokenizer trained here,
    saved like a hub checkout (config, weights, tokenizer, image processor)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import (PreTrainedTokenizerFast, Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration,
                              Qwen2VLImageProcessor)

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=SPECIAL, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(["describe the image objectively", "这张图片附在一条微博中"], trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   chat_template=CHAT_TEMPLATE)
    ids = {t: fast.convert_tokens_to_ids(t) for t in SPECIAL}
    cfg = Qwen2_5_VLConfig(
        text_config=dict(vocab_size=len(fast), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
                         rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "mrope_section": [2, 3, 3]},
                         eos_token_id=ids["<|im_end|>"], bos_token_id=ids["<|endoftext|>"],
                         pad_token_id=ids["<|endoftext|>"]),
        vision_config=dict(depth=2, hidden_size=32, intermediate_size=64, num_heads=2, out_hidden_size=64,
                           fullatt_block_indexes=[1], window_size=112, patch_size=14, spatial_merge_size=2,
                           temporal_patch_size=2),
        image_token_id=ids["<|image_pad|>"], video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"], vision_end_token_id=ids["<|vision_end|>"])
    model = Qwen2_5_VLForConditionalGeneration(cfg)
    model.generation_config.eos_token_id = ids["<|im_end|>"]
    model.generation_config.pad_token_id = ids["<|endoftext|>"]
    model.save_pretrained(out)
    fast.save_pretrained(out)
    Qwen2VLImageProcessor().save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def tiny_vl(tmp_path_factory):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    return build_tiny_qwen_vl(tmp_path_factory.mktemp("tinyvl") / "qwen2.5-vl-tiny")


def test_local_qwen_vl_captions_images_and_video_frames(image_ws, tiny_vl):
    import av
    import numpy as np

    with av.open(str(image_ws.root / "media" / "clip.mp4"), "w", format="mp4") as out:
        vs = out.add_stream("mpeg4", rate=5)
        vs.width, vs.height, vs.pix_fmt = 96, 64, "yuv420p"
        for i in range(10):
            frame = av.VideoFrame.from_ndarray(np.full((64, 96, 3), i * 20, np.uint8), format="rgb24")
            for p in vs.encode(frame):
                out.mux(p)
        for p in vs.encode():
            out.mux(p)
    make_corpus(image_ws, [{"id": "m1", "post_id": "p1", "kind": "image", "uri": "red.png"},
                           {"id": "m3", "post_id": "p3", "kind": "video", "uri": "clip.mp4"}],
                [{"id": "p1", "text": "红色"}, {"id": "p3", "text": "video"}])
    cfg = image_ws.config()
    cfg.enrich.caption_backend = "transformers"
    cfg.enrich.caption_max_tokens = 6
    cfg.enrich.caption_max_pixels = 28 * 28 * 16
    cfg.enrich.video_frames = 3
    s = resolve_settings(image_ws, cfg, captions=True, caption_model=str(tiny_vl))
    report = enrich(image_ws, s)
    assert report.steps["caption"] == {"done": 2, "cached": 0, "failed": 0, "none": 0}, report.failures
    rows = {r["media_id"]: r for r in media_enrichments(image_ws).to_pylist()}
    for mid in ("m1", "m3"):
        sha = rows[mid]["sha256"]
        entry = orjson.loads((image_ws.enrich / "cache" / sha[:2] / f"{sha}.json").read_bytes())["steps"]["caption"]
        assert entry["ok"] and isinstance(entry["text"], str)
        assert entry["by"] == f"transformers:{tiny_vl}:image.caption@1"
    assert enrich(image_ws, s).steps["caption"]["cached"] == 2


def test_smart_size_bounds_pixels():
    from somekit.enrich.qwen_inputs import smart_size

    h, w = smart_size(3000, 4000, max_pixels=602_112)
    assert h % 28 == 0 and w % 28 == 0 and h * w <= 602_112 and abs(w / h - 4 / 3) < 0.05
    assert smart_size(10, 10, max_pixels=602_112) == (56, 56)


def test_missing_endpoint_or_package_is_a_clean_cli_error(image_ws, monkeypatch):
    for var in ("SOMEKIT_VL_BASE_URL", "SOMEKIT_ASR_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    result = CliRunner().invoke(main, ["enrich", str(image_ws.root), "--captions"])
    assert result.exit_code == 1 and "needs an endpoint" in result.output
    # Fault injector: hide the optional openai-whisper package (whether or not it is installed).
    import sys

    from somekit.enrich.asr import get_asr
    from somekit.errors import SomekitError

    monkeypatch.setitem(sys.modules, "whisper", None)
    cfg = image_ws.config()
    cfg.enrich.asr_backend = "whisper"
    with pytest.raises(SomekitError, match="openai-whisper"):
        get_asr(resolve_settings(image_ws, cfg, asr=True))
