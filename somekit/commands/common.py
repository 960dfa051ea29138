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


class _Paused(click.ClickException):
    """Exit 3: the run stopped on purpose (people have items to review); not shown as an error."""

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


def domain_errors(func: Callable) -> Callable:
    """Turn SomekitError into a ClickException (message, exit 1) instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SomekitError as exc:
            code = getattr(exc, "exit_code", 1)
            error = (_Paused if code == 3 else click.ClickException)(str(exc))
            error.exit_code = code
            raise error from None

    return wrapper


def print_json(obj: Any) -> None:
    sys.stdout.write(orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS).decode() + "\n")
    sys.stdout.flush()


workspace_arg = click.argument("ws", type=click.Path(file_okay=False, path_type=str), metavar="WS")


def json_option(what: str = "the result") -> Callable:
    """`--json`: print `what` as one JSON object on stdout (human output goes to stderr)."""
    return click.option("--json", "as_json", is_flag=True, help=f"Print {what} as one JSON object on stdout.")
