"""CED as published (both cascade folders, veracity kept, errors instead of silent empty ingests)
and each kind of mildly or really messy input, with the outcome and message a user gets."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from somekit.ingest import ingest
from somekit.ingest.summary import summary_rows
from somekit.cli import main
from somekit.errors import IngestError
from somekit.store.stats import corpus_stats
from somekit.workspace import init_workspace
from tests.ced_layout import build_full_ced
from tests.test_ingest_helpers import quarantine, reasons, rows, write_json


def _expected(root: Path) -> dict:
    """Counted straight from the files: posts, first occurrences of cascade ids, labels per folder."""
    posts, first, labels, per_folder = set(), set(), {}, {}
    for folder, label in (("rumor-repost", "rumor"), ("non-rumor-repost", "non-rumor")):
        for name in sorted(os.listdir(root / folder)):
            if not name.endswith(".json") or name.startswith("._"):
                continue
            mid = name[:-5].split("_")[1]
            posts.add(mid)
            labels[mid] = label
            records = orjson.loads((root / folder / name).read_bytes())
            per_folder[folder] = per_folder.get(folder, 0) + len(records)
            first |= {(r["mid"]) for r in records}
    return {"posts": len(posts), "interactions": len(first), "labels": labels, "per_folder": per_folder}


def test_full_ced_layout_counts_every_unique_record_and_keeps_veracity(ws, ced_dir, tmp_path):
    root = build_full_ced(ced_dir, tmp_path / "CED_Dataset")
    expected = _expected(root)
    report = ingest(ws, "ced", [root])
    stats = corpus_stats(ws)
    halves = {lab: sum(v == lab for v in expected["labels"].values()) for lab in ("rumor", "non-rumor")}
    assert stats["posts"] == expected["posts"] == halves["rumor"] + halves["non-rumor"]
    assert halves["rumor"] > 0 and halves["non-rumor"] > 0
    assert stats["veracity"] == halves
    assert sum(stats["interactions"].values()) == expected["interactions"]
    got = dict(rows(ws, "SELECT id, veracity FROM posts"))
    assert got == expected["labels"]
    assert rows(ws, "SELECT veracity, veracity_origin, count(*) FROM posts GROUP BY ALL ORDER BY 1") == [
        ("non-rumor", "ced:non-rumor-repost", halves["non-rumor"]), ("rumor", "ced:rumor-repost", halves["rumor"])]
    # per-folder counts: every cascade record read from its folder, the posts from original-microblog
    assert report.folders["rumor-repost"]["interactions"] + report.folders["rumor-repost"].get("quarantined", 0) \
        >= expected["per_folder"]["rumor-repost"]
    assert report.folders["non-rumor-repost"]["interactions"] == expected["per_folder"]["non-rumor-repost"]
    assert report.folders["original-microblog"]["posts"] == expected["posts"]
    junk = [e for e in quarantine(ws) if e["reason"] == "junk-file"]
    litter = [p for sub in ("original-microblog", "rumor-repost", "non-rumor-repost") for p in (root / sub).iterdir()
              if p.name in (".DS_Store", "._.DS_Store")]
    assert len(junk) == len(litter) == 4 and all(Path(e["file"]).name in (".DS_Store", "._.DS_Store") for e in junk)
    table = {r[0]: r for r in summary_rows(report)}
    assert table["non-rumor-repost/ interactions"][1] == f"{expected['per_folder']['non-rumor-repost']:,}"
    assert table["total"][1] == f"{report.records_in:,}"


def _post(root: Path, stem: str, folder: str = "rumor-repost", cascade=None, post=None) -> None:
    write_json(root / "original-microblog" / f"{stem}.json", post if post is not None else {
        "text": "原微博", "time": 1381000000, "user": {"followers": 3, "time": 1300000000}})
    if cascade is not None:
        target = root / folder / f"{stem}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(cascade, bytes):
            target.write_bytes(cascade)
        else:
            write_json(target, cascade)


def _rec(mid, date="2013-10-05 19:37:52", uid="u1", text="", parent=""):
    return {"mid": mid, "uid": uid, "text": text, "parent": parent, "date": date, "kids": []}


# ---- errors instead of a silent empty ingest -------------------------------------------------

@pytest.mark.parametrize("case, message", [
    ("wrong-folder", "not a CED folder: no original-microblog/ in it (found: notes.txt, stuff/)"),
    ("file", "is a file; --format ced reads the CED folder"),
    ("no-cascades", "holds no cascade folder (found: original-microblog/)"),
    ("no-records", "holds no <idx>_<mid>_<uid>.json post files (found: .DS_Store)"),
])
def test_ced_source_without_records_is_an_error_naming_what_it_found(ws, tmp_path, case, message):
    root = tmp_path / "src"
    if case == "wrong-folder":
        (root / "stuff").mkdir(parents=True)
        (root / "notes.txt").write_text("x")
    elif case == "file":
        root = write_json(tmp_path / "one.json", [])
    elif case == "no-cascades":
        _post(root, "1_M1_100")
    else:
        (root / "original-microblog").mkdir(parents=True)
        (root / "rumor-repost").mkdir()
        (root / "original-microblog" / ".DS_Store").write_bytes(b"\x00\x01")
    with pytest.raises(IngestError) as err:
        ingest(ws, "ced", [root])
    assert message in str(err.value)
    assert not (ws.corpus / "posts.parquet").exists()
    # the CLI exits 1 with the same message, never 0
    res = CliRunner().invoke(main, ["ingest", str(ws.root), "--format", "ced", str(root)])
    assert res.exit_code == 1 and message in res.output


# ---- lenient where it is safe ----------------------------------------------------------------

def test_ced_bom_accepted(ws, tmp_path):
    root = tmp_path / "ced"
    _post(root, "1_M1_100")
    (root / "original-microblog" / "1_M1_100.json").write_bytes(
        codecs.BOM_UTF8 + (root / "original-microblog" / "1_M1_100.json").read_bytes())
    (root / "rumor-repost").mkdir()
    (root / "rumor-repost" / "1_M1_100.json").write_bytes(codecs.BOM_UTF8 + orjson.dumps([_rec("a1")]))
    ingest(ws, "ced", [root])
    assert reasons(ws) == {}
    assert rows(ws, "SELECT id FROM interactions") == [("a1",)]
    assert rows(ws, "SELECT veracity FROM posts") == [("rumor",)]


@pytest.mark.parametrize("date, utc", [
    (1380973072, "2013-10-05 11:37:52"),                      # epoch seconds, int
    (1380973072000, "2013-10-05 11:37:52"),                   # epoch milliseconds, int
    ("1380973072", "2013-10-05 11:37:52"),                    # epoch seconds, string
    ("1380973072123", "2013-10-05 11:37:52"),                 # epoch milliseconds, string
    ("2013-10-05T19:37:52+08:00", "2013-10-05 11:37:52"),     # ISO 8601 with an offset
    ("2013-10-05T11:37:52Z", "2013-10-05 11:37:52"),          # ISO 8601 in UTC
    ("2013-10-05 19:37:52", "2013-10-05 11:37:52"),           # Weibo's own form, China time
])
def test_ced_dates_in_every_common_form(ws, tmp_path, date, utc):
    root = tmp_path / "ced"
    _post(root, "1_M1_100", cascade=[_rec("a1", date=date), _rec("a2")])
    ingest(ws, "ced", [root])
    assert reasons(ws) == {}
    assert rows(ws, "SELECT strftime(timezone('UTC', created_at), '%Y-%m-%d %H:%M:%S') FROM interactions WHERE id = 'a1'") == [(utc,)]


def test_ced_post_time_in_weibo_api_form_and_ms(ws, tmp_path):
    root = tmp_path / "ced"
    _post(root, "1_M1_100", cascade=[], post={"text": "a", "time": "Mon Nov 19 19:09:17 +0800 2012"})
    _post(root, "2_M2_100", cascade=[], post={"text": "b", "time": 1353323357000})
    ingest(ws, "ced", [root])
    assert rows(ws, "SELECT id, strftime(timezone('UTC', created_at), '%Y-%m-%d %H:%M:%S') FROM posts ORDER BY id") == [
        ("M1", "2012-11-19 11:09:17"), ("M2", "2012-11-19 11:09:17")]


def test_ced_integer_ids_become_strings(ws, tmp_path):
    root = tmp_path / "ced"
    _post(root, "1_M1_100", cascade=[{"mid": 3601, "uid": 1842240877, "parent": "", "text": "", "date": "2013-10-05 19:37:52"},
                                     {"mid": 3602, "uid": 77, "parent": 3601, "text": "好", "date": "2013-10-05 19:40:00"}])
    ingest(ws, "ced", [root])
    assert reasons(ws) == {}
    assert rows(ws, "SELECT id, user_id, parent_id FROM interactions ORDER BY id") == [
        ("3601", "1842240877", None), ("3602", "77", "3601")]
    assert rows(ws, "SELECT count(*) FROM users WHERE id IN ('1842240877', '77')") == [(2,)]


# ---- clear where it is not -------------------------------------------------------------------

def _one_bad_cascade(ws, tmp_path, data: bytes) -> dict:
    root = tmp_path / "ced"
    _post(root, "1_M1_100", cascade=data)
    _post(root, "2_M2_200", cascade=[_rec("ok1")])
    ingest(ws, "ced", [root])
    assert rows(ws, "SELECT id FROM interactions") == [("ok1",)]  # the good neighbour is kept
    (entry,) = [e for e in quarantine(ws) if e["file"].endswith("1_M1_100.json")]
    return entry


def test_ced_utf16_with_bom_is_named_with_its_fix(ws, tmp_path):
    text = json.dumps([_rec("a1", text="转发")], ensure_ascii=False)
    entry = _one_bad_cascade(ws, tmp_path, codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert entry["reason"] == "encoding-utf-16"
    assert "UTF-16LE, not UTF-8" in entry["detail"] and "iconv -f UTF-16 -t UTF-8" in entry["detail"]


def test_ced_utf16_without_bom_is_named_with_its_fix(ws, tmp_path):
    text = json.dumps([_rec("a1")])
    entry = _one_bad_cascade(ws, tmp_path, text.encode("utf-16-le"))
    assert entry["reason"] == "encoding-utf-16" and "every other byte is NUL" in entry["detail"]


def test_ced_gb18030_is_named_with_its_fix(ws, tmp_path):
    text = json.dumps([_rec("a1", text="这是谣言，大家不要相信转发")], ensure_ascii=False)
    entry = _one_bad_cascade(ws, tmp_path, text.encode("gb18030"))
    assert entry["reason"] == "encoding-gb18030"
    assert "GB18030, not UTF-8" in entry["detail"] and "iconv -f GB18030 -t UTF-8" in entry["detail"]
    assert "谣言" in entry["raw"]  # the excerpt is decoded, so a reader sees what the file holds


def test_ced_other_invalid_utf8_stays_invalid_utf8(ws, tmp_path):
    entry = _one_bad_cascade(ws, tmp_path, b'[{"mid": "a1", "text": "\xff\xff\xff"}]')
    assert entry["reason"] == "invalid-utf8" and "byte" in entry["detail"] and "GB18030" in entry["detail"]


def test_ced_unparseable_date_names_the_accepted_forms(ws, tmp_path):
    root = tmp_path / "ced"
    _post(root, "1_M1_100", cascade=[_rec("a1", date="yesterday"), _rec("a2")])
    ingest(ws, "ced", [root])
    (entry,) = quarantine(ws)
    assert entry["reason"] == "bad-date" and "'yesterday'" in entry["detail"] and "epoch" in entry["detail"]


def test_ced_cascade_of_a_failed_original_is_quarantined_record_by_record(ws, tmp_path):
    root = tmp_path / "ced"
    _post(root, "1_M1_100", cascade=[_rec("a1"), _rec("a2"), _rec("a3")])
    (root / "original-microblog" / "1_M1_100.json").write_bytes(b'{"text": "broken"')
    _post(root, "2_M2_200", cascade=[_rec("ok1")])
    report = ingest(ws, "ced", [root])
    q = quarantine(ws)
    assert reasons(ws) == {"malformed-json": 1, "original-failed": 3}
    orphans = [e for e in q if e["reason"] == "original-failed"]
    assert [e["loc"] for e in orphans] == ["record 0", "record 1", "record 2"]
    assert all(e["file"].endswith("rumor-repost/1_M1_100.json") and "original-microblog/1_M1_100.json" in e["detail"]
               and "malformed-json" in e["detail"] for e in orphans)
    assert report.folders["rumor-repost"]["quarantined"] == 3
    assert rows(ws, "SELECT id FROM interactions") == [("ok1",)]


def test_ced_cascade_in_both_folders_keeps_no_label(ws, tmp_path):
    root = tmp_path / "ced"
    _post(root, "1_M1_100", cascade=[_rec("a1")])
    _post(root, "1_M1_100", folder="non-rumor-repost", cascade=[_rec("a1")])
    ingest(ws, "ced", [root])
    (entry,) = quarantine(ws)
    assert entry["reason"] == "conflicting-veracity" and entry["file"].endswith("non-rumor-repost/1_M1_100.json")
    assert "also in rumor-repost/" in entry["detail"]
    assert rows(ws, "SELECT veracity, veracity_origin FROM posts") == [(None, None)]


def test_cli_ingest_ends_with_the_summary_table(tmp_path):
    root = tmp_path / "ced"
    _post(root, "1_M1_100", cascade=[_rec("a1"), _rec("a1", text="other")])
    _post(root, "2_M2_200", folder="non-rumor-repost", cascade=json.dumps([_rec("b1", text="转发")], ensure_ascii=False).encode("gb18030"))
    ws = init_workspace(tmp_path / "ws")
    res = CliRunner().invoke(main, ["ingest", str(ws.root), "--format", "ced", str(root)])
    assert res.exit_code == 0, res.output
    for expected in ("read", "kept", "quarantined", "interactions", "conflicting-id", "encoding-gb18030",
                     "non-rumor-repost/", "total"):
        assert expected in res.output, expected
    assert reasons(ws) == {"conflicting-id": 1, "encoding-gb18030": 1}
    log = [json.loads(p.read_text()) for p in ws.runs.glob("*.json")][0]
    from somekit.ingest.engine import IngestReport

    table = {r[0]: r[1:] for r in summary_rows(IngestReport(**{k: log["counts"][k] for k in (
        "format", "read", "added", "already_present", "quarantined", "totals", "folders", "records_in")}))}
    assert table["interactions"] == ("2", "1", "", "1")
    assert table["  encoding-gb18030"] == ("", "", "1", "")
    assert table["non-rumor-repost/"] == ("0", "", "1", "")
    assert table["rumor-repost/ interactions"] == ("2", "", "1", "")
    assert table["total"][0] == str(log["counts"]["records_in"])
    res = CliRunner().invoke(main, ["ingest", str(ws.root), "--format", "ced", str(root), "--json"])
    report = json.loads(res.stdout.strip().splitlines()[-1])
    assert report["folders"]["rumor-repost"] == {"interactions": 2, "quarantined": 1, "users": 1}
    assert report["folders"]["non-rumor-repost"] == {"quarantined": 1}


# ---- the same rules for the other formats ----------------------------------------------------

def test_jsonl_utf16_file_is_one_entry_with_its_fix(ws, tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text('{"type": "post", "id": "p1", "text": "好"}\n', encoding="utf-8-sig")  # BOM: fine
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(('{"type": "post", "id": "p2"}\n' * 3).encode("utf-16"))
    ingest(ws, "jsonl", [good, bad])
    assert rows(ws, "SELECT id FROM posts") == [("p1",)]
    (entry,) = quarantine(ws)
    assert entry["reason"] == "encoding-utf-16" and entry["loc"] == "file" and "iconv -f UTF-16" in entry["detail"]


def test_any_format_with_nothing_usable_is_an_error(ws, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not data")
    with pytest.raises(IngestError, match="nothing ingested with --format jsonl .*no files this format reads"):
        ingest(ws, "jsonl", [empty])
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["ingest", str(ws.root), "--format", "jsonl", str(bad)])
    assert res.exit_code == 1 and "all 1 quarantined (malformed-json: 1)" in res.output
    assert reasons(ws) == {"malformed-json": 1}


def test_older_single_cascade_folder_reads_without_a_label(ws, tmp_path):
    root = tmp_path / "ced"
    _post(root, "1_M1_100", folder="repost-cascades", cascade=[_rec("a1"), _rec("a2", text="转发")])
    report = ingest(ws, "ced", [root / "repost-cascades"])   # a folder inside the corpus works too
    assert rows(ws, "SELECT veracity, veracity_origin FROM posts") == [(None, None)]
    assert report.folders["repost-cascades"]["interactions"] == 2
    res = CliRunner().invoke(main, ["build", str(ws.root), "mid-zh", "--json"])
    assert res.exit_code == 0
    out = json.loads(res.stdout)["mid-zh"]
    assert out["items"] == 0 and "non-rumor-repost/ is needed" in out["warnings"][0]
