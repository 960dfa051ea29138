"""`jetstream`: Bluesky Jetstream events, one JSON object per line.

Each event is `{did, time_us, kind, commit: {operation, collection, rkey, record, cid}}`. Ids are
the AT URIs of the records (`at://<did>/<collection>/<rkey>`), so a like's post_id is exactly the
`subject.uri` it names. What becomes what:

- post create: a Post (replies carry parent_id/root_id, quotes parent_id = the quoted post); a
  reply also yields an Interaction `reply` (post_id = the thread root, parent_id = the post
  replied to, text = the reply) and a quote an Interaction `quote` (post_id = the quoted post);
- like / repost create: Interaction like / repost on `subject.uri`;
- follow / block create: Interaction follow / block with target_user_id = `subject` (a DID);
- profile create/update and identity events: a User (display name or handle, description).
  Users merge by "most complete profile wins, earliest on ties" (engine rule), so an update
  that fills more fields replaces the old profile but an equally complete rename does not:
  a known limitation, since User has no update time to order profiles by;
- post update: Interaction post_update (the new text); deletes: Interaction post_delete, unlike,
  unrepost, unfollow, unblock with parent_id = the AT URI of the record taken back (Jetstream
  sends no record body with a delete, so the liked post itself is unknown at that point).
  Builders honour these (takedowns) by anti-joining on parent_id / post_id.
- every acting DID becomes a User, so interactions never name an unknown user.

Dangling references are NOT checked (Adapter.check_refs=False): a capture of the firehose is a
time slice of a network, and most likes, reposts and replies point at posts created before the
capture began. Quarantining them would throw away the bulk of real activity; builders that need
the target post join on posts and simply find no text for such targets.
Other collections (lists, feed generators, ...) and account events are quarantined as
`unsupported-event` so nothing disappears without a trace.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from ..store.quarantine import Rejected
from .base import Out, Parsed, is_junk, iter_json_lines, junk_rejection, register, walk_files

POST, LIKE, REPOST = "app.bsky.feed.post", "app.bsky.feed.like", "app.bsky.feed.repost"
FOLLOW, BLOCK, PROFILE = "app.bsky.graph.follow", "app.bsky.graph.block", "app.bsky.actor.profile"
#: Interaction kind for creating / deleting a record of each collection.
_CREATE = {LIKE: "like", REPOST: "repost", FOLLOW: "follow", BLOCK: "block"}
_DELETE = {POST: "post_delete", LIKE: "unlike", REPOST: "unrepost", FOLLOW: "unfollow", BLOCK: "unblock"}


def _time(time_us: Any) -> datetime | None:
    if isinstance(time_us, (int, float)) and not isinstance(time_us, bool):
        return datetime.fromtimestamp(time_us / 1e6, timezone.utc)
    return None


def _subject_uri(record: dict) -> Any:
    subject = record.get("subject")
    return subject.get("uri") if isinstance(subject, dict) else subject


def _quoted_uri(record: dict) -> str | None:
    embed = record.get("embed")
    if not isinstance(embed, dict):
        return None
    kind = embed.get("$type", "")
    if kind == "app.bsky.embed.record":
        inner = embed.get("record")
    elif kind == "app.bsky.embed.recordWithMedia":
        inner = (embed.get("record") or {}).get("record")
    else:
        return None
    return inner.get("uri") if isinstance(inner, dict) else None


def _post(did: str, uri: str, record: dict, when: datetime | None, src: str) -> Iterator[tuple[str, dict]]:
    reply = record.get("reply") if isinstance(record.get("reply"), dict) else None
    parent = (reply.get("parent") or {}).get("uri") if reply else None
    root = (reply.get("root") or {}).get("uri") if reply else None
    quoted = _quoted_uri(record)
    langs = record.get("langs")
    text = record.get("text", "")
    yield "posts", {
        "id": uri, "platform": "bluesky", "author_id": did, "text": text,
        "created_at": record.get("createdAt") or when, "lang": langs[0] if isinstance(langs, list) and langs else None,
        "parent_id": parent or quoted, "root_id": root, "source": src,
    }
    if parent:
        yield "interactions", {"id": uri, "kind": "reply", "user_id": did, "post_id": root or parent,
                               "parent_id": parent, "text": text, "created_at": when, "source": src}
    elif quoted:
        yield "interactions", {"id": uri, "kind": "quote", "user_id": did, "post_id": quoted,
                               "text": text, "created_at": when, "source": src}


def _commit(did: str, commit: dict, when: datetime | None, src: str) -> Iterator[tuple[str, dict]] | str:
    """(table, record) pairs for one commit, or a string saying why it is unsupported."""
    op, coll, rkey = commit.get("operation"), commit.get("collection"), commit.get("rkey")
    uri = f"at://{did}/{coll}/{rkey}"
    record = commit.get("record")
    if op in ("create", "update") and not isinstance(record, dict):
        return f"{op} without a record object"
    if coll == PROFILE and op in ("create", "update"):
        return iter([("users", {"id": did, "platform": "bluesky", "name": record.get("displayName") or None,
                                "description": record.get("description") or None,
                                "created_at": record.get("createdAt"), "source": src})])
    if op == "create" and coll == POST:
        return _post(did, uri, record, when, src)
    if op == "create" and coll in _CREATE:
        subject = _subject_uri(record)
        target = {"target_user_id": subject} if coll in (FOLLOW, BLOCK) else {"post_id": subject}
        return iter([("interactions", {"id": uri, "kind": _CREATE[coll], "user_id": did, **target,
                                       "created_at": when, "source": src})])
    if op == "update" and coll == POST:
        return iter([("interactions", {"id": f"{uri}#update:{commit.get('cid')}", "kind": "post_update",
                                       "user_id": did, "post_id": uri, "text": record.get("text", ""),
                                       "created_at": when, "source": src})])
    if op == "delete" and coll in _DELETE:
        post = {"post_id": uri} if coll == POST else {}
        return iter([("interactions", {"id": f"{uri}#delete", "kind": _DELETE[coll], "user_id": did,
                                       "parent_id": uri, **post, "created_at": when, "source": src})])
    return f"{op} of {coll} is not a supported action"


@register("jetstream", check_refs=False, description="Bluesky Jetstream events (JSON lines)")
def read_jetstream(paths: list[Path]) -> Iterator[Out]:
    for f in walk_files(paths, (".jsonl", ".json", ".ndjson")):
        if is_junk(f):
            yield junk_rejection(f)
            continue
        src = f"jetstream:{f.name}"
        for item in iter_json_lines(f):
            if isinstance(item, Rejected):
                yield item
                continue
            loc, ev = item
            yield from _event(ev, str(f), loc, src)


def _event(ev: Any, file: str, loc: str, src: str) -> Iterator[Out]:
    if not isinstance(ev, dict):
        yield Rejected(file, loc, "invalid-record", "event is not a JSON object", repr(ev)[:200])
        return
    did = ev.get("did")
    if not isinstance(did, str) or not did:
        yield Rejected(file, loc, "missing-id", "event without a did", repr(ev)[:200])
        return
    when = _time(ev.get("time_us"))
    kind = ev.get("kind")
    if kind == "identity":
        handle = (ev.get("identity") or {}).get("handle") if isinstance(ev.get("identity"), dict) else None
        yield Parsed("users", {"id": did, "platform": "bluesky", "name": handle, "source": src}, file, loc)
        return
    commit = ev.get("commit")
    if kind != "commit" or not isinstance(commit, dict):
        yield Rejected(file, loc, "unsupported-event", f"event kind {kind!r} carries no supported action", repr(ev)[:200])
        return
    if not isinstance(commit.get("rkey"), str) or not commit.get("rkey"):
        yield Rejected(file, loc, "missing-id", "commit without an rkey", repr(ev)[:200])
        return
    out = _commit(did, commit, when, src)
    if isinstance(out, str):
        yield Rejected(file, loc, "unsupported-event", out, repr(ev)[:200])
        return
    yield Parsed("users", {"id": did, "platform": "bluesky", "source": src}, file, loc)
    for table, rec in out:
        yield Parsed(table, rec, file, f"{loc} {table}")
