"""Benchmark: `review push` of 10,000 UBP tasks with predictions against a real Label Studio server,
as a ratio to a bare SDK bulk import of the same task payloads in the same run (target >= 0.8), and
`review pull` time for 10,000 annotated tasks (target < 60 s), next to a bare SDK export of the
same project in the same run (nearly all of a pull is the server's export). Last line: one JSON
object.

    python bench/review.py [--n 10000] [--batch-size 1000]

Starts its own server from .lsvenv (scripts/label_studio.sh) on a free port with a temporary data
dir, unless SOMEKIT_LS_URL and SOMEKIT_LS_TOKEN point at one. The bare import runs before and
after our push (the server slows slightly as its database grows); the baseline is their mean.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
from label_studio_sdk import LabelStudio

from somekit.review.labelstudio import connect, pull, push, status
from somekit.review.labelstudio.configs import label_config
from somekit.review.labelstudio.context import ContextBuilder
from somekit.review.labelstudio.evidence import EvidenceBuilder
from somekit.review.labelstudio.push import task_payload
from somekit.review.labelstudio.state import load_state
from somekit.schemas.items import UBPInputs, UBPItem, YesNoAnswer, item_id
from somekit.schemas.provenance import Provenance
from somekit.store.items import write_items
from somekit.store.parquet import arrow_schema, write_table
from somekit.workspace import init_workspace

ROOT = Path(__file__).resolve().parents[1]


def start_server(data_dir: Path) -> tuple[str, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = subprocess.run(["bash", str(ROOT / "scripts/label_studio.sh"), "start", "--port", str(port),
                          "--data-dir", str(data_dir)], capture_output=True, text=True, check=True)
    env = dict(line.split("=", 1) for line in out.stdout.splitlines() if line.startswith("SOMEKIT_LS_"))
    return env["SOMEKIT_LS_URL"], env["SOMEKIT_LS_TOKEN"]


def make_workspace(root: Path, n: int):
    """n UBP items plus a corpus of their posts and the users' other posts (context lookups)."""
    ws = init_workspace(root / "ws", name=f"bench-{root.name}")
    rng = np.random.default_rng(0)
    n_posts = n + 5 * (n // 10)
    ids = [f"p{i}" for i in range(n_posts)]
    cols = {"source": ["bench"] * n_posts, "id": ids, "platform": ["weibo"] * n_posts,
            "author_id": [f"u{i % (n // 10)}" for i in range(n_posts)],
            "text": [f"帖子 {i} 的内容，用来给审核人员看上下文。" for i in range(n_posts)],
            "created_at": (np.datetime64("2020-01-01T00:00:00", "us")
                           + rng.integers(0, 365 * 86400, n_posts).astype("timedelta64[s]"))}
    schema = arrow_schema("posts")
    table = pa.table({f.name: (pa.array(cols[f.name], f.type) if f.name in cols else pa.nulls(n_posts, f.type))
                      for f in schema}, schema=schema)
    write_table(ws.corpus / "posts.parquet", table)
    items = []
    for i in range(n):
        inputs = UBPInputs(user_id=f"u{i % (n // 10)}", post_id=f"p{i}", action=("like", "repost", "comment")[i % 3])
        items.append(UBPItem(id=item_id("ubp", inputs.model_dump()), query=f"用户 u{i % (n // 10)} 会{inputs.action}帖子 p{i} 吗？",
                             template_id="ubp.zh@1", inputs=inputs, answer=YesNoAnswer(label="yes" if i % 2 else "no"),
                             provenance=Provenance(rule="bench", builder="ubp@1", seed=0, source_ids=[f"p{i}"])))
    write_items(ws, "ubp", items)
    return ws, items


def bare_import(client: LabelStudio, payloads: list[dict], batch_size: int, title: str) -> float:
    project = client.projects.create(title=title, label_config=label_config("ubp"))
    started = time.perf_counter()
    for start in range(0, len(payloads), batch_size):
        client.projects.import_tasks(id=project.id, request=payloads[start:start + batch_size], return_task_ids=True)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--batch-size", type=int, default=1000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-review-"))
    url, token = os.environ.get("SOMEKIT_LS_URL"), os.environ.get("SOMEKIT_LS_TOKEN")
    started_here = not (url and token)
    if started_here:
        t0 = time.perf_counter()
        url, token = start_server(tmp / "lsdata")
        print(f"server started in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    try:
        ws, items = make_workspace(tmp, args.n)
        t0 = time.perf_counter()
        ctx, shown = ContextBuilder(ws, items), EvidenceBuilder(ws, items)
        payloads = [task_payload(it, ctx.render(it), shown=shown.fields(it)) for it in items]   # the very tasks push sends
        render_s = time.perf_counter() - t0
        client = LabelStudio(base_url=url, api_key=token, timeout=600)
        bare_a = bare_import(client, payloads, args.batch_size, "bare A")
        conn = connect(ws, url=url, token=token)
        t0 = time.perf_counter()
        result = push(ws, "ubp", conn=conn, batch_size=args.batch_size)
        push_s = time.perf_counter() - t0
        bare_b = bare_import(client, payloads, args.batch_size, "bare B")
        t0 = time.perf_counter()
        again = push(ws, "ubp", conn=conn, batch_size=args.batch_size)
        repush_s = time.perf_counter() - t0
        # Community Label Studio has no bulk-annotation endpoint: annotate by importing the same
        # tasks with one reviewer annotation each into a project, and point the sync state at it.
        verdicts = ["no", "yes", "yes", "no", "yes"]   # agrees or disagrees with the machine
        annotated = [{**p, "annotations": [{"result": [{"from_name": "label", "to_name": "query", "type": "choices",
                                                       "value": {"choices": [verdicts[i % 5]]}}]}]}
                     for i, p in enumerate(payloads)]
        pid = client.projects.create(title="annotated", label_config=label_config("ubp")).id
        for start in range(0, len(annotated), args.batch_size):
            client.projects.import_tasks(id=pid, request=annotated[start:start + args.batch_size])
        state = load_state(ws, "ubp")
        state.project_id = pid
        state.save()
        marks: dict[str, float] = {}
        t0 = time.perf_counter()
        pulled = pull(ws, "ubp", conn=conn, progress=lambda step: marks.setdefault(step, time.perf_counter() - t0))
        pull_s = time.perf_counter() - t0
        # Same-run baseline for pull: the bare SDK export of the same annotated project (the server's
        # share of a pull), so the figure can be read apart from how loaded the machine is.
        t0 = time.perf_counter()
        bare_export = b"".join(client.projects.exports.download_sync(pid, export_type="JSON", download_all_tasks=False))
        bare_export_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        joined = status(ws, ["ubp"])["ubp"]   # decisions joined with the items, error rate included
        status_s = time.perf_counter() - t0
        states = {s: joined[s] for s in ("accepted", "corrected")}
    finally:
        if started_here:
            subprocess.run(["bash", str(ROOT / "scripts/label_studio.sh"), "stop", "--data-dir", str(tmp / "lsdata")],
                           capture_output=True)
    bare_rate = args.n / ((bare_a + bare_b) / 2)
    push_rate = args.n / push_s
    print(json.dumps({
        "n": args.n, "batch_size": args.batch_size,
        "bare_import_s": [round(bare_a, 2), round(bare_b, 2)], "bare_tasks_per_s": round(bare_rate, 1),
        "render_s": round(render_s, 2), "payload_bytes": sum(len(json.dumps(p, ensure_ascii=False)) for p in payloads),
        "push_s": round(push_s, 2), "push_tasks_per_s": round(push_rate, 1),
        "push_ratio_to_bare": round(push_rate / bare_rate, 3),
        "created": result.created, "repush_s": round(repush_s, 2), "repush_created": again.created,
        "pull_s": round(pull_s, 2), "pulled_decisions": pulled.counts, "items_by_state": states,
        "pull_export_s": round(marks["exported"], 2), "pull_local_s": round(pull_s - marks["users"], 2),
        "bare_export_s": round(bare_export_s, 2), "bare_export_bytes": len(bare_export),
        "pull_ratio_to_bare_export": round(pull_s / bare_export_s, 3), "pull_target_s": 60,
        "status_s": round(status_s, 2), "audit_accuracy": joined["audit"]["accuracy"], "audit_ci": joined["audit"]["ci"],
    }))


if __name__ == "__main__":
    main()
