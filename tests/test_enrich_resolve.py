"""Media resolution rules (local-root confinement, guarded http(s)) and the speech endpoint
backend, against real files and a real HTTP server on 127.0.0.1 (no fakes)."""

from __future__ import annotations

import io
import json
import os
import threading
import time
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from somekit.enrich import FetchPolicy, MediaError
from somekit.enrich.resolve import read_media

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def real_png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buf, format="PNG")
    return buf.getvalue()


class Server:
    """Serves a few fixed routes; records /v1/audio/transcriptions uploads."""

    def __init__(self):
        self.uploads: list[dict] = []
        self.gets: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, ctype, body, length=None):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(length if length is not None else len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                server.gets.append(self.path)
                if self.path == "/real.png":
                    self._send(200, "image/png", real_png())
                elif self.path.startswith("/img.png"):
                    self._send(200, "image/png", PNG)
                elif self.path == "/page.png":
                    self._send(200, "text/html; charset=utf-8", b"<html>login</html>")
                elif self.path == "/big.png":
                    self._send(200, "image/png", b"x" * 5000)
                elif self.path == "/liar.png":   # no Content-Length: the limit counts real bytes
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.end_headers()
                    self.wfile.write(b"y" * 5000)
                    self.close_connection = True
                elif self.path == "/slow.png":
                    time.sleep(3)
                    self._send(200, "image/png", PNG)
                else:
                    self._send(404, "text/plain", b"no")

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                server.uploads.append({"ctype": self.headers["Content-Type"], "body": body})
                self._send(200, "application/json", json.dumps({"text": "hello from the endpoint"}).encode())

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.httpd.shutdown()


def policy(tmp_path, **kw):
    return FetchPolicy(roots=(tmp_path.resolve(),), **kw)


def test_local_path_confined_to_roots(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    (root / "a.png").write_bytes(PNG)
    (tmp_path / "outside.png").write_bytes(PNG)
    os.symlink(tmp_path / "outside.png", root / "link.png")
    p = FetchPolicy(roots=(root.resolve(),))
    assert read_media("a.png", "image", p) == PNG
    assert read_media(str(root / "a.png"), "image", p) == PNG
    for bad in ("../outside.png", str(tmp_path / "outside.png"), "link.png"):
        with pytest.raises(MediaError, match="outside the allowed media roots"):
            read_media(bad, "image", p)
    with pytest.raises(MediaError, match="not found"):
        read_media("nope.png", "image", p)


def test_other_schemes_refused(tmp_path):
    for uri in ("file:///etc/passwd", "ftp://example.org/a.png", "data:image/png;base64,AAAA"):
        with pytest.raises(MediaError, match="unsupported URI scheme"):
            read_media(uri, "image", policy(tmp_path, allow_http=True))


def test_http_needs_opt_in(tmp_path, server):
    with pytest.raises(MediaError, match="not allowed"):
        read_media(f"{server.base}/img.png", "image", policy(tmp_path))
    assert read_media(f"{server.base}/img.png?token=abc", "image", policy(tmp_path, allow_http=True)) == PNG


def test_http_checks_content_type_size_and_timeout(tmp_path, server):
    p = policy(tmp_path, allow_http=True, max_bytes=1000, timeout_s=1.0)
    with pytest.raises(MediaError, match="content-type 'text/html' is not image"):
        read_media(f"{server.base}/page.png", "image", p)
    with pytest.raises(MediaError, match="content-length 5,000 over"):
        read_media(f"{server.base}/big.png", "image", p)
    with pytest.raises(MediaError, match="exceeded the 1,000-byte limit"):
        read_media(f"{server.base}/liar.png", "image", p)
    with pytest.raises(MediaError, match="timed out"):
        read_media(f"{server.base}/slow.png", "image", p)
    with pytest.raises(MediaError, match="HTTP 404"):
        read_media(f"{server.base}/missing.png?secret=1", "image", p)


def test_error_messages_drop_query_strings(tmp_path, server):
    with pytest.raises(MediaError) as info:
        read_media(f"{server.base}/missing.png?token=SECRET", "image", policy(tmp_path, allow_http=True))
    assert "SECRET" not in str(info.value)


def test_speech_endpoint_backend_uploads_wav(tmp_path, server, monkeypatch):
    from somekit.enrich.asr import get_asr
    from somekit.enrich.settings import resolve_settings
    from somekit.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    cfg = ws.config()
    cfg.enrich.asr_backend = "openai"
    monkeypatch.setenv("SOMEKIT_ASR_BASE_URL", server.base + "/v1")
    backend = get_asr(resolve_settings(ws, cfg, asr=True))
    tone = np.sin(np.linspace(0, 2000, 16000)).astype(np.float32) * 0.3
    out = backend.transcribe(tone)
    assert out["text"] == "hello from the endpoint"
    upload = server.uploads[-1]
    assert upload["ctype"].startswith("multipart/form-data")
    assert b'name="model"' in upload["body"] and b"whisper-1" in upload["body"]
    wav_start = upload["body"].index(b"RIFF")
    with wave.open(io.BytesIO(upload["body"][wav_start:]), "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getnframes()) == (16000, 1, 16000)


def test_enrich_fetches_http_media_once(tmp_path, server):
    from somekit.enrich import enrich, media_enrichments, resolve_settings
    from somekit.workspace import init_workspace
    from tests.test_enrich import make_corpus

    ws = init_workspace(tmp_path / "ws")
    cfg = ws.config()
    cfg.enrich.allow_http = True
    make_corpus(ws, [{"id": "m1", "post_id": "p1", "kind": "image", "uri": f"{server.base}/real.png"},
                     {"id": "m2", "post_id": "p1", "kind": "image", "uri": f"{server.base}/page.png"}],
                [{"id": "p1", "text": ""}])
    s = resolve_settings(ws, cfg, ocr=True)
    first = enrich(ws, s)
    assert first.steps["ocr"]["done"] == 1 and first.steps["ocr"]["failed"] == 1
    rows = {r["media_id"]: r for r in media_enrichments(ws).to_pylist()}
    assert rows["m1"]["error"] is None and rows["m1"]["ocr"] == ""      # a blank image has no text
    assert "content-type 'text/html'" in rows["m2"]["error"]
    fetched = server.gets.count("/real.png")
    second = enrich(ws, s)
    assert second.steps["ocr"]["cached"] == 1
    assert server.gets.count("/real.png") == fetched                     # known sha256: not fetched again


def test_video_frames_sampled_evenly_by_seeking():
    import av

    from somekit.enrich.avio import sample_frames

    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        vs = out.add_stream("mpeg4", rate=10)
        vs.width, vs.height, vs.pix_fmt = 96, 64, "yuv420p"
        for i in range(200):                      # 20 s; frame i has brightness i
            frame = av.VideoFrame.from_ndarray(np.full((64, 96, 3), i, np.uint8), format="rgb24")
            for p in vs.encode(frame):
                out.mux(p)
        for p in vs.encode():
            out.mux(p)
    frames = sample_frames(buf.getvalue(), 4)
    levels = [f.getpixel((5, 5))[0] for f in frames]
    # Slice middles are frames 25, 75, 125, 175 (codec rounding allows a few levels of error).
    assert len(levels) == 4 and all(abs(a - b) <= 8 for a, b in zip(levels, (25, 75, 125, 175))), levels
    with pytest.raises(MediaError, match="not a decodable media container"):
        sample_frames(b"\x00" * 1000, 2)
