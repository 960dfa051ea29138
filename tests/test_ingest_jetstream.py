"""`jetstream` adapter: every Bluesky action kind, deletes, and bad input."""

from __future__ import annotations

from somekit.ingest import ingest
from tests.test_ingest_helpers import quarantine, reasons, rows, write_jsonl

A, B, C = "did:plc:alice", "did:plc:bob", "did:plc:carol"
T0 = 1_748_736_000_000_000


def ev(i, did, op, coll, rkey, record=None, cid=None):
    commit = {"rev": f"r{i}", "operation": op, "collection": coll, "rkey": rkey}
    if record is not None:
        commit.update(record=record, cid=cid or f"bafy{i}")
    return {"did": did, "time_us": T0 + i * 1_000_000, "kind": "commit", "commit": commit}


def uri(did, coll, rkey):
    return f"at://{did}/{coll}/{rkey}"


POST = "app.bsky.feed.post"


def realistic():
    p_a = uri(A, POST, "3kpa")
    return [
        {"did": A, "time_us": T0, "kind": "identity", "identity": {"did": A, "handle": "alice.bsky.social", "seq": 1}},
        ev(1, A, "create", "app.bsky.actor.profile", "self", {"displayName": "Alice", "description": "runner"}),
        ev(2, A, "create", POST, "3kpa", {"text": "Marathon today", "langs": ["en"], "createdAt": "2025-06-01T00:00:00.000Z"}),
        ev(3, B, "create", POST, "3kpb", {"text": "Good luck!", "createdAt": "2025-06-01T00:01:00Z",
                                          "reply": {"root": {"uri": p_a, "cid": "x"}, "parent": {"uri": p_a, "cid": "x"}}}),
        ev(4, C, "create", POST, "3kpc", {"text": "Look at this", "createdAt": "2025-06-01T00:02:00Z",
                                          "embed": {"$type": "app.bsky.embed.recordWithMedia",
                                                    "record": {"record": {"uri": p_a, "cid": "x"}}, "media": {}}}),
        ev(5, B, "create", "app.bsky.feed.like", "3kl1", {"subject": {"uri": p_a, "cid": "x"}, "createdAt": "2025-06-01T00:03:00Z"}),
        ev(6, C, "create", "app.bsky.feed.repost", "3kr1", {"subject": {"uri": p_a, "cid": "x"}}),
        ev(7, C, "create", "app.bsky.feed.like", "3kl2", {"subject": {"uri": "at://did:plc:old/app.bsky.feed.post/zz", "cid": "o"}}),
        ev(8, B, "create", "app.bsky.graph.follow", "3kf1", {"subject": A}),
        ev(9, C, "create", "app.bsky.graph.block", "3kb1", {"subject": B}),
        ev(10, A, "update", POST, "3kpa", {"text": "Marathon today (edited)"}, cid="bafyedit"),
        ev(11, A, "update", "app.bsky.actor.profile", "self", {"displayName": "Alice R.", "description": "runner, coder"}),
        ev(12, B, "delete", "app.bsky.feed.like", "3kl1"),
        ev(13, C, "delete", "app.bsky.feed.repost", "3kr1"),
        ev(14, B, "delete", "app.bsky.graph.follow", "3kf1"),
        ev(15, C, "delete", "app.bsky.graph.block", "3kb1"),
        ev(16, B, "delete", POST, "3kpb"),
    ]


