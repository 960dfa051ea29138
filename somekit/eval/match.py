"""Pairing predictions with gold cases by key, never by position in a file.

Every gold case answers to one or more keys: our item id, its natural key (user + weibo_id (+
action, + comment for UCS), a MID claim key, an SMQ question, an SES topic, a RED
"<start>_<end>_<location>"), and, for SoMe's own results files, its index in the user's list
(SoMe's harness writes `{user: {"0": answer}}`). A prediction is matched through the key it
carries. Duplicates, missing and extra predictions are counted; a case with two different
answers is left unanswered (not guessed).
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..schemas.tasks import TASKS

#: SoMe's UBP results key actions in Chinese.
ACTIONS = {"点赞": "like", "转发": "repost", "评论": "comment", "like": "like", "repost": "repost", "comment": "comment"}


def natural_key(task: str, *, user: Any = None, post: Any = None, action: Any = None, comment: Any = None,
                key: Any = None) -> tuple | None:
    """The natural key of a user-post case (None when a needed part is missing)."""
    if key is not None:
        return ("key", str(key))
    if user is None or post is None:
        return None
    user, post = str(user), str(post)
    parts = TASKS[task].gold_key   # what tells two questions about one user and post apart
    if "action" in parts:
        act = ACTIONS.get(str(action or "").strip().lower())
        return ("nat", act, user, post) if act else None
    if "comment" in parts:
        return ("nat", user, post, None if comment is None else str(comment))
    return ("nat", user, post)


def index_key(task: str, user: str, index: int, action: str | None = None) -> tuple:
    if "action" in TASKS[task].gold_key:
        return ("idx", ACTIONS.get(action or "", action), str(user), int(index))
    return ("idx", str(user), int(index))


@dataclass
class Matched:
    answers: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)


def match(case_keys: dict[str, list[tuple]], predictions: Iterable[tuple[tuple | None, Any]]) -> Matched:
    """`case_keys`: case id -> the keys it answers to, in gold order; `predictions`: (key, raw
    answer) pairs in file order.

    A key the gold asks k times (SoMe repeats some identical questions) pairs its n-th
    prediction with its n-th case. A key predicted more often than asked is a duplicate: counted,
    and when its answers differ the case is left unanswered rather than guessed."""
    by_key: dict[tuple, str] = {}
    seen: collections.Counter = collections.Counter()
    for cid, keys in case_keys.items():
        for k in dict.fromkeys(keys):
            by_key[(k, seen[k])] = cid
            seen[k] += 1
    answers: dict[str, Any] = {}
    conflicted: set[str] = set()
    used: collections.Counter = collections.Counter()
    extra = unkeyed = duplicate = 0
    for key, answer in predictions:
        if key is None:
            unkeyed += 1
            continue
        if (key, 0) not in by_key:
            extra += 1
            continue
        n = used[key]
        used[key] += 1
        cid = by_key.get((key, n))
        if cid is None or cid in answers:
            duplicate += 1
            first = by_key[(key, min(n, seen[key] - 1))] if cid is None else cid
            if repr(answers.get(first)) != repr(answer):
                conflicted.add(first)
            continue
        answers[cid] = answer
    for cid in conflicted:
        answers.pop(cid, None)
    counts = {"matched": len(answers), "missing": len(case_keys) - len(answers), "extra": extra,
              "unkeyed": unkeyed, "duplicate": duplicate, "conflicting": len(conflicted)}
    return Matched(answers, counts)
