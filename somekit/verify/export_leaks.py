"""`verify --export DIR`: answer leaks and answerability in an exported SoMe folder.

Read from the written files only (datasets/<SoMe name>/ground_truth.json and
database/user_data/), so it checks what an agent gets:
- `answer-leak`: an asked user's history holds an entry on an asked post: its post, the post it
  reposts/comments on, or the post a reply answers directly (`reply_to`), or any history entry
  carries a text shown in a query (UCS comments, UBP comment texts of both labels);
- `min-history` (with settings): fewer than `min_history_share` of the asked users keep at least
  `min_history` history entries.
The export itself runs the leak part before it finishes (export/some/writer.py).
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import orjson

from ..schemas.tasks import task_codes, task_spec
from . import Violation
from .textrules import squash

#: The user-centric tasks, read as SoMe's harness reads them (folder names from the task table,
#: never through the exporter's code).
USER_POST_TASKS = task_codes(user_centric=True)


def _user_files(out: Path) -> list[Path]:
    return sorted((out / "database" / "user_data").glob("*/*.json"))
#: Shown texts this long (squashed) are also found inside longer texts (a repost chain quoting
#: them); shorter ones only on an exact match, or '好' would empty every history.
CONTAINS_MIN = 6


def asked_from_ground_truth(out: Path) -> tuple[dict[str, set[str]], set[str]]:
    """Asked posts per user and the squashed texts shown in queries, read from the files."""
    per_user: dict[str, set[str]] = collections.defaultdict(set)
    texts: set[str] = set()
    for task in USER_POST_TASKS:
        spec = task_spec(task)
        path = out / "datasets" / str(spec.some_name) / "ground_truth.json"
        if not path.exists():
            continue
        gt = orjson.loads(path.read_bytes())
        groups = gt.values() if spec.some_nested_by else [gt]
        for group in groups:
            for uid, entries in group.items():
                for e in entries:
                    per_user[str(uid)].add(str(e["weibo_id"]))
                    for key in ("comment",) if spec.comment_input else ():
                        if e.get(key):
                            texts.add(squash(e[key]))
    return per_user, texts - {""}


def text_leaks(text: str | None, texts: set[str], long_texts: list[str]) -> bool:
    norm = squash(text)
    return bool(norm) and (norm in texts or any(t in norm for t in long_texts))


def _touched(entry: dict[str, Any]) -> set[str]:
    ids = {entry.get("retweeted_id"), entry.get("weibo_id"), entry.get("reply_to")}
    if "retweeted_id" in entry:
        ids.add(entry.get("id"))
    return {str(i) for i in ids if i}


def check_export(out: Path, settings: Any = None) -> list[Violation]:
    per_user, texts = asked_from_ground_truth(out)
    long_texts = sorted(t for t in texts if len(t) >= CONTAINS_MIN)
    found: list[Violation] = []
    sizes: dict[str, int] = {}
    for path in _user_files(out):
        doc = orjson.loads(path.read_bytes())
        uid = str(doc.get("user", {}).get("id", path.stem))
        entries = doc.get("weibo", []) + doc.get("likes", [])
        sizes[uid] = len(entries)
        mine = per_user.get(uid, set())
        for e in entries:
            hit = _touched(e) & mine
            if hit:
                found.append(Violation("answer-leak", "export", uid,
                                       f"{path.relative_to(out)} shows user {uid} acting on asked post {sorted(hit)[0]}"))
            elif text_leaks(e.get("text"), texts, long_texts):
                found.append(Violation("answer-leak", "export", uid,
                                       f"{path.relative_to(out)} entry {e.get('id')} carries a text shown in a query (a UCS comment or a UBP comment text)"))
    if settings is not None and per_user:
        short = sorted(u for u in per_user if sizes.get(u, 0) < settings.min_history)
        share = 1 - len(short) / len(per_user)
        if share < settings.min_history_share:
            found.append(Violation("min-history", "export", short[0],
                                   f"{share:.1%} of {len(per_user)} asked users have >= {settings.min_history} history entries "
                                   f"(required: {settings.min_history_share:.0%}); e.g. user {short[0]} has {sizes.get(short[0], 0)}"))
    return found


def history_share(out: Path, min_history: int) -> float:
    """Share of asked users with at least `min_history` history entries in an export."""
    per_user, _ = asked_from_ground_truth(out)
    if not per_user:
        return 1.0
    sizes = {}
    for path in _user_files(out):
        doc = orjson.loads(path.read_bytes())
        sizes[str(doc.get("user", {}).get("id", path.stem))] = len(doc.get("weibo", []) + doc.get("likes", []))
    return sum(sizes.get(u, 0) >= min_history for u in per_user) / len(per_user)
