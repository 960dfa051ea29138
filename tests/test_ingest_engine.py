"""Engine behaviour independent of any one format: crash safety (fault injection), --strict,
the columnar fast path's fallback, user merging, progress and run logs."""

from __future__ import annotations

import os

import pytest

import somekit.ingest.merge as merge_mod
from somekit.ingest import ingest
from somekit.ingest.base import ADAPTERS, Adapter, Columns, Parsed
from somekit.ingest.columnar import to_arrow
from somekit.errors import IngestError
from somekit.sample import JETSTREAM, LIAR, WEIBO
from tests.test_ingest_helpers import corpus_digest, reasons, rows, write_jsonl


@pytest.fixture
def sample_ws(ws):
    """A workspace holding the bundled sample corpus (the 'previous complete corpus')."""
    ingest(ws, "jsonl", [WEIBO])
    ingest(ws, "liar-raw", [LIAR])
    ingest(ws, "jetstream", [JETSTREAM])
    return ws


def _more(tmp_path):
    return write_jsonl(tmp_path / "more.jsonl", [
        {"type": "user", "id": "new-user", "name": "新用户"},
        {"type": "post", "id": "new-post", "author_id": "new-user", "text": "新帖子"},
        {"type": "interaction", "id": "new-like", "kind": "like", "user_id": "new-user", "post_id": "new-post"},
    ])


# Fault injection is the point of these tests: the failure is raised on purpose.
def test_fault_in_final_rename_keeps_previous_corpus(sample_ws, tmp_path, monkeypatch):
    before = corpus_digest(sample_ws)
    real_replace = os.replace
    calls = {"n": 0}

    def flaky_replace(src, dst, *a, **kw):
        if str(dst).endswith(".parquet") and "corpus" in str(dst):
            calls["n"] += 1
            if calls["n"] == 2:  # the first table is already swapped in when this fails
                raise OSError("injected: disk full during commit")
        return real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", flaky_replace)
    with pytest.raises(OSError, match="injected"):
        ingest(sample_ws, "jsonl", [_more(tmp_path)])
    monkeypatch.setattr(os, "replace", real_replace)
    assert calls["n"] >= 2
    assert corpus_digest(sample_ws) == before   # byte for byte, no temporary files left behind
    ingest(sample_ws, "jsonl", [_more(tmp_path)])  # and the workspace still works
    assert rows(sample_ws, "SELECT count(*) FROM posts WHERE id = 'new-post'") == [(1,)]


def test_fault_midway_through_merge_keeps_previous_corpus(sample_ws, tmp_path, monkeypatch):
    before = corpus_digest(sample_ws)
    real_write = merge_mod.TableMerge.write

    def write_then_fail(self, tmp):
        real_write(self, tmp)
        if self.table == "posts":
            raise RuntimeError("injected: killed while writing tables")

    monkeypatch.setattr(merge_mod.TableMerge, "write", write_then_fail)
    with pytest.raises(RuntimeError, match="injected"):
        ingest(sample_ws, "jsonl", [_more(tmp_path)])
    assert corpus_digest(sample_ws) == before


def test_fault_in_adapter_after_n_records_keeps_previous_corpus(sample_ws, monkeypatch):
    before = corpus_digest(sample_ws)
    real = ADAPTERS["jsonl"]

    def dying_reader(paths):
        for i, out in enumerate(real.read(paths)):
            if i == 100:
                raise KeyboardInterrupt  # the user hits Ctrl-C mid-ingest
            yield out

    monkeypatch.setitem(ADAPTERS, "jsonl", Adapter("jsonl", dying_reader, real.check_refs))
    with pytest.raises(KeyboardInterrupt):
        ingest(sample_ws, "jsonl", [WEIBO])
    assert corpus_digest(sample_ws) == before
    assert not [p for p in sample_ws.corpus.iterdir() if p.name.startswith(".staging")]


def test_strict_exits_with_error_and_corpus_unchanged(sample_ws, tmp_path):
    before = {k: v for k, v in corpus_digest(sample_ws).items() if not k.startswith("quarantine")}
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"type": "post", "id": "ok-post"}, b"{not json"])
    with pytest.raises(IngestError, match="--strict: 1 bad record"):
        ingest(sample_ws, "jsonl", [bad], strict=True)
    assert {k: v for k, v in corpus_digest(sample_ws).items() if not k.startswith("quarantine")} == before
    assert reasons(sample_ws) == {"malformed-json": 1}


def test_columnar_fast_path_refuses_what_pydantic_must_decide():
    ok = to_arrow("interactions", {"id": ["a"], "kind": ["like"], "user_id": ["u"]}, 1)
    assert ok is not None and ok.column("text").to_pylist() == [""]
    for cols in ({"id": [""], "kind": ["like"], "user_id": ["u"]},       # min length
                 {"id": ["a"], "kind": ["liked"], "user_id": ["u"]},     # not an enum value
                 {"id": [1], "kind": ["like"], "user_id": ["u"]},        # wrong type
                 {"id": ["a"], "kind": ["like"], "user_id": [None]},     # missing required
                 {"id": ["a"], "kind": ["like"], "user_id": ["u"], "text": [None]},
                 {"id": ["a"], "kind": ["like"], "user_id": ["u"], "extra": [1]},
                 {"id": ["a"], "kind": ["like"]}):
        assert to_arrow("interactions", cols, 1) is None, cols


def test_columns_that_fail_fast_path_are_validated_row_by_row(ws, monkeypatch):
    def reader(paths):
        yield Columns("posts", {"id": ["p1", "", "p3"], "text": ["一", "二", 3]}, "mem", ["r0", "r1", "r2"])

    monkeypatch.setitem(ADAPTERS, "test-columns", Adapter("test-columns", reader))
    report = ingest(ws, "test-columns", [ws.root])
    assert report.added == {"posts": 1}
    assert rows(ws, "SELECT id, text FROM posts") == [("p1", "一")]
    assert reasons(ws) == {"missing-id": 1, "invalid-record": 1}


def test_users_keep_the_most_complete_profile(ws, tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [{"type": "user", "id": "u1"}, {"type": "user", "id": "u2", "name": "二"}])
    b = write_jsonl(tmp_path / "b.jsonl", [{"type": "user", "id": "u1", "name": "一", "location": "上海"},
                                           {"type": "user", "id": "u2"}])
    ingest(ws, "jsonl", [a])
    report = ingest(ws, "jsonl", [b])
    assert report.added["users"] == 0
    assert rows(ws, "SELECT id, name, location FROM users ORDER BY id") == [("u1", "一", "上海"), ("u2", "二", None)]


def test_progress_callback_counts_records(ws):
    seen = []
    ingest(ws, "jsonl", [WEIBO], on_progress=seen.append)
    assert seen and seen[-1] == sum(1 for line in (WEIBO / "corpus.jsonl").open() if line.strip())


def test_unknown_adapter_table_is_an_error(ws, monkeypatch):
    monkeypatch.setitem(ADAPTERS, "test-bad", Adapter("test-bad", lambda paths: iter([Parsed("tweets", {}, "f", "l")])))
    with pytest.raises(IngestError, match="unknown table"):
        ingest(ws, "test-bad", [ws.root])


def test_unknown_format_and_missing_source(ws, tmp_path):
    with pytest.raises(IngestError, match="unknown format"):
        ingest(ws, "csv", [tmp_path])
    with pytest.raises(IngestError, match="not found"):
        ingest(ws, "jsonl", [tmp_path / "nope.jsonl"])
