"""Decoding media bytes: images with Pillow, video frames and audio tracks with PyAV.

Everything here works from bytes in memory, so local files and downloads take the same path,
and every decoder error becomes a MediaError whose message says what was wrong.
"""

from __future__ import annotations

import io

import numpy as np

from ..deps import require
from .resolve import MediaError

SAMPLE_RATE = 16_000  # what Whisper models expect


def load_image(data: bytes, max_side: int = 2048):
    """A decoded RGB PIL image; huge images are scaled down so OCR and VLMs stay bounded."""
    Image = require("PIL.Image", "image decoding")
    UnidentifiedImageError = Image.UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        img.load()  # force a full decode: a truncated file fails here, not later in a model
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise MediaError(f"not a decodable image: {exc}") from None
    img = img.convert("RGB")
    if max(img.size) > max_side:
        img.thumbnail((max_side, max_side))
    return img


def _open(data: bytes):
    av = require("av", "audio and video decoding")

    try:
        return av.open(io.BytesIO(data), mode="r")
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise MediaError(f"not a decodable media container: {exc}") from None


def sample_frames(data: bytes, n: int) -> list:
    """`n` frames spread evenly over a video, as RGB PIL images. Seeks to each target time when
    the container knows its duration (a long video is not decoded whole); else decodes all."""
    av = require("av", "audio and video decoding")

    container = _open(data)
    try:
        if not container.streams.video:
            raise MediaError("no video stream")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        frames = _seek_frames(container, stream, n)
        if frames:
            return frames
        container.seek(0)
        # Decoding every frame is simplest and robust to missing duration metadata; keep a
        # bounded reservoir of evenly strided frames instead of holding the whole video.
        frames: list = []
        stride, count = 1, 0
        for frame in container.decode(stream):
            if count % stride == 0:
                frames.append(frame.to_image())
                if len(frames) >= 2 * n:
                    frames = frames[::2]
                    stride *= 2
            count += 1
    except av.error.FFmpegError as exc:
        raise MediaError(f"video decode failed: {exc}") from None
    finally:
        container.close()
    if not frames:
        raise MediaError("video has no decodable frames")
    if len(frames) <= n:
        return frames
    idx = np.linspace(0, len(frames) - 1, n).round().astype(int)
    return [frames[i] for i in idx]


def _seek_frames(container, stream, n: int) -> list:
    """Frames at the middles of n equal slices of the duration; [] when that cannot be done
    (no duration, no time base, a failed seek), so the caller falls back to decoding all."""
    av = require("av", "audio and video decoding")

    if stream.duration and stream.time_base:
        duration = float(stream.duration * stream.time_base)
    elif container.duration:
        duration = container.duration / av.time_base
    else:
        return []
    if duration < 2.0 or not stream.time_base:
        return []  # short clips: decoding everything is as cheap and exact
    frames = []
    try:
        for k in range(n):
            target = duration * (k + 0.5) / n
            container.seek(int(target / stream.time_base), stream=stream, backward=True)
            for frame in container.decode(stream):
                if frame.time is None or frame.time >= target - 1e-3:
                    frames.append(frame.to_image())
                    break
    except av.error.FFmpegError:
        return []
    return frames if len(frames) == n else []


def decode_audio(data: bytes) -> np.ndarray:
    """The first audio track (of an audio file or a video) as 16 kHz mono float32 in [-1, 1]."""
    av = require("av", "audio and video decoding")

    container = _open(data)
    try:
        if not container.streams.audio:
            raise MediaError("no audio stream")
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        chunks = []
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
        for out in resampler.resample(None):  # flush the resampler's buffer
            chunks.append(out.to_ndarray().reshape(-1))
    except av.error.FFmpegError as exc:
        raise MediaError(f"audio decode failed: {exc}") from None
    finally:
        container.close()
    if not chunks:
        raise MediaError("audio track has no decodable samples")
    return np.concatenate(chunks).astype(np.float32) / 32768.0


def wav_bytes(samples: np.ndarray) -> bytes:
    """16-bit PCM WAV of 16 kHz mono samples, for backends that want a file upload."""
    import wave

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return buf.getvalue()
