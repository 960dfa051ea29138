"""Issue 13: the shortcut audit and the leaks it closes, on real data (CED, SoMe's released files).

Each leak is planted the way a buggy builder would write it (items written to the workspace, or
an exported file edited); `verify` must then fail and name the check.
"""

from __future__ import annotations

import json
import shutil

import orjson
import pytest
from click.testing import CliRunner

from somekit.export.some.writer import export_some
from somekit.builders.registry import get_builder
from somekit.cli import main
from somekit.freeze import FreezeError, freeze, load_manifest
from somekit.store.items import read_items, read_stats, write_items
from somekit.verify.export_leaks import history_share
from somekit.verify.runner import run_checks
from somekit.verify.shortcut_rows import rows_from_some
from somekit.verify.shortcuts import audit, violations
from somekit.workspace import open_workspace
from tests.support.templated import N, built_templated, copy_of, with_inputs



@pytest.fixture(scope="module")
def clean(ced_ws, tmp_path_factory):
    return built_templated(ced_ws, tmp_path_factory, "integrity", seed=5)


@pytest.fixture
def ws(clean, tmp_path):
    return copy_of(clean, tmp_path)


_with_inputs = with_inputs


def _as(item, label):
    return item.model_copy(update={"answer": item.answer.model_copy(update={"label": label})})


def _checks(report):
    return {v["check"] for v in report["violations"]}


# ---- the audit on SoMe's released ground truth ----------------------------------------------

def test_some_released_files_fail_the_audit(some_gt_dir):
    rows = rows_from_some(some_gt_dir)
    results = {task: audit(r) for task, r in rows.items()}
    for task in ("ubp", "ucs", "mcr"):
        flagged = dict(violations(results[task]))
        assert results[task]["position"].acc == 1.0 and "position" in flagged, task
    # MCR: a post's label in the other items predicts its label (SoMe's negatives reuse posts).
    mcr = results["mcr"]["post_prior"]
    assert mcr.acc > 0.69 and mcr.ci[0] > 0.6 and "post_prior" in dict(violations(results["mcr"]))
    assert results["ucs"]["comment.length"].acc < 0.55  # SoMe's UCS texts themselves are fine


# ---- acceptance on CED with defaults ---------------------------------------------------------

