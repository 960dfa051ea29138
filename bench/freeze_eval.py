"""Freeze, verify, publish and eval throughput, and the label-extraction rules against a naive
exact-match baseline.

Freeze: N items per task (ubp, uea, smq) made with the item schemas; baseline measured in the same
run = writing the same items as items.jsonl (what a builder already does), so the ratio is the
cost of freezing relative to one plain write. Eval: free-text answers in zh/en built from SoMe's
real ground truth (../shared; synthetic labels when absent); baseline = exact match of the bare
label word (what SoMe's scripts do), which cannot read sentences. The last line is one JSON object.

    python bench/freeze_eval.py [--items 20000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from somekit.answers.extract import extract_label  # noqa: E402
from somekit.answers.labels import normalise_gold  # noqa: E402
from somekit.freeze import freeze, verify_frozen  # noqa: E402
from somekit.publish import publish  # noqa: E402
from somekit.store.items import write_items  # noqa: E402
from somekit.workspace import init_workspace  # noqa: E402
from tests.test_freeze_items import make_item  # noqa: E402

GT = Path(__file__).resolve().parents[2] / "shared" / "data" / "some-ground-truth" / "user_emotion_analysis.json"
TEMPLATES = {
    "zh": ["{w}", "答案：{w}", "我认为该用户的情绪是{w}。", "这条评论表达了{w}的情绪", "情绪：{w}（评论语气明显）", "根据评论内容判断，属于{w}。"],
    "en": ["{w}", "Answer: {w}", "The user's emotion is {w}.", "The comment sounds {w} to me.", "Final answer: **{w}**", "I'd label this as {w}."],
}
EN = {"positive": "positive", "angry": "angry", "sad": "sad", "fear": "fear", "surprise": "surprised", "emotionless": "neutral"}
ZH = {"positive": "积极", "angry": "愤怒", "sad": "悲伤", "fear": "恐惧", "surprise": "惊奇", "emotionless": "无情绪"}


def bench_freeze(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        text = ws.config_path.read_text().replace("train = 0.0", "train = 0.8").replace("test = 1.0 ", "test = 0.2 ")
        ws.config_path.write_text(text)
        tasks = ("ubp", "uea", "smq")
        items = {t: [make_item(t, i, "accepted") for i in range(n)] for t in tasks}
        t0 = time.perf_counter()
        for t in tasks:
            write_items(ws, t, items[t])
        write_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        freeze(ws, "v1")
        freeze_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        assert freeze(ws, "v1").unchanged
        refreeze_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        assert verify_frozen(ws, "v1") == []
        verify_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        publish(ws, "v1", to=Path(tmp) / "hub")
        publish_s = time.perf_counter() - t0
    total = n * len(tasks)
    return {"freeze_items": total, "write_items_s": round(write_s, 3), "freeze_s": round(freeze_s, 3),
            "freeze_items_per_s": round(total / freeze_s), "freeze_vs_write_ratio": round(freeze_s / write_s, 2),
            "refreeze_noop_s": round(refreeze_s, 3), "verify_s": round(verify_s, 3), "publish_s": round(publish_s, 3),
            "publish_items_per_s": round(total / publish_s)}


def bench_extract() -> dict:
    rng = random.Random(0)
    if GT.exists():
        gold = [normalise_gold("uea", row["emotion"]) for rows in json.loads(GT.read_text()).values() for row in rows]
    else:
        gold = [rng.choice(list(EN)) for _ in range(2696)]
    answers = []
    for label in gold:
        lang = rng.choice(("zh", "en"))
        word = (ZH if lang == "zh" else EN)[label]
        answers.append(rng.choice(TEMPLATES[lang]).format(w=word))
    t0 = time.perf_counter()
    rules = [extract_label("uea", a).label for a in answers]
    rules_s = time.perf_counter() - t0
    naive_map = {**{v: k for k, v in ZH.items()}, **{k: k for k in EN}}
    t0 = time.perf_counter()
    naive = [naive_map.get(a.strip()) for a in answers]
    naive_s = time.perf_counter() - t0
    n = len(gold)

    def acc(pred):
        return round(100 * sum(p == g for p, g in zip(pred, gold)) / n, 2)

    return {"extract_answers": n, "rules_acc": acc(rules), "rules_tcr": round(100 * sum(p is not None for p in rules) / n, 2),
            "naive_acc": acc(naive), "rules_answers_per_s": round(n / rules_s), "naive_answers_per_s": round(n / max(naive_s, 1e-9)),
            "rules_vs_naive_time_ratio": round(rules_s / max(naive_s, 1e-9), 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=20000, help="items per task (3 tasks)")
    args = ap.parse_args()
    out = {**bench_freeze(args.items), **bench_extract()}
    for k, v in out.items():
        print(f"{k:>28}: {v}", file=sys.stderr)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
