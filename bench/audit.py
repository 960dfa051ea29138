"""Benchmark: the shortcut audit (what `somekit verify` and freeze run) on 100k items, against the
time to build those items, measured in the same run (target: audit < 10% of the build).

The items are real MCR items built on bench/builders.py's synthetic corpus (Zipf popularity);
the audit time includes reading the items' post features from the corpus. Last line: one JSON
object.

    python bench/audit.py [--items 100000] [--interactions 2000000] [--posts 200000] [--users 300000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from builders import make_corpus  # noqa: E402  (bench/builders.py, run from any folder)

from somekit.builders.registry import get_builder  # noqa: E402
from somekit.store.items import read_items  # noqa: E402
from somekit.store.query import connect  # noqa: E402
from somekit.verify.shortcut_rows import rows_from_items  # noqa: E402
from somekit.verify.shortcuts import audit, violations  # noqa: E402
from somekit.workspace import init_workspace  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--interactions", type=int, default=2_000_000)
    ap.add_argument("--posts", type=int, default=200_000)
    ap.add_argument("--users", type=int, default=300_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        make_corpus(ws, args.posts, args.interactions, args.users)
        start = time.perf_counter()
        result = get_builder("mcr")(ws, ws.config(), n=args.items // 2, seed=1)
        build_s = time.perf_counter() - start
        items = read_items(ws, "mcr")
        con = connect(ws.corpus)
        con.execute("SET enable_progress_bar = false")
        start = time.perf_counter()
        rows = rows_from_items("mcr", items, con)
        results = audit(rows)
        audit_s = time.perf_counter() - start
        found = violations(results)
    worst = max(results.items(), key=lambda kv: kv[1].acc - kv[1].baseline)
    figures = {"items": len(items), "rules": len(results), "build_s": round(build_s, 2), "audit_s": round(audit_s, 2),
               "audit_share_of_build": round(audit_s / build_s, 4), "under_10pct": audit_s < 0.1 * build_s,
               "violations": [r for r, _ in found], "worst_rule": worst[0], "worst_acc": round(worst[1].acc, 4),
               "shortfall_warnings": result.warnings}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
