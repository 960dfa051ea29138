"""Corpus text helpers shared by the LLM-drafted tasks (uea, smq, red, ses).

Topics (hashtags or configured keyword groups), related-post retrieval (keywords, then
embeddings), the corpus language (builders/language.py), Weibo comment cleaning, and the LLM-usage counters.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np


_HASHTAG = re.compile(r"#([^#\n]{1,40})#")
_QUOTED = re.compile(r"//\s*@.*$", re.S)          # Weibo: '//@someone: ...' quotes the repost chain
_REPLY = re.compile(r"^\s*回复\s*@[^:：\s]+\s*[:：]\s*")


def own_text(text: str) -> str:
    """A Weibo comment without the quoted repost chain and the 'reply to @x:' prefix."""
    return _REPLY.sub("", _QUOTED.sub("", text or "")).strip()


def hashtags(text: str) -> list[str]:
    return [t.strip() for t in _HASHTAG.findall(text or "") if t.strip()]


def discover_topics(con: Any, min_posts: int = 3, keyword_groups: dict[str, list[str]] | None = None,
                    limit: int | None = None) -> dict[str, list[str]]:
    """Topic -> matching post ids (sorted). Topics come from the posts' `topics` field and #hashtags#
    (kept when at least `min_posts` posts carry them) plus configured keyword groups (a post
    matches a group when it contains every keyword)."""
    rows = con.execute("SELECT id, text, topics FROM posts ORDER BY id").fetchall()
    found: dict[str, set[str]] = {}
    for pid, text, topics in rows:
        for t in set(list(topics or []) + hashtags(text)):
            found.setdefault(t, set()).add(pid)
    out = {t: sorted(ids) for t, ids in found.items() if len(ids) >= min_posts}
    for name, words in (keyword_groups or {}).items():
        ids = [pid for pid, text, _ in rows if text and all(w in text for w in words)]
        if ids:
            out[name] = sorted(ids)
    ranked = sorted(out, key=lambda t: (-len(out[t]), t))
    return {t: out[t] for t in (ranked[:limit] if limit else ranked)}


def related_posts(topic: str, ids: Sequence[str], texts: dict[str, str], vectors: np.ndarray | None,
                  all_ids: Sequence[str], query_vec: np.ndarray | None, k: int = 20,
                  min_sim: float = 0.82) -> list[str]:
    """Keyword matches first, then the most similar other posts above `min_sim` (e5 similarities
    are compressed high, hence the high default), at most `k` in all, deterministic order."""
    picked = list(ids)[:k]
    if vectors is not None and query_vec is not None and len(picked) < k:
        sims = vectors @ query_vec
        have = set(picked)
        for i in np.argsort(-sims, kind="stable"):
            if len(picked) >= k or sims[i] < min_sim:
                break
            if all_ids[i] not in have and texts.get(all_ids[i]):
                picked.append(all_ids[i])
                have.add(all_ids[i])
    return picked


@dataclass
class LLMCounters:
    """Calls, cache hits and failures of one build, for stats.json."""

    calls: int = 0
    cache_hits: int = 0
    failures: int = 0
    errors: Counter = field(default_factory=Counter)

    def add(self, results: Sequence[Any]) -> None:
        for r in results:
            self.calls += 1
            self.cache_hits += bool(getattr(r, "cached", False))
            if not r.ok:
                self.failures += 1
                self.errors[(r.error or "failed").split(":")[0][:60]] += 1

    def to_dict(self) -> dict[str, Any]:
        return {"calls": self.calls, "cache_hits": self.cache_hits, "failures": self.failures,
                "failure_reasons": dict(self.errors.most_common())}

