"""Context threads for nap items: the post acted on and its ancestors, anonymised."""

from __future__ import annotations

from typing import Any

from ..persona.anonymise import day_of, hash_id, scrub_text

MAX_DEPTH = 5


class ThreadIndex:
    """Live (not deleted) posts by id, to walk reply chains without a query per item."""

    def __init__(self, rows: list[tuple], salt: bytes, keep_day: bool, ranks: dict[str, int], names: bool | None = None):
        # rows: (id, author_id, text, parent_id, t_us)
        self.posts = {r[0]: r[1:] for r in rows}
        self.salt = salt
        self.keep_day = keep_day
        self.ranks = ranks
        self._scrubbed: dict[str, str] = {}
        self.names = names

    def text(self, post_id: str) -> str:
        if post_id not in self._scrubbed:
            self._scrubbed[post_id] = scrub_text(self.posts[post_id][1] or "", self.names)
        return self._scrubbed[post_id]

    def entry(self, post_id: str) -> dict[str, Any]:
        author, _, _, t_us = self.posts[post_id]
        out: dict[str, Any] = {"kind": "post", "post": hash_id(post_id, self.salt, "p"),
                               "author": hash_id(author, self.salt) if author else None,
                               "text": self.text(post_id), "rank": self.ranks.get(post_id)}
        if self.keep_day:
            out["day"] = day_of(t_us)
        return out

    def chain(self, post_id: str | None, depth: int = MAX_DEPTH) -> list[dict[str, Any]]:
        """The thread ending at post_id, oldest first, at most `depth` posts. The walk stops at a
        post that is deleted or outside the capture: its text must not (or cannot) appear."""
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        while post_id and post_id in self.posts and post_id not in seen and len(out) < depth:
            seen.add(post_id)
            out.append(self.entry(post_id))
            post_id = self.posts[post_id][2]
        out.reverse()
        return out
