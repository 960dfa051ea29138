"""MCR's content rule, near-copies included: a negative post must be no near-copy of any post
the user touched (builders/events.py: Jaccard of character n-gram sets >= the event threshold).

The exact rule (same normalised text) runs in SQL while negatives are drawn (pairs.py); this one
runs on the few candidates drawn per anchor, against the few posts the user touched, so it costs
milliseconds where clustering the whole corpus would cost minutes.
"""

from __future__ import annotations

from typing import Iterable

import duckdb
import pyarrow as pa

from .events import near_copy


class NearCopies:
    """Texts of the posts each user touched, and of candidate negatives, loaded on demand."""

    def __init__(self, con: duckdb.DuckDBPyConnection, threshold: float, shingle: int):
        self.con, self.threshold, self.shingle = con, threshold, shingle
        # Post bodies, not body + media text: what the posts say is what makes them copies (two
        # reposts of one rumour carry different pictures), and verify compares bodies too.
        has_body = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'posts_body'").fetchone()[0]
        self.posts = "posts_body" if has_body else "posts"
        self.touched: dict[str, list[str]] = {}
        self.text: dict[str, str] = {}
        self.rejected = 0

    def load(self, users: Iterable[str], posts: Iterable[str]) -> None:
        users = sorted(set(users) - set(self.touched))
        posts = sorted(set(posts) - set(self.text))
        if users:
            self.con.register("_nc_users", pa.table({"user_id": pa.array(users, pa.string())}))
            for user in users:
                self.touched[user] = []
            for user, text in self.con.execute(f"""
                    SELECT t.user_id, p.text FROM touched t JOIN _nc_users USING (user_id) JOIN {self.posts} p ON p.id = t.post_id
                    WHERE p.text IS NOT NULL""").fetchall():
                self.touched[user].append(text)
            self.con.unregister("_nc_users")
        if posts:
            self.con.register("_nc_posts", pa.table({"id": pa.array(posts, pa.string())}))
            self.text.update(dict(self.con.execute(
                f"SELECT p.id, coalesce(p.text, '') FROM {self.posts} p JOIN _nc_posts USING (id)").fetchall()))
            self.con.unregister("_nc_posts")

    def allowed(self, user: str, post: str) -> bool:
        text = self.text.get(post, "")
        if any(near_copy(text, other, self.threshold, self.shingle) for other in self.touched.get(user, ())):
            self.rejected += 1
            return False
        return True
