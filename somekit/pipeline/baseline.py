"""A simple baseline scored at the end of `somekit run`: it shows the eval path working on the
frozen benchmark and gives the floor any agent must beat.

For each classification task it answers, for every item, the label most frequent among the
other splits' gold answers (the train split when there is one), or a fixed answer for test-only
benchmarks: "yes", "emotionless", "half". Answers are written as free text (the way an agent
would answer) and go through the normal extraction rules.
"""

from __future__ import annotations

import collections
from typing import Any

import orjson

from ..store.atomic import write_bytes, write_json
from ..workspace import Workspace
from ..schemas.tasks import TASKS



def evaluate_baseline(ws: Workspace, version: str) -> dict[str, Any]:
    from ..eval.run import evaluate
    from ..freeze.verify import read_split_file

    out: dict[str, Any] = {}
    frozen = ws.frozen(version)
    eval_dir = ws.root / "eval"
    for task, spec in ((c, s) for c, s in TASKS.items() if s.baseline_answer):
        splits = {p.stem: p for p in sorted((frozen / task).glob("*.parquet"))}
        if not splits:
            continue
        gold_split = "test" if "test" in splits else sorted(splits)[0]
        train = [i for s, p in splits.items() if s != gold_split for i in read_split_file(p, task)]
        counts = collections.Counter(filter(None, map(spec.label_of, train)))
        answer = counts.most_common(1)[0][0] if counts else spec.baseline_answer
        gold_items = read_split_file(splits[gold_split], task)
        pred_path = eval_dir / f"{task}.baseline.predictions.jsonl"
        write_bytes(pred_path, b"".join(orjson.dumps({"id": i.id, "answer": f"答案：{answer}"}) + b"\n"
                                         for i in gold_items))
        # Rules only: the constant answers are always extractable, so no LLM fallback is needed.
        result = evaluate(task, splits[gold_split], pred_path, llm=None)
        result["baseline_answer"] = answer
        result["split"] = gold_split
        write_json(eval_dir / f"{task}.baseline.json", result)
        out[task] = {k: result[k] for k in ("n", "acc", "tcr") if k in result}
    return out
