"""Connection to a Label Studio server, and the translation of its failures into clear errors.

The URL comes from SOMEKIT_LS_URL or [review] url in somekit.toml; the token only ever from
SOMEKIT_LS_TOKEN (never the config, logs or state files). Both token kinds work: a 40-char legacy
token is sent as `Token ...`; a personal access token (a JWT refresh token) is exchanged by the SDK
for short-lived access tokens, refreshed when they expire.
"""

from __future__ import annotations

import contextlib
import os
from typing import Iterator

import httpx
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from ...errors import SomekitError
from ...workspace import Workspace

URL_ENV = "SOMEKIT_LS_URL"
TOKEN_ENV = "SOMEKIT_LS_TOKEN"


class ReviewError(SomekitError):
    """Label Studio is unreachable, refuses the token, or lost the project; or review state is off."""


class Connection:
    """A LabelStudio client plus the URL it talks to (for messages and the sync state)."""

    def __init__(self, url: str, token: str, timeout: float = 300.0):
        self.url = url.rstrip("/")
        try:
            # base_url always explicit: the SDK's default points at a hosted service.
            self.client = LabelStudio(base_url=self.url, api_key=token, timeout=timeout)
        except ApiError as exc:  # an expired personal access token is rejected up front
            raise ReviewError(f"Label Studio token rejected: {_detail(exc)}; create a new token and set {TOKEN_ENV}") from None

    @contextlib.contextmanager
    def errors(self, doing: str) -> Iterator[None]:
        """Map transport and HTTP failures of one operation to a ReviewError naming it."""
        try:
            yield
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError,
                httpx.ConnectTimeout, httpx.ReadTimeout, httpx.PoolTimeout) as exc:
            raise ReviewError(
                f"Label Studio at {self.url} is not reachable while {doing} ({type(exc).__name__}: {exc}); "
                "start it (bash scripts/label_studio.sh start) and re-run: finished work is kept") from None
        except ApiError as exc:
            if exc.status_code in (401, 403):
                raise ReviewError(
                    f"Label Studio at {self.url} refused the token while {doing} (HTTP {exc.status_code}); "
                    f"check {TOKEN_ENV} (a legacy token or a personal access token)") from None
            raise ReviewError(f"Label Studio error while {doing}: HTTP {exc.status_code}: {_detail(exc)}") from None

    def check(self) -> dict:
        """Who we are on the server: fails early with a clear message on a bad URL or token."""
        with self.errors("checking the connection"):
            me = self.client.users.whoami()
        return {"id": me.id, "email": getattr(me, "email", None)}


def _detail(exc: ApiError) -> str:
    body = exc.body
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("validation_errors") or body)[:300]
    return str(body)[:300]


def connect(ws: Workspace | None = None, url: str | None = None, token: str | None = None) -> Connection:
    """A connection from explicit values, else the environment, else [review] url of the workspace."""
    url = url or os.environ.get(URL_ENV) or (ws.config().review.url if ws is not None else None)
    token = token or os.environ.get(TOKEN_ENV)
    if not url:
        raise ReviewError(f"no Label Studio URL: set {URL_ENV} or [review] url in somekit.toml")
    if not token:
        raise ReviewError(f"no Label Studio token: set {TOKEN_ENV} (printed by scripts/label_studio.sh start)")
    return Connection(url, token)
