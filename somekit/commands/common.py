"""Helpers shared by command modules: error mapping, JSON output, rich console."""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable

import click
import orjson
from rich.console import Console

from ..errors import SomekitError

#: Human-oriented output goes to stderr so `--json` stdout stays one clean JSON object.
console = Console(stderr=True)


def domain_errors(func: Callable) -> Callable:
    """Turn SomekitError into a ClickException (message, exit 1) instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SomekitError as exc:
            error = click.ClickException(str(exc))
            error.exit_code = getattr(exc, "exit_code", 1)   # e.g. 3: stopped to wait for human review
            raise error from None

    return wrapper


def print_json(obj: Any) -> None:
    sys.stdout.write(orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS).decode() + "\n")
    sys.stdout.flush()


workspace_arg = click.argument("ws", type=click.Path(file_okay=False, path_type=str), metavar="WS")
