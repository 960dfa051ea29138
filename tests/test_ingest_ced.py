"""`ced` adapter: acceptance on the real CED data (counts made independently from the JSON files)
and every kind of bad input on small CED-shaped folders written here."""

from __future__ import annotations

import json
import os
from pathlib import Path

import orjson
import pytest

from somekit.ingest import ingest
from somekit.ingest.base import is_junk
from somekit.errors import IngestError
from somekit.store.stats import corpus_stats
from tests.test_ingest_helpers import corpus_digest, quarantine, reasons, rows, write_json


def _independent_counts(ced: Path) -> dict:
    """Straight from the files: distinct first occurrences of post and cascade ids, users,
    duplicates vs conflicts on the fields a record keeps, junk files."""
    originals = ced / "original-microblog"
    posts, users, first = set(), set(), {}
    dup = conflict = 0
    for name in sorted(os.listdir(originals)):
        if not name.endswith(".json") or name.startswith("._"):
            continue
        _, mid, uid = name[:-5].split("_")
        posts.add(mid)
        users.add(uid)
        cascades = [ced / folder / name for folder in ("rumor-repost", "non-rumor-repost") if (ced / folder / name).exists()]
        for r in (r for cascade in cascades for r in orjson.loads(cascade.read_bytes())):
            users.add(str(r["uid"]))
            key = (mid, r.get("uid"), r.get("text"), r.get("date"), r.get("parent") or None)
            if r["mid"] not in first:
                first[r["mid"]] = key
            elif first[r["mid"]] == key:
                dup += 1
            else:
                conflict += 1
    junk = [p for p in ced.rglob("*") if p.is_file() and (p.name == ".DS_Store" or p.name.startswith("._"))]
    return {"posts": len(posts), "users": len(users), "interactions": len(first), "duplicate": dup,
            "conflicting-id": conflict, "junk": len(junk)}


def test_ced_acceptance_counts_match_independent_count(ced_ws, ced_dir):
    expected = _independent_counts(ced_dir)
    stats = corpus_stats(ced_ws)
    assert stats["posts"] == expected["posts"] == len([n for n in os.listdir(ced_dir / "original-microblog") if n.endswith(".json")])
    assert stats["users"] == expected["users"]
    assert sum(stats["interactions"].values()) == expected["interactions"]
    assert set(stats["interactions"]) == {"comment", "repost"}
    q = reasons(ced_ws)
    assert q.get("duplicate", 0) == expected["duplicate"] > 0
    assert q.get("conflicting-id", 0) == expected["conflicting-id"] > 0
    assert q.get("junk-file") == expected["junk"] > 0
    junk = [e for e in quarantine(ced_ws) if e["reason"] == "junk-file"]
    assert all(Path(e["file"]).name in (".DS_Store", "._.DS_Store") and e["detail"] for e in junk)


def test_ced_records_keep_ids_parents_and_kinds(ced_ws, ced_dir):
    name = sorted(n for n in os.listdir(ced_dir / "rumor-repost") if n.endswith(".json") and not n.startswith("._"))[0]
    mid = name.split("_")[1]
    raw = orjson.loads((ced_dir / "rumor-repost" / name).read_bytes())
    rec = next(r for r in raw if r.get("parent"))
    got = rows(ced_ws, f"SELECT kind, user_id, post_id, parent_id, text FROM interactions WHERE id = '{rec['mid']}'")
    kind = "comment" if rec["text"].strip() else "repost"
    assert got == [(kind, str(rec["uid"]), mid, rec["parent"], rec["text"])]
    # every interaction's author is a user; every interaction's post exists
    assert rows(ced_ws, "SELECT count(*) FROM interactions i ANTI JOIN users u ON i.user_id = u.id") == [(0,)]
    assert rows(ced_ws, "SELECT count(*) FROM interactions i ANTI JOIN posts p ON i.post_id = p.id") == [(0,)]
    # the author profile of the source post survives the bare cascade copies of the same user
    uid = name[:-5].split("_")[2]
    assert rows(ced_ws, f"SELECT followers_count IS NOT NULL FROM users WHERE id = '{uid}'") == [(True,)]


def _ced(tmp_path: Path, posts: dict[str, list | bytes | None], name: str = "ced") -> Path:
    """A CED-shaped folder: {'<idx>_<mid>_<uid>': cascade list (or raw bytes, or None = no cascade)}."""
    root = tmp_path / name
    for stem, cascade in posts.items():
        mid = stem.split("_")[1]
        write_json(root / "original-microblog" / f"{stem}.json", {
            "text": f"原微博 {mid}", "time": 1381000000, "reposts": 3, "comments": 1, "likes": 2,
            "user": {"gender": "f", "followers": 10, "friends": 5, "messages": 7, "verified": False,
                     "location": "北京", "time": 1300000000}})
        if isinstance(cascade, bytes):
            (root / "rumor-repost").mkdir(parents=True, exist_ok=True)
            (root / "rumor-repost" / f"{stem}.json").write_bytes(cascade)
        elif cascade is not None:
            write_json(root / "rumor-repost" / f"{stem}.json", cascade)
    return root


def _r(mid, uid="u1", text="", parent="", date="2013-10-05 19:37:52"):
    return {"mid": mid, "uid": uid, "text": text, "parent": parent, "date": date, "kids": []}


