"""What the emotion benches share: the people-labelled Weibo dev set, the offline voter panel run
over it as a UEA build runs it, and the machine's load (the bench machine is shared).

Used by bench/uea_quality.py (how good the panel's labels are) and bench/review_gain.py (whether
review time goes where they are wrong).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "emotion-weibo-dev" / "dev.jsonl"


def load_dev(path: Path, limit: int | None = None) -> tuple[list[str], list[str]]:
    """(texts, people's labels) of the dev set, the first `limit` rows when given."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[:limit] if limit else rows
    return [r["text"] for r in rows], [r["label"] for r in rows]


@dataclass
class PanelRun:
    """One panel run over some texts, in text order."""

    votes: list[list[Any]]        # per text, one Vote per voter
    labels: list[str | None]      # what a build writes: the majority label, else the tie's suggestion
    majority: list[bool]          # False: a tie (a build flags it for review)
    seconds: float


def run_offline_panel(ws: Any, cfg: Any, voters: Sequence[str], texts: Sequence[str],
                      seeds: Sequence[tuple[str, str]] | None = None, cv_seed: int = 0) -> PanelRun:
    """The panel `voters` over `texts`, aggregated as builders/tasks/uea.py aggregates it."""
    from somekit.annotate.panel import run_panel
    from somekit.annotate.voters import VoteInput, parse_spec
    from somekit.annotate.voting import majority
    from somekit.schemas.items import EMOTIONS

    t0 = time.perf_counter()
    panel = run_panel(ws, cfg, [parse_spec(v) for v in voters], [VoteInput(str(i), t) for i, t in enumerate(texts)], "zh",
                      seeds=seeds, cv_seed=cv_seed, measure=False)
    seconds = time.perf_counter() - t0
    aggs = [majority([v.value for v in votes], order=EMOTIONS, trust=panel.trust) for votes in panel.votes]
    return PanelRun(panel.votes, [a.label for a in aggs], [a.majority for a in aggs], seconds)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine(load_before: list[float]) -> dict[str, Any]:
    """The `machine` block of a bench's JSON: cores and the load before and after."""
    return {"cpus": os.cpu_count(), "load_before": load_before, "load_after": load_average()}
