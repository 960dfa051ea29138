"""An environment variable set for the length of a block, restored after (module-scoped fixtures
cannot use monkeypatch)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def env_var(name: str, value: str) -> Iterator[str]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield value
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old
