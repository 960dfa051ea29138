"""`some-db`: SoMe's database of plain files (the layout its agent tools read).

    user_data/<uid>/<uid>.json       {"user": {id, name, followers_count, ...}, "weibo": [post, ...]}
    post_data/all_posts.json         {weibo_id: post, ...}
    knowledge_data/knowledge_base.json  [{content, link}, ...]
    topic_data/<topic>.json          [post, ...] or [weibo_id, ...] or {weibo_id: post}

A post is `{id, text, created_time, region_name, reposts_count, comments_count, attitudes_count,
pictures, video, ...}`; an optional `comments` list (`{id, user_id|uid, text, created_time}`)
becomes comment interactions, `pictures` (URLs or paths) image Media and `video` a video Media.

The same post appears in its author's user file, in all_posts.json and in topic files: that is
the layout, not a duplicate. The adapter therefore reads topic files first (topic names per post,
small), emits each post once (the first file that holds it; later copies only contribute their
author and topics, which are already known) and remembers emitted post ids in a set of strings.
Knowledge-base entries become Reports with id `some-kb:<index>` and no claim.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterator

from ..store.quarantine import Rejected
from .base import Out, Parsed, is_junk, junk_rejection, load_json_file, register
from .timeparse import parse_any_time


def _when(value: Any) -> Any:
    """Weibo time strings -> datetime; an unparseable string is passed on unchanged so that
    validation rejects the record instead of the time vanishing silently."""
    return (parse_any_time(value) or value) if isinstance(value, str) else value


def _root(p: Path) -> Path:
    for cand in (p, p.parent):
        if any((cand / d).is_dir() for d in ("user_data", "post_data", "knowledge_data", "topic_data")):
            return cand
    return p


def _sid(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value) == "":
        return None
    return str(value)


class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.emitted: set[str] = set()
        self.topics: dict[str, list[str]] = {}

    def files(self, sub: str, pattern: str) -> Iterator[Path]:
        folder = self.root / sub
        if folder.is_dir():  # junk files were reported once, up front
            yield from (f for f in sorted(folder.glob(pattern)) if not is_junk(f))

    def post(self, raw: Any, file: Path, loc: str, author: str | None, key: str | None = None) -> Iterator[Out]:
        if not isinstance(raw, dict):
            yield Rejected(str(file), loc, "invalid-record", "post is not a JSON object", repr(raw)[:200])
            return
        pid = _sid(raw.get("id", raw.get("weibo_id", raw.get("mid")))) or key
        if pid is None:
            yield Rejected(str(file), loc, "missing-id", "post without id", repr(raw)[:200])
            return
        if pid in self.emitted:
            return  # the same post in another file of the layout (see the module docstring)
        self.emitted.add(pid)
        src = f"some-db:{file.relative_to(self.root)}"
        author = _sid(raw.get("user_id", raw.get("uid"))) or author
        when = raw.get("created_time", raw.get("created_at"))
        media = list(self._media(raw, pid, src, file, loc))
        yield Parsed("posts", {
            "id": pid, "platform": "weibo", "author_id": author, "text": raw.get("text") or "",
            "created_at": _when(when), "lang": "zh",
            "location": raw.get("region_name") or None, "topics": self.topics.get(pid, []),
            "reposts_count": raw.get("reposts_count"), "comments_count": raw.get("comments_count"),
            "likes_count": raw.get("attitudes_count"), "media_ids": [m.record["id"] for m in media],
            "source": src}, str(file), loc)
        yield from media
        for i, c in enumerate(raw.get("comments") or []):
            yield from self._comment(c, pid, src, file, f"{loc} comment {i}")

    def _media(self, raw: dict, pid: str, src: str, file: Path, loc: str) -> Iterator[Parsed]:
        pics = raw.get("pictures") or []
        items = [("image", u) for u in (pics if isinstance(pics, list) else [pics])]
        if raw.get("video"):
            items.append(("video", raw["video"]))
        for kind, uri in items:
            if isinstance(uri, str) and uri and "://" not in uri and not Path(uri).is_absolute():
                uri = str((file.parent / uri).resolve())
            mid = "some-media:" + hashlib.sha1(f"{pid}\0{uri}".encode()).hexdigest()[:16]
            yield Parsed("media", {"id": mid, "post_id": pid, "kind": kind, "uri": uri, "source": src}, str(file), f"{loc} {kind}")

    def _comment(self, c: Any, pid: str, src: str, file: Path, loc: str) -> Iterator[Out]:
        if not isinstance(c, dict):
            yield Rejected(str(file), loc, "invalid-record", "comment is not a JSON object", repr(c)[:200])
            return
        uid = _sid(c.get("user_id", c.get("uid")))
        if uid:
            yield Parsed("users", {"id": uid, "platform": "weibo", "source": src}, str(file), loc)
        when = c.get("created_time", c.get("created_at"))
        yield Parsed("interactions", {
            "id": _sid(c.get("id")), "kind": "comment", "user_id": uid, "post_id": pid,
            "text": c.get("text") or "", "created_at": _when(when),
            "source": src}, str(file), loc)

    def users(self) -> Iterator[Out]:
        for f in self.files("user_data", "*/*.json"):
            doc = load_json_file(f)
            if isinstance(doc, Rejected):
                yield doc
                continue
            if not isinstance(doc, dict):
                yield Rejected(str(f), "file", "invalid-record", "user file is not a JSON object", repr(doc)[:200])
                continue
            prof = doc.get("user") if isinstance(doc.get("user"), dict) else {}
            uid = _sid(prof.get("id")) or f.stem
            yield Parsed("users", {
                "id": uid, "platform": "weibo", "name": prof.get("name") or prof.get("screen_name"),
                "description": prof.get("description") or None, "location": prof.get("location") or None,
                "gender": prof.get("gender"), "followers_count": prof.get("followers_count"),
                "friends_count": prof.get("friends_count"), "statuses_count": prof.get("statuses_count"),
                "verified": prof.get("verified"), "source": f"some-db:{f.relative_to(self.root)}"}, str(f), "user")
            posts = doc.get("weibo") or []
            if not isinstance(posts, list):
                yield Rejected(str(f), "weibo", "invalid-record", "weibo is not a list", repr(posts)[:200])
                continue
            for i, raw in enumerate(posts):
                yield from self.post(raw, f, f"weibo {i}", uid)

    def all_posts(self) -> Iterator[Out]:
        for f in self.files("post_data", "*.json"):
            doc = load_json_file(f)
            if isinstance(doc, Rejected):
                yield doc
                continue
            entries = doc.items() if isinstance(doc, dict) else ((None, p) for p in doc) if isinstance(doc, list) else None
            if entries is None:
                yield Rejected(str(f), "file", "invalid-record", "expected an object of posts", repr(doc)[:200])
                continue
            for i, (key, raw) in enumerate(entries):
                yield from self.post(raw, f, f"post {key if key is not None else i}", None, key=_sid(key))

    def read_topics(self) -> Iterator[Out]:
        """First pass: topic names per post id (kept), plus the topic posts themselves (emitted last)."""
        pending: list[tuple[Path, str, Any, str | None]] = []
        for f in self.files("topic_data", "*.json"):
            doc = load_json_file(f)
            if isinstance(doc, Rejected):
                yield doc
                continue
            entries = list(doc.items()) if isinstance(doc, dict) else list(enumerate(doc)) if isinstance(doc, list) else None
            if entries is None:
                yield Rejected(str(f), "file", "invalid-record", "topic file is not a list or object", repr(doc)[:200])
                continue
            for key, raw in entries:
                pid = _sid(raw) if not isinstance(raw, dict) else _sid(raw.get("id", raw.get("weibo_id", key if isinstance(key, str) else None)))
                if pid is None:
                    yield Rejected(str(f), f"entry {key}", "missing-id", "topic entry without a post id", repr(raw)[:200])
                    continue
                self.topics.setdefault(pid, []).append(f.stem)
                if isinstance(raw, dict):
                    pending.append((f, f"entry {key}", raw, pid))
        self.pending = pending

    def knowledge(self) -> Iterator[Out]:
        for f in self.files("knowledge_data", "*.json"):
            doc = load_json_file(f)
            if isinstance(doc, Rejected):
                yield doc
                continue
            if not isinstance(doc, list):
                yield Rejected(str(f), "file", "invalid-record", "knowledge base is not a JSON list", repr(doc)[:200])
                continue
            for i, entry in enumerate(doc):
                if not isinstance(entry, dict):
                    yield Rejected(str(f), f"record {i}", "invalid-record", "entry is not an object", repr(entry)[:200])
                    continue
                yield Parsed("reports", {"id": f"some-kb:{i}", "link": entry.get("link"), "content": entry.get("content"),
                                         "source": f"some-db:{f.name}"}, str(f), f"record {i}")


@register("some-db", description="SoMe database layout (user_data/, post_data/, knowledge_data/, topic_data/)")
def read_some_db(paths: list[Path]) -> Iterator[Out]:
    for p in paths:
        root = _root(Path(p))
        reader = _Reader(root)
        if not any((root / d).is_dir() for d in ("user_data", "post_data", "knowledge_data", "topic_data")):
            yield Rejected(str(root), "file", "not-a-some-db-folder", "expected user_data/, post_data/, knowledge_data/ or topic_data/")
            continue
        for junk in sorted(root.rglob("*")):
            if junk.is_file() and is_junk(junk):
                yield junk_rejection(junk)
        yield from reader.read_topics()
        yield from reader.users()
        yield from reader.all_posts()
        for f, loc, raw, pid in reader.pending:
            yield from reader.post(raw, f, loc, None, key=pid)
        yield from reader.knowledge()
