"""`jsonl` adapter (our own schema) and the bundled sample corpus."""

from __future__ import annotations

import hashlib
from pathlib import Path

from somekit.ingest import ingest
from somekit.sample import JETSTREAM, LIAR, SAMPLE_DIR, WEIBO
from somekit.store.stats import corpus_stats
from tests.test_ingest_helpers import quarantine, reasons, rows, write_jsonl


def test_sample_corpus_is_bundled_small_and_complete():
    files = [p for p in SAMPLE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert sum(p.stat().st_size for p in files) < 2_000_000
    images = list((WEIBO / "media").glob("*.png"))
    assert len(images) >= 3 and all(p.stat().st_size < 50_000 for p in images)
    wav = WEIBO / "media" / "rain_warning.wav"
    assert wav.exists() and wav.stat().st_size < 200_000
    import wave

    with wave.open(str(wav)) as w:
        assert (w.getframerate(), w.getnchannels()) == (16000, 1)
        assert 1.0 < w.getnframes() / 16000 < 10.0


def test_sample_corpus_ingests_cleanly_with_media_resolved(ws):
    for fmt, src in (("jsonl", WEIBO), ("liar-raw", LIAR), ("jetstream", JETSTREAM)):
        ingest(ws, fmt, [src])
    stats = corpus_stats(ws)
    assert stats["quarantined"] == 0
    assert stats["posts"] >= 80 and stats["users"] >= 30 and stats["claims"] == 4 and stats["reports"] == 8
    assert {"like", "repost", "comment", "follow", "reply", "quote", "unlike", "post_delete"} <= set(stats["interactions"])
    assert sum(stats["interactions"].values()) >= 250
    media = rows(ws, "SELECT kind, uri, sha256 FROM media ORDER BY uri")
    assert {k for k, *_ in media} == {"image", "audio"}
    for _, uri, sha in media:  # relative uris now point at real files whose bytes match
        assert Path(uri).is_absolute() and hashlib.sha256(Path(uri).read_bytes()).hexdigest() == sha
    # RED/SES need hourly timestamps in a few places and topics
    assert rows(ws, "SELECT count(DISTINCT location), count(DISTINCT date_trunc('hour', created_at)) FROM posts WHERE platform = 'weibo'")[0][0] == 3
    assert rows(ws, "SELECT count(*) FROM posts p, unnest(p.topics) t(topic)")[0][0] >= 80
    assert rows(ws, "SELECT count(*) FROM posts WHERE len(media_ids) > 0")[0][0] == 5


def test_jsonl_realistic_records(ws, tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(b"\x89PNG fake bytes")
    src = write_jsonl(tmp_path / "data" / "c.jsonl", [
        {"type": "user", "id": "u1", "name": "小王", "followers_count": 3, "created_at": "2024-01-01T08:00:00+08:00"},
        {"type": "post", "id": "p1", "author_id": "u1", "text": "今天下雨 [泪]", "created_at": "2025-06-01T10:00:00Z",
         "topics": ["暴雨"], "media_ids": ["m1"]},
        {"type": "media", "id": "m1", "post_id": "p1", "kind": "image", "uri": "../img/a.png"},
        {"type": "media", "id": "m2", "post_id": "p1", "kind": "video", "uri": "https://example.org/v.mp4"},
        {"type": "interaction", "id": "i1", "kind": "comment", "user_id": "u1", "post_id": "p1", "text": "好大"},
        {"type": "claim", "id": "c1", "claim": "x", "label": "true", "dataset": "liar-raw"},
        {"type": "report", "id": "r1", "claim_id": "c1", "content": "evidence"},
    ])
    report = ingest(ws, "jsonl", [tmp_path / "data"])
    assert report.added == {"users": 1, "posts": 1, "claims": 1, "interactions": 1, "media": 2, "reports": 1}
    assert rows(ws, "SELECT uri FROM media ORDER BY id") == [(str((tmp_path / "img" / "a.png").resolve()),),
                                                            ("https://example.org/v.mp4",)]
    assert rows(ws, "SELECT strftime(created_at, '%H') FROM users") == [("00",)]  # +08:00 -> UTC
    assert rows(ws, "SELECT source FROM posts") == [("jsonl:c.jsonl",)]


def test_jsonl_every_bad_input_kind(ws, tmp_path):
    d = tmp_path / "src"
    write_jsonl(d / "a.jsonl", [
        {"type": "post", "id": "p1", "text": "ok"},
        b'{"type": "post", "id": "p2", "text": ',                            # malformed JSON
        {"type": "post", "id": "p3", "likes_count": "many"},                 # wrong type
        {"type": "post", "text": "no id"},                                   # missing id
        {"type": "post", "id": "p4", "colour": "red"},                       # unknown field
        {"id": "p5"},                                                        # no type
        {"type": "tweet", "id": "p6"},                                       # unknown type
        [1, 2],                                                              # not an object
        b'{"type": "post", "id": "p7", "text": "\xc3\x28"}',                 # invalid UTF-8
        b'{"type": "post", "id": "p8", "text": "a\x00b"}',                   # NUL byte
        {"type": "post", "id": "p1", "text": "ok"},                          # exact duplicate
        {"type": "post", "id": "p1", "text": "changed"},                     # conflicting id
        {"type": "interaction", "id": "i1", "kind": "like", "user_id": "u", "post_id": "ghost"},  # dangling
        {"type": "media", "id": "m1", "post_id": "ghost", "kind": "image", "uri": "x.png"},        # dangling
        {"type": "interaction", "id": "i2", "kind": "like", "user_id": "u", "post_id": "p1"},
    ])
    (d / ".DS_Store").write_bytes(b"\x00\x01junk")
    (d / "._a.jsonl").write_bytes(b"\x00\x05AppleDouble")
    report = ingest(ws, "jsonl", [d])
    assert reasons(ws) == {"malformed-json": 1, "invalid-record": 3, "missing-id": 1, "missing-type": 1,
                           "unknown-type": 1, "invalid-utf8": 1, "nul-bytes": 1, "duplicate": 1,
                           "conflicting-id": 1, "dangling-post": 2, "junk-file": 2}
    assert report.added == {"posts": 1, "interactions": 1, "media": 0}
    assert rows(ws, "SELECT id, text FROM posts") == [("p1", "ok")]
    by_line = {q["loc"]: q for q in quarantine(ws) if q["file"].endswith("a.jsonl")}
    assert by_line["line 2"]["reason"] == "malformed-json" and by_line["line 2"]["raw"].startswith('{"type"')
    assert "likes_count" in by_line["line 3"]["detail"]
    assert by_line["line 13"]["reason"] == "dangling-post" and "ghost" in by_line["line 13"]["detail"]


def test_jsonl_reingest_adds_nothing(ws):
    ingest(ws, "jsonl", [WEIBO])
    again = ingest(ws, "jsonl", [WEIBO])
    assert set(again.added.values()) == {0}
    assert again.already_present["posts"] == rows(ws, "SELECT count(*) FROM posts")[0][0]
    assert reasons(ws) == {}
