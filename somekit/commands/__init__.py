"""Command modules. Each exposes `register(group)`; the list below is the CLI's table of contents."""

from __future__ import annotations

import importlib

import click

# One module per area; a module that fails to import (missing optional extra) must not break the
# rest of the CLI, so each is imported lazily and reported on use.
MODULES = (
    "workspace_cmds",   # init, corpus stats
    "ingest_cmds",      # ingest
    "enrich_cmds",      # enrich
    "build_cmds",       # build, verify
    "review_cmds",      # review push/pull/status
    "freeze_cmds",      # freeze, publish
    "export_cmds",      # export --format some
    "eval_cmds",        # eval
    "persona_cmds",     # persona remove
    "run_cmds",         # run, demo
)


def register_all(group: click.Group) -> None:
    for name in MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(f"{__name__}.{name}"):
                continue  # area not written yet
            raise
        module.register(group)
