"""Command modules. Each exposes `register(group)`; the list below is the CLI's table of contents.

Plain imports: a command module that cannot be imported is a broken install, and the CLI says so
instead of quietly losing commands.
"""

from __future__ import annotations

import click

from . import (build_cmds, enrich_cmds, eval_cmds, export_cmds, freeze_cmds, ingest_cmds, persona_cmds,
               review_cmds, run_cmds, verify_cmds, workspace_cmds)
from . import report_cmds

MODULES = (
    workspace_cmds,   # init, corpus stats
    ingest_cmds,      # ingest
    enrich_cmds,      # enrich
    build_cmds,       # build
    verify_cmds,      # verify
    review_cmds,      # review push/pull/status
    freeze_cmds,      # freeze, publish
    export_cmds,      # export --format some
    eval_cmds,        # eval
    report_cmds,      # report (HTML)
    persona_cmds,     # persona remove
    run_cmds,         # run, demo
)


def register_all(group: click.Group) -> None:
    for module in MODULES:
        module.register(group)
