"""Summary tables read whole off a terminal: `somekit ingest` run as a child process with its
output piped (as in a log or CI) prints every count in full, however long the source folder's
name; 80 columns used to squeeze the number columns to nothing ("1,274,4…", or empty)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from somekit.sample import WEIBO
from somekit.workspace import init_workspace

ROOT = Path(__file__).resolve().parents[1]


def test_ingest_piped_prints_every_count_whole(tmp_path):
    ws = init_workspace(tmp_path / "ws")
    source = tmp_path / ("weibo_sample_with_a_long_folder_name_" + "x" * 48)   # wider than 80 columns alone
    shutil.copytree(WEIBO, source)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, "-m", "somekit.cli", "ingest", str(ws.root), "--format", "jsonl", str(source)],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stdout
    text = out.stdout
    assert "…" not in text and "\x1b[" not in text          # nothing cut, no colour codes in a log
    log = next(json.loads(p.read_text()) for p in sorted((ws.root / "runs").glob("*.json"))
               if json.loads(p.read_text()).get("stage") == "ingest")
    counts = log["counts"]
    lines = text.splitlines()
    for table, total in counts["totals"].items():
        row = next(line for line in lines if line.lstrip("│ ").startswith(table + " "))
        kept = counts["added"].get(table, 0) + counts["already_present"].get(table, 0)
        assert _cells(row) == [table, f"{counts['read'][table]:,}", f"{kept:,}", "", f"{total:,}"], row
    per_folder = counts["folders"][source.name]
    for table, n in per_folder.items():
        if table != "quarantined":
            row = next(line for line in lines if f"{source.name}/ {table} " in line)
            assert _cells(row)[1] == f"{n:,}", row
    total_row = next(line for line in lines if line.lstrip("│ ").startswith("total "))
    assert _cells(total_row)[1] == f"{counts['records_in']:,}"


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("│").split("│")]
