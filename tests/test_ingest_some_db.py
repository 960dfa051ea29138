"""`some-db` adapter: SoMe's plain-file database layout, and bad input."""

from __future__ import annotations

import pytest

from somekit.ingest import ingest
from somekit.errors import IngestError
from tests.test_ingest_helpers import reasons, rows, write_json


def weibo(pid, text="今天天气不错", **kw):
    return {"id": pid, "text": text, "created_time": "2025-01-20 12:00:00", "region_name": "发布于 北京",
            "reposts_count": 1, "comments_count": 2, "attitudes_count": 3, "pictures": [], "video": "", **kw}


def make_db(root, extra_users=None):
    write_json(root / "user_data" / "111" / "111.json", {
        "user": {"id": "111", "name": "小明", "followers_count": 10, "friends_count": 3, "description": "爱跑步",
                 "location": "北京"},
        "weibo": [weibo("5001", pictures=["https://wx1.sinaimg.cn/a.jpg", "img/b.jpg"]),
                  weibo("5002", "评论区见", comments=[{"id": "c1", "user_id": "222", "text": "好的！",
                                                       "created_time": "Mon Jan 20 13:00:00 +0800 2025"}])]})
    write_json(root / "user_data" / "222" / "222.json", {"user": {"id": "222", "name": "小红"}, "weibo": []})
    write_json(root / "post_data" / "all_posts.json", {"5001": weibo("5001"), "5003": weibo("5003", "来自全站", user_id="222")})
    write_json(root / "knowledge_data" / "knowledge_base.json", [{"content": "背景知识", "link": "https://example.org/k"}])
    write_json(root / "topic_data" / "马拉松.json", [weibo("5001"), "5002", weibo("5004", "话题帖")])
    return root


def test_some_db_realistic_layout(ws, tmp_path):
    root = make_db(tmp_path / "db")
    report = ingest(ws, "some-db", [root])
    assert reasons(ws) == {}
    assert report.added == {"users": 2, "posts": 4, "interactions": 1, "media": 2, "reports": 1}
    assert rows(ws, "SELECT id, author_id, topics, location FROM posts ORDER BY id") == [
        ("5001", "111", ["马拉松"], "发布于 北京"), ("5002", "111", ["马拉松"], "发布于 北京"),
        ("5003", "222", [], "发布于 北京"), ("5004", None, ["马拉松"], "发布于 北京")]
    assert rows(ws, "SELECT strftime(created_at, '%H') FROM posts WHERE id = '5001'") == [("04",)]  # CST -> UTC
    assert rows(ws, "SELECT kind, user_id, post_id, text, strftime(created_at, '%H') FROM interactions") == [
        ("comment", "222", "5002", "好的！", "05")]
    media = rows(ws, "SELECT uri FROM media ORDER BY uri")
    assert media[0][0].endswith("/db/user_data/111/img/b.jpg") and media[1][0] == "https://wx1.sinaimg.cn/a.jpg"
    assert rows(ws, "SELECT len(media_ids) FROM posts WHERE id = '5001'") == [(2,)]
    assert rows(ws, "SELECT id, content, claim_id FROM reports") == [("some-kb:0", "背景知识", None)]
    assert rows(ws, "SELECT name, followers_count FROM users WHERE id = '111'") == [("小明", 10)]
    again = ingest(ws, "some-db", [root])
    assert set(again.added.values()) == {0}


def test_some_db_every_bad_input_kind(ws, tmp_path):
    root = make_db(tmp_path / "db")
    write_json(root / "user_data" / "333" / "333.json", {"user": {"id": "333"}, "weibo": [
        weibo("6001"), {"text": "no id"}, weibo("6003", reposts_count="lots"), "junk", weibo("6005", created_time="someday"),
        weibo("6006", comments=[{"id": "c9", "text": "no user"}, {"id": "c1", "user_id": "222", "text": "changed"}])]})
    (root / "user_data" / "444").mkdir()
    (root / "user_data" / "444" / "444.json").write_bytes(b'{"user": {"id": "444"')            # malformed
    (root / "user_data" / "555").mkdir()
    (root / "user_data" / "555" / "555.json").write_bytes(b'{"user": {"id": "555", "name": "\xff"}}')  # invalid UTF-8
    (root / "user_data" / "666").mkdir()
    (root / "user_data" / "666" / "666.json").write_bytes(b'{"user": {"id": "666\x00"}}')      # NUL byte
    (root / "user_data" / ".DS_Store").write_bytes(b"\x00\x01")
    (root / "topic_data" / "._马拉松.json").write_bytes(b"\x00\x05")
    write_json(root / "knowledge_data" / "knowledge_base.json", [{"content": "ok"}, ["bad"]])
    ingest(ws, "some-db", [root])
    # 6003 (string count), 6005 (bad time), c9 (no user), the 'junk' post, the list KB entry: invalid;
    # the post without id: missing-id; the changed c1: conflicting-id.
    assert reasons(ws) == {"invalid-record": 5, "missing-id": 1, "conflicting-id": 1, "malformed-json": 1,
                           "invalid-utf8": 1, "nul-bytes": 1, "junk-file": 2}
    assert rows(ws, "SELECT count(*) FROM posts WHERE id IN ('6001', '6006')") == [(2,)]


def test_some_db_post_without_id_and_not_a_db(ws, tmp_path):
    root = tmp_path / "db"
    write_json(root / "user_data" / "1" / "1.json", {"user": {"id": "1"}, "weibo": [
        {"text": "missing id", "comments": [{"id": "c1", "user_id": "2", "text": "orphan"}]}]})
    ingest(ws, "some-db", [root])
    assert reasons(ws) == {"missing-id": 1}  # comments of a post without id are never read
    other = tmp_path / "other"
    other.mkdir()
    # a wrong folder is an error (exit 1), not a silent exit 0; the quarantine still says why
    with pytest.raises(IngestError, match="nothing ingested with --format some-db .*not-a-some-db-folder: 1"):
        ingest(ws, "some-db", [other])
    assert reasons(ws)["not-a-some-db-folder"] == 1
