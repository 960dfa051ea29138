"""Benchmark: near-duplicate events (builders/events.py) on the real CED posts, per threshold.

How the default threshold was chosen, from what can be measured without tuning on the cascades:
- recall of planted copies: for a seeded sample of real posts, five copies each as reposting
  accounts make them (full-width spaces, U+200B, 【】 around a headline, a trailing link, the
  last sentence cut): the share of copies that land in their original's event;
- false merges: CED's rumours and non-rumours were collected separately (other years, other
  accounts), so an event holding both labels is a merge of different stories: its count, and the
  share of posts in such events;
- the events, copies and largest event at each threshold, and the time of the builder's
  LSH path and of verify's exact path (its independent recomputation), with their agreement.
The principled default (Broder et al. 1997: resemblance >= 0.5 is "roughly the same") is then
reported against these figures. Last line: one JSON object.

    python bench/events.py [--ced ../shared/data/ced-weibo] [--sample 200]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from somekit.builders.events import DEFAULT_SHINGLE, DEFAULT_THRESHOLD, near_duplicate_events
from somekit.store.query import connect
from somekit.textnorm import normalise
from somekit.verify.events import exact_events

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def load_ced(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """post id -> text and post id -> label, from CED's folders (the label from the cascade's half)."""
    texts, labels = {}, {}
    for half, label in (("rumor-repost", "rumor"), ("non-rumor-repost", "non-rumor")):
        for path in sorted((root / half).glob("*.json")):
            source = root / "original-microblog" / path.name
            if source.exists():
                texts[path.stem] = json.loads(source.read_text(encoding="utf-8")).get("text") or ""
                labels[path.stem] = label
    return texts, labels


def copies_of(text: str) -> list[str]:
    sentences = [s for s in text.replace("！", "。").split("。") if s]
    cut = "。".join(sentences[:-1]) + "。" if len(sentences) > 2 else text[: int(len(text) * 0.85)]
    return ["\u3000\u3000" + text.replace("，", " ， "), "\u200b".join(text[i:i + 7] for i in range(0, len(text), 7)),
            "【转】" + text + "【】", text + " http://t.cn/zQ8xYz1", cut]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ced", default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "ced-weibo"))
    ap.add_argument("--sample", type=int, default=200)
    args = ap.parse_args()
    texts, labels = load_ced(Path(args.ced))
    if not texts:
        sys.exit(f"no CED posts under {args.ced}")
    ranked = sorted((p for p in texts if len(normalise(texts[p])) >= 30), key=lambda p: hashlib.sha256(p.encode()).hexdigest())
    sample = ranked[: args.sample]
    planted = {f"{p}#copy{k}": c for p in sample for k, c in enumerate(copies_of(texts[p]))}
    figures: dict = {"posts": len(texts), "labels": {v: list(labels.values()).count(v) for v in set(labels.values())},
                     "planted_originals": len(sample), "planted_copies": len(planted), "shingle": DEFAULT_SHINGLE,
                     "thresholds": {}}
    for t in THRESHOLDS:
        start = time.perf_counter()
        events = near_duplicate_events({**texts, **planted}, t, DEFAULT_SHINGLE)
        secs = time.perf_counter() - start
        recall = sum(events[c] == events[c.split("#")[0]] for c in planted) / len(planted)
        members: dict[str, set[str]] = {}
        for p in texts:
            members.setdefault(events[p], set()).add(p)
        mixed = [m for m in members.values() if len({labels[p] for p in m}) > 1]
        figures["thresholds"][str(t)] = {
            "planted_recall": round(recall, 4), "events": len(members),
            "posts_in_multi_post_events": sum(len(m) for m in members.values() if len(m) > 1),
            "largest_event": max(len(m) for m in members.values()),
            "mixed_label_events": len(mixed), "posts_in_mixed_events": sum(len(m) for m in mixed),
            "lsh_seconds": round(secs, 3)}
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp))
        start = time.perf_counter()
        exact = exact_events(con, texts, DEFAULT_THRESHOLD, DEFAULT_SHINGLE)
        exact_s = time.perf_counter() - start
    start = time.perf_counter()
    lsh = near_duplicate_events(texts, DEFAULT_THRESHOLD, DEFAULT_SHINGLE)
    lsh_s = time.perf_counter() - start
    figures["default"] = {"threshold": DEFAULT_THRESHOLD, "lsh_seconds": round(lsh_s, 3),
                          "verify_exact_seconds": round(exact_s, 3),
                          "builder_verify_disagreements": sum(lsh[p] != exact[p] for p in texts)}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