def test_jetstream_maps_every_action(ws, tmp_path):
    src = write_jsonl(tmp_path / "js" / "events.jsonl", realistic())
    ingest(ws, "jetstream", [src])
    assert reasons(ws) == {}
    kinds = dict(rows(ws, "SELECT kind, count(*) FROM interactions GROUP BY kind"))
    assert kinds == {"reply": 1, "quote": 1, "like": 2, "repost": 1, "follow": 1, "block": 1, "post_update": 1,
                     "unlike": 1, "unrepost": 1, "unfollow": 1, "unblock": 1, "post_delete": 1}
    p_a, p_b = uri(A, POST, "3kpa"), uri(B, POST, "3kpb")
    assert rows(ws, f"SELECT parent_id, root_id, platform FROM posts WHERE id = '{p_b}'") == [(p_a, p_a, "bluesky")]
    assert rows(ws, f"SELECT user_id, post_id, parent_id, text FROM interactions WHERE kind = 'reply'") == [(B, p_a, p_a, "Good luck!")]
    assert rows(ws, "SELECT user_id, post_id FROM interactions WHERE kind = 'quote'") == [(C, p_a)]
    assert rows(ws, "SELECT user_id, target_user_id FROM interactions WHERE kind IN ('follow', 'block') ORDER BY kind") == [(C, B), (B, A)]
    # deletes name the record taken back; the post delete names the post
    assert rows(ws, "SELECT parent_id FROM interactions WHERE kind = 'unlike'") == [(uri(B, "app.bsky.feed.like", "3kl1"),)]
    assert rows(ws, "SELECT post_id FROM interactions WHERE kind = 'post_delete'") == [(p_b,)]
    assert rows(ws, "SELECT text FROM interactions WHERE kind = 'post_update'") == [("Marathon today (edited)",)]
    # profile updates: the fuller, later profile; identity handle fills a bare user
    assert rows(ws, f"SELECT name, description FROM users WHERE id = '{A}'") in ([("Alice", "runner")], [("Alice R.", "runner, coder")])
    assert sorted(r[0] for r in rows(ws, "SELECT id FROM users")) == [A, B, C]
    # a like of a post outside the capture is kept (check_refs is off for jetstream)
    assert rows(ws, "SELECT count(*) FROM interactions WHERE post_id LIKE 'at://did:plc:old/%'") == [(1,)]
    assert rows(ws, "SELECT epoch_us(created_at) FROM interactions WHERE kind = 'like' ORDER BY 1 LIMIT 1") == [(T0 + 5_000_000,)]


def test_jetstream_every_bad_input_kind(ws, tmp_path):
    good = ev(1, A, "create", POST, "p1", {"text": "ok", "createdAt": "2025-06-01T00:00:00Z"})
    d = tmp_path / "js"
    write_jsonl(d / "e.jsonl", [
        good,
        b'{"did": "did:plc:x", "kind": "commit", "commit": {',                       # malformed JSON
        ev(2, A, "create", POST, "p2", {"text": 42}),                               # wrong type
        {"time_us": T0, "kind": "commit", "commit": {"operation": "create"}},       # missing did
        ev(3, A, "create", POST, "", {"text": "no rkey"}),                          # missing id (rkey)
        ev(4, A, "create", POST, "p4", {"text": "bad time", "createdAt": "yesterday"}),  # wrong type (time)
        b'{"did": "did:plc:x", "kind": "commit", "text": "\xff"}',                  # invalid UTF-8
        b'{"did": "did:plc:x\x00", "kind": "commit"}',                              # NUL byte
        good,                                                                        # exact duplicate
        ev(5, A, "create", POST, "p1", {"text": "other text"}),                      # conflicting id
        ev(6, A, "create", "app.bsky.graph.listitem", "li1", {"subject": B}),       # unsupported
        {"did": A, "time_us": T0, "kind": "account", "account": {"active": False}},  # unsupported
        ev(7, A, "create", POST, "p9", None),                                        # create without record
        "a string",                                                                  # not an object
    ])
    (d / "._e.jsonl").write_bytes(b"\x00\x05\x16\x07")
    report = ingest(ws, "jetstream", [d])
    assert reasons(ws) == {"malformed-json": 1, "invalid-record": 3, "missing-id": 2, "invalid-utf8": 1,
                           "nul-bytes": 1, "duplicate": 1, "conflicting-id": 1, "unsupported-event": 3, "junk-file": 1}
    assert report.added["posts"] == 1
    assert rows(ws, "SELECT text FROM posts") == [("ok",)]
    q = {e["loc"]: e for e in quarantine(ws) if e["file"].endswith("e.jsonl")}
    assert q["line 11"]["reason"] == "unsupported-event" and "listitem" in q["line 11"]["detail"]


def test_jetstream_reingest_adds_nothing(ws, tmp_path):
    src = write_jsonl(tmp_path / "events.jsonl", realistic())
    ingest(ws, "jetstream", [src])
    again = ingest(ws, "jetstream", [src])
    assert set(again.added.values()) == {0}
    assert reasons(ws) == {}
