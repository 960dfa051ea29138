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


def print_table(table: Any, out: Console | None = None) -> None:
    """Print a rich table on `out` (the shared console by default). Off a terminal (a log, a pipe,
    CI) rich would squeeze it into 80 columns, cutting "1,274,456" to "1,274,4…" and wrapping rule
    names; there it is drawn as wide as its content needs instead, without colour codes, so every
    number arrives whole."""
    out = out or console
    if out.is_terminal:
        out.print(table)
        return
    from rich.measure import Measurement

    width = Measurement.get(out, out.options.update(width=100_000), table).maximum
    Console(file=out.file, width=max(width, 40), no_color=True, highlight=False, color_system=None).print(table)


def print_json(obj: Any) -> None:
    sys.stdout.write(orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS).decode() + "\n")
    sys.stdout.flush()


workspace_arg = click.argument("ws", type=click.Path(file_okay=False, path_type=str), metavar="WS")


def json_option(what: str = "the result") -> Callable:
    """`--json`: print `what` as one JSON object on stdout (human output goes to stderr)."""
    return click.option("--json", "as_json", is_flag=True, help=f"Print {what} as one JSON object on stdout.")


def executor_options(f: Callable) -> Callable:
    """`--executor local|ray` and `--ray-address`: where the per-row work runs (beats [executor])."""
    f = click.option("--ray-address", default=None,
                     help="Ray cluster to join (host:port, or 'auto'); implies --executor ray. "
                          "Default: [executor] ray_address, RAY_ADDRESS, else a local Ray.")(f)
    return click.option("--executor", type=click.Choice(["local", "ray"]), default=None,
                        help="Run the per-row work here (local, the default) or as Ray Data tasks (ray).")(f)