def test_ced_defaults_pass_the_audit_and_export(ced_ws, tmp_path):
    shutil.copytree(ced_ws.root, tmp_path / "ws")
    w = open_workspace(tmp_path / "ws")
    for task in ("ubp", "ucs", "mcr"):
        get_builder(task)(w, w.config())
    report = run_checks(w, ["ubp", "ucs", "mcr"])
    assert report["ok"], report["violations"][:3]
    for task in ("ubp", "ucs", "mcr"):
        rules = report["shortcuts"][task]
        assert {"position", "post_prior", "user_prior", "post_time", "popularity", "own_post"} <= set(rules)
        worst = max(r["acc"] - r["baseline"] for r in rules.values())
        assert worst <= 0.05, (task, worst)
        assert read_stats(w, task)["shortcuts"]["position"]["n"] == report["tasks"][task]["items"]
        own = [i for i in read_items(w, task) if i.answer.label == "yes"]
        assert own and report["violation_counts"].get("own-post", 0) == 0
    assert read_stats(w, "ubp")["comments"]["boilerplate_reposts"] > 0
    out = tmp_path / "export"
    export_some(w, "draft", out, include_unreviewed=True)
    assert history_share(out, 3) >= 0.95
    result = CliRunner().invoke(main, ["verify", str(w.root), "--export", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["shortcuts"]["mcr"]["post_prior"]["acc"] < 0.55


# ---- planted leaks ---------------------------------------------------------------------------

def test_text_only_on_yes_items(ws):
    items = [_with_inputs(i, text=None) if i.inputs.action == "comment" and i.answer.label == "no" else i
             for i in read_items(ws, "ubp")]
    write_items(ws, "ubp", items)
    assert "label-fields" in _checks(run_checks(ws, ["ubp"]))


def test_own_post_positive(ws):
    con = ws_con(ws)
    author, post = con.execute("SELECT author_id, id FROM posts WHERE author_id IS NOT NULL ORDER BY id LIMIT 1").fetchone()
    items = read_items(ws, "mcr")
    planted = _with_inputs(next(i for i in items if i.answer.label == "yes"), user_id=author, post_id=post)
    write_items(ws, "mcr", items + [planted])
    report = run_checks(ws, ["mcr"])
    assert any(v["check"] == "own-post" and v["item"] == planted.id for v in report["violations"])


def test_emoji_only_and_boilerplate_comments(ws):
    items = read_items(ws, "ucs")
    k = next(i for i, it in enumerate(items) if it.answer.label == "yes")
    items[k] = _with_inputs(items[k], comment="[哈哈]@某人 ")
    write_items(ws, "ucs", items)
    assert "empty-comment" in _checks(run_checks(ws, ["ucs"]))
    con = ws_con(ws)
    user, post, text = con.execute("""
        SELECT user_id, post_id, text FROM interactions WHERE kind = 'comment' AND trim(text) IN ('转发微博', '轉發微博')
        AND (user_id, post_id) NOT IN (SELECT user_id, post_id FROM interactions WHERE kind = 'repost' OR
                                       (kind = 'comment' AND trim(text) NOT IN ('转发微博', '轉發微博')))
        ORDER BY id LIMIT 1""").fetchone()
    ubp = read_items(ws, "ubp")
    base = next(i for i in ubp if i.inputs.action == "comment" and i.answer.label == "yes")
    planted = _with_inputs(base, user_id=user, post_id=post, text=text)
    write_items(ws, "ubp", ubp + [planted])
    flagged = {v["check"] for v in run_checks(ws, ["ubp"])["violations"] if v["item"] == planted.id}
    assert {"positive-kind", "empty-comment"} <= flagged


def test_user_without_history(ws):
    con = ws_con(ws)
    user, post = con.execute("""SELECT user_id, min(post_id) FROM interactions GROUP BY user_id
                                HAVING count(DISTINCT post_id) = 1 ORDER BY user_id LIMIT 1""").fetchone()
    items = read_items(ws, "mcr")
    planted = _with_inputs(next(i for i in items if i.answer.label == "yes"), user_id=user, post_id=post)
    write_items(ws, "mcr", items + [planted])
    report = run_checks(ws, ["mcr"])
    assert any(v["check"] == "min-history" and user in v["detail"] for v in report["violations"])


def test_comment_id_naming_the_user(ws):
    items = read_items(ws, "ucs")
    k = next(i for i, it in enumerate(items) if it.answer.label == "yes")
    items[k] = _with_inputs(items[k], comment_id=f"at://{items[k].inputs.user_id}/app.bsky.feed.post/3k")
    write_items(ws, "ucs", items)
    assert "input-names-user" in _checks(run_checks(ws, ["ucs"]))


def test_position_shortcut_fails_verify_and_freeze(ced_ws, tmp_path):
    shutil.copytree(ced_ws.root, tmp_path / "ws")
    w = open_workspace(tmp_path / "ws")
    get_builder("mcr")(w, w.config(), n=150, seed=3)
    items = read_items(w, "mcr")
    items.sort(key=lambda i: (i.inputs.user_id, i.answer.label != "yes"))  # each user's yes first
    write_items(w, "mcr", items)
    result = CliRunner().invoke(main, ["verify", str(w.root), "--task", "mcr", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert "shortcut:position" in report["violation_counts"] and report["shortcuts"]["mcr"]["position"]["acc"] > 0.9
    with pytest.raises(FreezeError, match="shortcut audit"):
        freeze(w, "v1", include_unreviewed=True)


def test_users_crossing_splits(ws):
    freeze(ws, "v1", include_unreviewed=True)
    manifest = load_manifest(ws, "v1")
    assert set(manifest.shortcuts) == {"ubp", "ucs", "mcr"}
    from somekit.publish.integrity_card import card_section

    card = "\n".join(card_section("mcr", manifest.shortcuts["mcr"]))
    assert "Shortcut audit" in card and card.count("| `") == 5  # the five strongest rules
    assert run_checks(ws, ["ubp", "mcr"])["ok"]
    frozen = ws.frozen("v1")
    shutil.copy(frozen / "ubp" / "test.parquet", frozen / "mcr" / "train.parquet")  # a user in two splits
    report = run_checks(ws, ["mcr"])
    assert "split-crossing" in _checks(report)


def ws_con(ws):
    from somekit.store.query import connect

    return connect(ws.corpus)


# ---- replies count against the post they answer, and verbatim copies against the original ----

def _thread_corpus(tmp_path):
    """A small real-format corpus: u1 replies to p2 (a reply in p1's thread); p4 copies p3's text."""
    from somekit.ingest import ingest
    from somekit.workspace import init_workspace

    recs = [{"type": "user", "id": f"u{k}"} for k in range(1, 6)]
    texts = {"p1": "线程的开头", "p2": "回复线程的帖子", "p3": "暴雨预警今晚到达", "p4": "暴雨预警今晚到达", "p5": "别的内容",
             "p6": "第六条", "p7": "第七条"}
    for pid, text in texts.items():
        recs.append({"type": "post", "id": pid, "author_id": "u5", "text": text, "created_at": "2024-01-01T00:00:00Z"})
    recs.append({"type": "interaction", "id": "r1", "kind": "reply", "user_id": "u1", "post_id": "p1", "parent_id": "p2",
                 "text": "同意你的看法", "created_at": "2024-01-02T00:00:00Z"})
    for k, pid in enumerate(("p3", "p5", "p6", "p7")):
        recs.append({"type": "interaction", "id": f"l{k}", "kind": "like", "user_id": "u1", "post_id": pid})
    src = tmp_path / "corpus.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    w = init_workspace(tmp_path / "thread")
    ingest(w, "jsonl", [src])
    return w


def _mcr(user, post, yes, rule):
    from somekit.builders.tasks.mcr import _item

    return _item(user, post, yes, "zh", 1, [post], rule, {})


def test_reply_parent_and_copied_text_are_not_negatives(tmp_path):
    w = _thread_corpus(tmp_path)
    write_items(w, "mcr", [_mcr("u1", "p5", True, "positive:interaction:like"),
                           _mcr("u1", "p2", False, "negative:not-interacted"),
                           _mcr("u1", "p4", False, "negative:not-interacted")])
    report = run_checks(w, ["mcr"])
    by_item = {(v["check"], v["item"]) for v in report["violations"]}
    assert ("negative-touched", _mcr("u1", "p2", False, "").id) in by_item
    assert ("negative-content", _mcr("u1", "p4", False, "").id) in by_item


def test_export_hides_a_reply_to_an_asked_post(tmp_path):
    w = _thread_corpus(tmp_path)
    write_items(w, "mcr", [_mcr("u1", "p2", True, "positive:interaction:reply"), _mcr("u1", "p4", False, "x")])
    out = tmp_path / "export"
    export_some(w, "draft", out, include_unreviewed=True)
    path = out / "database" / "user_data" / "u1" / "u1.json"
    doc = orjson.loads(path.read_bytes())
    assert all(e.get("id") != "r1" for e in doc["weibo"])  # the reply to p2 (thread p1) is hidden
    doc["weibo"].append({"id": "r1", "text": "同意你的看法", "created_time": None, "kind": "reply",
                         "retweeted_id": "p1", "reply_to": "p2"})
    path.write_bytes(orjson.dumps(doc))
    leaks = [v for v in run_checks(w, export_dirs=[out])["violations"] if v["check"] == "answer-leak"]
    assert leaks and "p2" in leaks[0]["detail"]


# ---- builders --------------------------------------------------------------------------------

def test_ubp_comment_items_carry_real_texts_on_both_labels(clean):
    con = ws_con(clean)
    for item in read_items(clean, "ubp"):
        if item.inputs.action != "comment":
            assert item.inputs.text is None
            continue
        assert item.inputs.text
        if item.answer.label == "no":
            author = con.execute("SELECT user_id, post_id, text FROM interactions WHERE id = ?",
                                 [item.provenance.source_ids[1]]).fetchone()
            assert author[0] != item.inputs.user_id and author[1] == item.inputs.post_id and author[2] == item.inputs.text


def test_per_task_salts_and_one_split_per_user(clean):
    ubp = {(i.inputs.user_id, i.inputs.post_id) for i in read_items(clean, "ubp") if i.answer.label == "yes"}
    mcr = {(i.inputs.user_id, i.inputs.post_id) for i in read_items(clean, "mcr") if i.answer.label == "yes"}
    assert len(ubp & mcr) < len(ubp) / 2  # one seed used to pick nearly the same pairs for both
    from somekit.freeze.splits import unit_hash

    assert unit_hash(1, "ubp", "u") == unit_hash(1, "mcr", "u") != unit_hash(1, "mid", "u")


def test_ucs_comment_ids_do_not_name_their_author():
    from somekit.builders.tasks.ucs import comment_ref

    uri = "at://did:plc:abc123xyz/app.bsky.feed.post/3kq"
    assert comment_ref(uri).startswith("cmt:") and "did:plc" not in comment_ref(uri)
    assert comment_ref("5120482505917816") == "5120482505917816"  # Weibo mids name no one
