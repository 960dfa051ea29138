"""Synthetic Jetstream events with planted personal data, for tests and bench/persona.py.

Every user plants an email, a phone number, a URL, an IP address, an @handle and a DID in their
texts and profile, so a scan of the outputs can prove that none of it survives anonymisation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Iterator

import orjson

WORDS = ("coffee garden rain music river code bike paper tea cats mountain jazz bread night city "
         "moon train book film game ocean snow art news vote team match goal star light").split()


@dataclass
class Planted:
    """The personal data planted for one user (what must never reach an item)."""

    did: str
    handle: str
    email: str
    phone: str
    url: str
    ip: str
    texts: list[str] = field(default_factory=list)


def _did(rng: random.Random) -> str:
    return "did:plc:" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(24))


def make_users(n: int, seed: int = 0) -> list[Planted]:
    rng = random.Random(seed)
    users = []
    for i in range(n):
        name = f"user{i}x{rng.randrange(10**6)}"
        users.append(Planted(did=_did(rng), handle=f"{name}.bsky.social", email=f"{name}@mailhost{i}.example.com",
                             phone=f"+1 555 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
                             url=f"https://{name}.example.net/p/{i}", ip=f"10.{i % 250}.{rng.randrange(256)}.{rng.randrange(1, 255)}"))
    return users


class EventWriter:
    """Builds Jetstream events; remembers posts, likes and follows so deletes can undo them."""

    def __init__(self, users: list[Planted], seed: int = 0, t0_us: int = 1_730_000_000_000_000):
        self.users, self.rng, self.t = users, random.Random(seed), t0_us
        self.posts: list[tuple[str, str]] = []      # (uri, did)
        self.records: list[tuple[str, str, str]] = []  # (did, collection, rkey) undoable
        self.deleted: set[str] = set()              # uris of deleted posts
        self.n = 0

    def _event(self, did: str, op: str, coll: str, rkey: str, record: dict | None) -> dict[str, Any]:
        self.t += self.rng.randrange(1, 5_000_000)
        commit: dict[str, Any] = {"rev": "r", "operation": op, "collection": coll, "rkey": rkey}
        if record is not None:
            commit.update(record=record, cid=f"bafy{self.n}")
        self.n += 1
        return {"did": did, "time_us": self.t, "kind": "commit", "commit": commit}

    def _created(self) -> str:
        import datetime as dt

        return dt.datetime.fromtimestamp(self.t / 1e6 + 1, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def _rkey(self) -> str:
        return f"3k{self.n:010d}"

    def text(self, u: Planted, with_pii: bool) -> str:
        words = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randrange(4, 12)))
        if with_pii:
            other = self.rng.choice(self.users)
            pii = self.rng.choice([f"mail {u.email}", f"call {u.phone}", f"see {u.url}", f"server {u.ip}",
                                   f"hi @{other.handle}", f"I am {u.did}"])
            words = f"{words} {pii} {self.n}"
        return f"{words} #{self.n}"

    def post(self, u: Planted, reply_to: str | None = None, quote: str | None = None, pii: bool = True) -> dict:
        rkey = self._rkey()
        text = self.text(u, pii)
        record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text, "langs": ["en"], "createdAt": self._created()}
        if reply_to:
            root = reply_to
            record["reply"] = {"root": {"uri": root, "cid": "x"}, "parent": {"uri": reply_to, "cid": "x"}}
        if quote:
            record["embed"] = {"$type": "app.bsky.embed.record", "record": {"uri": quote, "cid": "x"}}
        u.texts.append(text)
        uri = f"at://{u.did}/app.bsky.feed.post/{rkey}"
        self.posts.append((uri, u.did))
        return self._event(u.did, "create", "app.bsky.feed.post", rkey, record)

    def subject(self, u: Planted, coll: str, subject: str) -> dict:
        rkey = self._rkey()
        self.records.append((u.did, coll, rkey))
        value: Any = subject if coll.startswith("app.bsky.graph") else {"uri": subject, "cid": "x"}
        return self._event(u.did, "create", coll, rkey, {"$type": coll, "subject": value, "createdAt": "2024-11-01T10:00:00Z"})

    def delete(self, did: str, coll: str, rkey: str) -> dict:
        return self._event(did, "delete", coll, rkey, None)

    def profile(self, u: Planted) -> dict:
        return self._event(u.did, "update", "app.bsky.actor.profile", "self",
                           {"$type": "app.bsky.actor.profile", "displayName": u.handle,
                            "description": f"contact {u.email} / {u.phone}"})

    def identity(self, u: Planted) -> dict:
        self.t += 1
        return {"did": u.did, "time_us": self.t, "kind": "identity", "identity": {"did": u.did, "handle": u.handle, "seq": 1}}

    def account(self, u: Planted, status: str | None, active: bool) -> dict:
        """A Jetstream account event (deletion, takedown, deactivation, reactivation)."""
        self.t += 1
        acc: dict[str, Any] = {"did": u.did, "active": active, "seq": self.t, "time": "2024-11-01T10:00:00Z"}
        if status:
            acc["status"] = status
        return {"did": u.did, "time_us": self.t, "kind": "account", "account": acc}

    def update(self, u: Planted, uri: str) -> dict:
        rkey = uri.rsplit("/", 1)[1]
        text = self.text(u, True) + " (edited)"
        u.texts.append(text)
        return self._event(u.did, "update", "app.bsky.feed.post", rkey, {"$type": "app.bsky.feed.post", "text": text,
                                                                         "createdAt": "2024-11-01T10:00:00Z"})


def generate(n_events: int, n_users: int = 50, seed: int = 0) -> tuple[list[Planted], Iterator[dict]]:
    """Users and a stream of n_events events covering all 13 actions, profiles and identities."""
    users = make_users(n_users, seed)
    w = EventWriter(users, seed)

    def stream() -> Iterator[dict]:
        for u in users:
            yield w.identity(u)
            yield w.profile(u)
        for u in users:
            yield w.post(u)
        emitted = 2 * len(users) + len(users)
        while emitted < n_events:
            u = w.rng.choice(users)
            r = w.rng.random()
            if r < 0.22:
                ev = w.post(u, pii=w.rng.random() < 0.5)
            elif r < 0.34:
                ev = w.post(u, reply_to=w.rng.choice(w.posts)[0])
            elif r < 0.40:
                ev = w.post(u, quote=w.rng.choice(w.posts)[0])
            elif r < 0.62:
                ev = w.subject(u, "app.bsky.feed.like", w.rng.choice(w.posts)[0])
            elif r < 0.72:
                ev = w.subject(u, "app.bsky.feed.repost", w.rng.choice(w.posts)[0])
            elif r < 0.80:
                ev = w.subject(u, "app.bsky.graph.follow", w.rng.choice(users).did)
            elif r < 0.83:
                ev = w.subject(u, "app.bsky.graph.block", w.rng.choice(users).did)
            elif r < 0.92 and w.records:
                did, coll, rkey = w.records.pop(w.rng.randrange(len(w.records)))
                ev = w.delete(did, coll, rkey)
            elif r < 0.96:
                own = [p for p, d in w.posts[-200:] if d == u.did and p not in w.deleted]
                ev = w.update(u, own[-1]) if own else w.post(u)
            else:
                own = [p for p, d in w.posts[-200:] if d == u.did and p not in w.deleted]
                if own:
                    w.deleted.add(own[0])
                ev = w.delete(u.did, "app.bsky.feed.post", own[0].rsplit("/", 1)[1]) if own else w.profile(u)
            emitted += 1
            yield ev

    return users, stream()


def write_jsonl(path: Any, events: Iterator[dict]) -> int:
    n = 0
    with open(path, "wb") as fh:
        for ev in events:
            fh.write(orjson.dumps(ev) + b"\n")
            n += 1
    return n
