"""Media resolution: turn a corpus media `uri` into bytes, safely.

Local paths must resolve (symlinks followed) inside one of the configured roots, so a crafted
`../../etc/passwd` or a symlink out of the data folder is refused rather than read. http(s) is
fetched only when the config allows it, with a size limit, a timeout and a content-type check;
every other scheme (file:, ftp:, data:, ...) is refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from ..errors import SomekitError

#: Content types accepted per media kind (a server claiming text/html for a .jpg is refused).
ACCEPTED_TYPES = {
    "image": ("image/",),
    "video": ("video/", "application/mp4"),
    "audio": ("audio/", "application/ogg"),
}


class MediaError(SomekitError):
    """A media item could not be resolved or decoded; recorded per item, never fatal to a batch."""


@dataclass(frozen=True)
class FetchPolicy:
    roots: tuple[Path, ...]           # resolved local roots media paths must stay inside
    allow_http: bool = False
    max_bytes: int = 50_000_000
    timeout_s: float = 30.0


def read_media(uri: str, kind: str, policy: FetchPolicy) -> bytes:
    """The bytes of one media item, or MediaError with a reason a person can act on."""
    scheme = urlsplit(uri).scheme.lower()
    if scheme in ("http", "https"):
        if not policy.allow_http:
            raise MediaError("http(s) media not allowed (set [enrich] allow_http = true)")
        return _fetch(uri, kind, policy)
    # A one-letter "scheme" is a Windows drive letter, not a URL scheme.
    if scheme and len(scheme) > 1:
        raise MediaError(f"unsupported URI scheme {scheme!r} (only local paths and http(s))")
    path = confine(uri, policy.roots)
    size = path.stat().st_size
    if size > policy.max_bytes:
        raise MediaError(f"file is {size:,} bytes, over the {policy.max_bytes:,}-byte limit")
    return path.read_bytes()


def confine(uri: str, roots: tuple[Path, ...]) -> Path:
    """Resolve a local path against the roots; refuse anything that lands outside all of them."""
    if not roots:
        raise MediaError("no media roots configured ([enrich] roots or [[sources]] paths)")
    raw = Path(uri)
    candidates = [raw] if raw.is_absolute() else [root / raw for root in roots]
    outside = False
    for cand in candidates:
        real = Path(os.path.realpath(cand))
        if not any(real == r or r in real.parents for r in roots):
            outside = True
            continue
        if real.is_file():
            return real
    if outside:
        raise MediaError(f"path {uri!r} resolves outside the allowed media roots")
    raise MediaError(f"file not found under the media roots: {uri!r}")


def _fetch(url: str, kind: str, policy: FetchPolicy) -> bytes:
    accepted = ACCEPTED_TYPES[kind]
    try:
        with httpx.Client(timeout=policy.timeout_s, follow_redirects=True, max_redirects=5) as client:
            with client.stream("GET", url) as resp:
                if resp.status_code != 200:
                    raise MediaError(f"HTTP {resp.status_code} for {_redact(url)}")
                ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                if not ctype.startswith(accepted):
                    raise MediaError(f"content-type {ctype or 'missing'!r} is not {kind} ({'/'.join(accepted)})")
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > policy.max_bytes:
                    raise MediaError(f"content-length {int(declared):,} over the {policy.max_bytes:,}-byte limit")
                chunks, total = [], 0
                # The declared length can lie (or be absent): count what actually arrives.
                for chunk in resp.iter_bytes():
                    total += len(chunk)
                    if total > policy.max_bytes:
                        raise MediaError(f"download exceeded the {policy.max_bytes:,}-byte limit")
                    chunks.append(chunk)
                return b"".join(chunks)
    except httpx.TimeoutException:
        raise MediaError(f"timed out after {policy.timeout_s:g}s fetching {_redact(url)}") from None
    except httpx.HTTPError as exc:
        raise MediaError(f"fetch failed for {_redact(url)}: {type(exc).__name__}") from None


def _redact(url: str) -> str:
    """URLs may carry tokens in the query string; logs and records keep only scheme, host, path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{parts.path}"
