"""Does an exported folder serve SoMe's harness unchanged? Read it the way SoMe's tools do.

Written from SoMe's public sources (LivXue/SoMe: test_*.py, tools/, config.py), independently of
the exporter (it shares no code or constants with export/some/, so a key the exporter
forgets is a key this finds missing). For every asked user, RED window and SES/SMQ topic it opens
the file the harness would open and indexes every key the harness indexes.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

#: The dataset folder names SoMe's scripts open.
GROUND_TRUTH = ("user_behavior_prediction", "user_comment_silmulation", "media_content_recommend",
                "user_emotion_analysis", "misinformation_detection", "social_media_question_answering",
                "realtime_event_detection", "streaming_event_summary")
USER_KEYS = ("id", "name", "followers_count", "friends_count", "total_rcl_count", "verified_reason", "description", "location")
WEIBO_KEYS = ("id", "text", "created_time", "source", "region_name", "reposts_count", "comments_count",
              "attitudes_count", "pic_num", "pictures", "video", "rca_list")
RAW_KEYS = ("unique_id", "content", "platform_name", "title", "post_publish_time", "ocr", "nickname", "public_location")
TOPIC_KEYS = ("title", "desc", "content", "nickname", "platform", "post_create_time")
TIME = "%Y-%m-%d %H:%M:%S"


class _Report:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.checked: dict[str, int] = {}

    def bad(self, text: str) -> None:
        self.problems.append(text)

    def count(self, what: str) -> None:
        self.checked[what] = self.checked.get(what, 0) + 1


def _load(path: Path, rep: _Report) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        rep.bad(f"{path}: missing")
    except ValueError as exc:
        rep.bad(f"{path}: not JSON ({exc})")
    return None


def _user(db: Path, uid: str, rep: _Report) -> None:
    doc = _load(db / "user_data" / uid / f"{uid}.json", rep)
    if doc is None:
        return
    rep.count("users")
    try:
        [doc["user"][k] for k in USER_KEYS]
        for w in doc["weibo"]:
            [w[k] for k in WEIBO_KEYS]
    except (KeyError, TypeError) as exc:
        rep.bad(f"user_data/{uid}: key {exc} missing")


def _posts(db: Path, gt: Any, rows_of: Any, rep: _Report, name: str) -> None:
    posts = _load(db / "post_data" / name, rep)
    if posts is None:
        return
    for uid, entry in rows_of(gt):
        rep.count("asked posts")
        if entry["weibo_id"] not in posts:
            rep.bad(f"post_data/{name}: asked post {entry['weibo_id']} (user {uid}) missing")


def _per_user(gt: dict) -> list[tuple[str, dict]]:
    return [(uid, e) for uid, rows in gt.items() for e in rows]


def _red(db: Path, key: str, rep: _Report) -> None:
    parts = key.split("_")
    if len(parts) != 3:
        rep.bad(f"RED key {key!r} does not split into start_end_location")
        return
    start, end, location = parts
    try:
        lo, hi = datetime.strptime(start, TIME), datetime.strptime(end, TIME)
    except ValueError:
        rep.bad(f"RED key {key!r}: times are not {TIME}")
        return
    day = start.split(" ")[0]
    path = db / "raw_data" / f"{day}_{location}_sensitive.jsonl"
    if not path.is_file():
        rep.bad(f"{path.name}: missing (post_search for {key})")
        return
    rep.count("RED windows")
    ids, inside = [], 0
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            post = json.loads(line.strip())
            when = datetime.strptime(post["post_publish_time"], TIME)
            row = {k: post[k] for k in RAW_KEYS}
            [v[:512] for v in row.values()]      # post_search's display slices every value
        except (KeyError, ValueError, TypeError) as exc:
            rep.bad(f"{path.name}:{n}: {type(exc).__name__} {exc}")
            return
        ids.append(row["unique_id"])
        inside += lo <= when < hi
    if not inside:
        rep.bad(f"{path.name}: no post inside the window {start} - {end}")
    emb = db / "emb_data" / f"{day}_{location}.npy"
    try:
        vectors = np.load(emb, allow_pickle=True).item()
        missing = [i for i in ids if i not in vectors]
        if missing:
            rep.bad(f"{emb.name}: no vector for {missing[0]}")
    except (OSError, ValueError, AttributeError) as exc:
        rep.bad(f"{emb.name}: unreadable as topic_clustering reads it ({exc})")


def _topics(db: Path, topics: list[str], rep: _Report) -> None:
    # SoMe's tools/__init__ imports post_retrieve, whose class body loads this file: every task's
    # script needs it, topics or not.
    emb_path = db / "emb_data" / "topic_data.npy"
    try:
        emb = np.load(emb_path, allow_pickle=True).item()
    except (OSError, ValueError, AttributeError) as exc:
        rep.bad(f"{emb_path.name}: unreadable as post_retrieve reads it ({exc})")
        emb = None
    for topic in topics:
        doc = _load(db / "topic_data" / f"{topic}.json", rep)
        if doc is None:
            continue
        rep.count("topics")
        try:
            posts = [{k: p[k] for k in TOPIC_KEYS} for p in doc["media_info"].values()]
        except (KeyError, TypeError, AttributeError) as exc:
            rep.bad(f"topic_data/{topic}.json: {type(exc).__name__} {exc}")
            continue
        if emb is not None and (topic not in emb or len(emb[topic]) != len(posts)):
            rep.bad(f"emb_data/topic_data.npy: no vectors for every post of topic {topic!r}")


def check_some_layout(root: str | Path) -> dict[str, Any]:
    """{'ok': bool, 'problems': [...], 'checked': {...}} for an export folder."""
    root = Path(root)
    db, rep = root / "database", _Report()
    present = [n for n in GROUND_TRUTH if (root / "datasets" / n / "ground_truth.json").is_file()]
    if not present and not any((root / "datasets").glob("*/ground_truth.json")):
        rep.bad(f"{root}/datasets: no ground_truth.json at all")   # tasks of ours only (mid-zh) are fine
    gts = {n: _load(root / "datasets" / n / "ground_truth.json", rep) for n in present}
    users: set[str] = set()
    for name, action_level in (("user_behavior_prediction", True), ("user_comment_silmulation", False),
                               ("media_content_recommend", False), ("user_emotion_analysis", False)):
        gt = gts.get(name)
        if gt is None:
            continue
        groups = list(gt.values()) if action_level else [gt]
        for group in groups:
            users |= set(group)
            _posts(db, group, _per_user, rep, "all_posts2.json" if name == "user_emotion_analysis" else "all_posts.json")
        if name == "user_behavior_prediction" and set(gt) - {"like", "comment", "repost"}:
            rep.bad("user_behavior_prediction: actions other than like/comment/repost")
    for uid in sorted(users):
        _user(db, uid, rep)
    for key in gts.get("realtime_event_detection") or {}:
        _red(db, key, rep)
    _topics(db, sorted(gts.get("streaming_event_summary") or {}), rep)
    if gts.get("misinformation_detection"):
        kb = _load(db / "knowledge_data" / "knowledge_base.json", rep)
        if kb is not None:
            try:
                [(d["content"], d["link"]) for d in kb]
                rows = np.load(db / "emb_data" / "knowledge_base.npy").shape[0]
                if rows != len(kb):
                    rep.bad(f"emb_data/knowledge_base.npy: {rows} rows for {len(kb)} documents")
            except (KeyError, TypeError, OSError, ValueError) as exc:
                rep.bad(f"knowledge_data: {type(exc).__name__} {exc}")
    return {"ok": not rep.problems, "problems": rep.problems, "checked": rep.checked}