def test_ced_realistic_folder(ws, tmp_path):
    src = _ced(tmp_path, {"1_M1_100": [_r("a1", "u1", ""), _r("a2", "u2", "转发理由[泪]", parent="a1"),
                                       _r("a3", "u3", "", date="10月06日 22:24")]})
    report = ingest(ws, "ced", [src])
    assert report.added == {"users": 4, "posts": 1, "interactions": 3}
    got = rows(ws, "SELECT id, kind, parent_id, strftime(created_at, '%Y-%m-%d %H:%M') FROM interactions ORDER BY id")
    # CST -> UTC; the year-less date takes the source post's year
    assert got == [("a1", "repost", None, "2013-10-05 11:37"), ("a2", "comment", "a1", "2013-10-05 11:37"),
                   ("a3", "repost", None, "2013-10-06 14:24")]


def test_ced_every_bad_input_kind(ws, tmp_path):
    src = _ced(tmp_path, {
        "1_M1_100": [_r("a1"), _r("a1"), _r("a1", text="different"), "not an object", _r(None),
                     _r("a5", uid=123456), _r("a6", date="yesterday")],
        "2_M2_200": b'[{"mid": "b1", "uid": "u9", "text": ""',          # malformed JSON
        "3_M3_300": b'[{"mid": "c1", "uid": "u9", "text": "\xff\xfe"}]',  # invalid UTF-8
        "4_M4_400": b'[{"mid": "d1", "uid": "u9", "text": "\x00"}]',       # NUL byte
    })
    (src / "original-microblog" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (src / "original-microblog" / "notes.txt").write_text("hi")
    write_json(src / "rumor-repost" / "9_M9_900.json", [_r("z1")])   # cascade without its post
    report = ingest(ws, "ced", [src])
    q = reasons(ws)
    assert q == {"duplicate": 1, "conflicting-id": 1, "invalid-record": 1, "missing-id": 1, "bad-date": 1,
                 "malformed-json": 1, "invalid-utf8": 1, "nul-bytes": 1, "junk-file": 1, "bad-file-name": 1,
                 "dangling-post": 1}
    assert sum(q.values()) == sum(report.quarantined.values())
    # valid neighbours are all kept: a1 (first copy) and a5, whose integer uid becomes a string
    assert rows(ws, "SELECT id, user_id FROM interactions ORDER BY id") == [("a1", "u1"), ("a5", "123456")]
    assert rows(ws, "SELECT count(*) FROM posts") == [(4,)]
    entry = next(e for e in quarantine(ws) if e["reason"] == "invalid-utf8")
    assert entry["file"].endswith("3_M3_300.json") and "byte" in entry["detail"]
    entry = next(e for e in quarantine(ws) if e["reason"] == "duplicate")
    assert entry["loc"] == "record 1" and "record 0" in entry["detail"]


def test_ced_fast_and_slow_paths_agree(tmp_path):
    """A cascade with one non-object entry takes the record-by-record path; the rest of the rows
    must come out exactly as from the columnar path."""
    from somekit.workspace import init_workspace

    good = [_r(f"x{i}", f"u{i % 7}", "好" if i % 3 else "", parent=f"x{i - 1}" if i else "") for i in range(50)]
    fast = init_workspace(tmp_path / "fast")
    slow = init_workspace(tmp_path / "slow")
    ingest(fast, "ced", [_ced(tmp_path, {"1_M1_100": good}, "a")])
    ingest(slow, "ced", [_ced(tmp_path, {"1_M1_100": good + [7]}, "b")])
    # timestamps compared as epoch numbers (fetching TIMESTAMPTZ into Python needs pytz)
    q = "SELECT * EXCLUDE (source, created_at), epoch_us(created_at) FROM interactions ORDER BY id"
    assert len(rows(fast, q)) == 50 and rows(fast, q) == rows(slow, q)
    q = "SELECT * EXCLUDE (source, created_at), epoch_us(created_at) FROM users ORDER BY id"
    assert rows(fast, q) == rows(slow, q)


def test_ced_reingest_adds_nothing(ws, tmp_path):
    src = _ced(tmp_path, {"1_M1_100": [_r("a1"), _r("a2", "u2", "评论")]})
    ingest(ws, "ced", [src])
    before = corpus_digest(ws)
    report = ingest(ws, "ced", [src])
    assert report.added == {"users": 0, "posts": 0, "interactions": 0}
    assert report.already_present == {"posts": 1, "interactions": 2}
    assert corpus_digest(ws) == before


def test_ced_strict_fails_and_leaves_corpus_unchanged(ws, tmp_path):
    ingest(ws, "ced", [_ced(tmp_path, {"1_M1_100": [_r("a1")]}, "first")])
    before = {k: v for k, v in corpus_digest(ws).items() if not k.startswith("quarantine")}
    bad = _ced(tmp_path, {"2_M2_200": [_r("b1"), _r("b1", text="x")]}, "second")
    with pytest.raises(IngestError, match="strict"):
        ingest(ws, "ced", [bad], strict=True)
    after = {k: v for k, v in corpus_digest(ws).items() if not k.startswith("quarantine")}
    assert after == before
    assert reasons(ws) == {"conflicting-id": 1}  # still reported, so the user can see why
