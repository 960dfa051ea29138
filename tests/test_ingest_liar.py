"""`liar-raw` and `rawfc` adapters: claims with evidence reports, and bad input."""

from __future__ import annotations

from somekit.ingest import ingest
from tests.test_ingest_helpers import reasons, rows, write_json


def claim(event_id, label="half-true", n_reports=2):
    return {"event_id": event_id, "claim": f"Claim {event_id} about taxes.", "label": label, "original_label": label,
            "explain": "Ruling explained.", "reports": [
                {"report_id": f"r{i}", "link": f"https://example.org/{event_id}/{i}", "domain": "example.org",
                 "content": "Some text. Evidence here.", "tokenized": [{"sent": "Some text.", "is_evidence": 0},
                                                                      {"sent": "Evidence here.", "is_evidence": 1}]}
                for i in range(n_reports)]}


def test_liar_raw_realistic(ws, tmp_path):
    write_json(tmp_path / "LIAR-RAW" / "train.json", [claim("1"), claim("2", "pants-fire")])
    write_json(tmp_path / "LIAR-RAW" / "test.json", [claim("3", "true", 1)])
    report = ingest(ws, "liar-raw", [tmp_path / "LIAR-RAW"])
    assert report.added == {"claims": 3, "reports": 5}
    assert rows(ws, "SELECT id, label, split, dataset FROM claims ORDER BY id") == [
        ("liar-raw:1", "half-true", "train", "liar-raw"), ("liar-raw:2", "pants-fire", "train", "liar-raw"),
        ("liar-raw:3", "true", "test", "liar-raw")]
    assert rows(ws, "SELECT id, claim_id, evidence_sentences FROM reports WHERE id = 'liar-raw:1:r0'") == [
        ("liar-raw:1:r0", "liar-raw:1", ["Evidence here."])]


def test_rawfc_realistic_one_file_per_claim(ws, tmp_path):
    for split, ids in (("train", ["10", "11"]), ("val", ["12"]), ("test", ["13"])):
        for i in ids:
            write_json(tmp_path / "RAWFC" / split / f"{i}.json", claim(i, "half"))
    report = ingest(ws, "rawfc", [tmp_path / "RAWFC"])
    assert report.added == {"claims": 4, "reports": 8}
    assert dict(rows(ws, "SELECT split, count(*) FROM claims GROUP BY split")) == {"train": 2, "val": 1, "test": 1}
    # both datasets live side by side without id clashes
    write_json(tmp_path / "LIAR-RAW" / "val.json", [claim("10")])
    ingest(ws, "liar-raw", [tmp_path / "LIAR-RAW"])
    assert rows(ws, "SELECT count(*) FROM claims WHERE id LIKE '%:10'") == [(2,)]


def test_liar_every_bad_input_kind(ws, tmp_path):
    d = tmp_path / "LIAR-RAW"
    bad_reports = claim("5")
    bad_reports["reports"] = [{"link": "no id"}, "text", {"report_id": "ok", "content": 7}]
    write_json(d / "train.json", [claim("1"), claim("1"), {**claim("1"), "label": "true"},
                                  {"claim": "no id"}, {"event_id": "4", "claim": "", "label": "false"},
                                  [1], bad_reports, {**claim("6"), "label": 3}])
    (d / "val.json").write_bytes(b'[{"event_id": "7", "claim": ')          # malformed JSON
    (d / "test.json").write_bytes(b'[{"event_id": "8", "claim": "\xff"}]')  # invalid UTF-8
    (d / "dev.json").write_bytes(b'[{"event_id": "9", "claim": "a\x00"}]')  # NUL byte
    (d / ".DS_Store").write_bytes(b"\x00\x00")
    write_json(d / "extra.json", {"not": "a list"})
    report = ingest(ws, "liar-raw", [d])
    # claim 1: 2nd copy = 1 claim + 2 reports duplicate; 3rd copy = claim conflicting, its 2
    # reports duplicate. Claim 6 (label is a number) is invalid, so its 2 reports dangle.
    assert reasons(ws) == {"duplicate": 5, "conflicting-id": 1, "missing-id": 2, "invalid-record": 6,
                           "dangling-claim": 2, "malformed-json": 1, "invalid-utf8": 1, "nul-bytes": 1,
                           "junk-file": 1}
    assert report.added == {"claims": 2, "reports": 2}


def test_liar_dangling_report_and_reingest(ws, tmp_path):
    """A claim that fails validation leaves its reports pointing at nothing: dangling."""
    write_json(tmp_path / "L" / "train.json", [{**claim("1"), "claim": ""}, claim("2")])
    ingest(ws, "liar-raw", [tmp_path / "L"])
    assert reasons(ws) == {"invalid-record": 1, "dangling-claim": 2}
    again = ingest(ws, "liar-raw", [tmp_path / "L"])
    assert again.added == {"claims": 0, "reports": 0} and again.already_present == {"claims": 1, "reports": 2}
