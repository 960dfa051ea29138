"""Confounders controlled (issue 24), on the real CED corpus (both halves) in ../shared:
matched mid-zh pairs with their balance table, exposure-matched negatives and the user-relative
audit that catches time-separated ones, and the comment text rules (boilerplate, links, length)."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pytest
from click.testing import CliRunner

from somekit.builders.comment_text import acts_sql
from somekit.builders.sampling import open_corpus
from somekit.cli import main
from somekit.store.items import read_items, read_stats, write_items
from somekit.store.parquet import arrow_schema, write_table
from somekit.verify.runner import run_checks
from somekit.verify.textrules import is_auto_repost, own_words
from somekit.workspace import init_workspace, open_workspace

pytestmark = pytest.mark.shared_data


def _copy(ced_ws, tmp_path, options: dict[str, str] | None = None):
    """A private copy of the session's CED workspace, with `[tasks.X.options]` tables appended."""
    root = tmp_path / "ws"
    shutil.copytree(ced_ws.root, root)
    if options:
        with open(root / "somekit.toml", "a", encoding="utf-8") as fh:
            for task, body in options.items():
                fh.write(f"\n[tasks.{task}.options]\n{body}\n")
    return open_workspace(root)


def _build(ws, *tasks: str) -> dict:
    res = CliRunner().invoke(main, ["build", str(ws.root), *tasks, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_mid_zh_pairs_are_matched_and_verify_enforces_the_balance(ced_ws, tmp_path):
    ws = _copy(ced_ws, tmp_path)
    result = _build(ws, "mid-zh")["mid-zh"]
    balance = read_stats(ws, "mid-zh")["balance"]
    # Matching loses most of CED's pairs; the build says so, naming the covariate that separated most.
    lost_most = balance["pairs_matched"] < balance["pairs_possible"] / 2
    said = [w for w in result["warnings"] if "matching kept" in w]
    assert bool(said) == lost_most
    if said:
        worst = max(balance["smd_before"], key=lambda k: abs(balance["smd_before"][k]))
        assert f"{worst} (SMD" in said[0] and f"of {balance['pairs_possible']} possible" in said[0]
    items = read_items(ws, "mid-zh")
    # Before matching CED's halves differ (other accounts, other years); after, within 0.1 SD.
    assert max(abs(v) for v in balance["smd_before"].values()) > 0.5
    assert max(abs(v) for v in balance["smd_after"].values()) <= 0.1
    assert balance["pairs_matched"] * 2 == len(items) > 0
    assert balance["pairs_lost"] == balance["pairs_possible"] - balance["pairs_matched"]
    assert {i.provenance.notes["design"] for i in items} == {"matched"}
    report = run_checks(ws, ["mid-zh"])
    assert report["ok"], report["violations"]
    assert report["balance"]["mid-zh"]["design"] == "matched"
    assert max(abs(v) for v in report["balance"]["mid-zh"]["smd"].values()) <= 0.1

    # match = []: the old unmatched pairs, labelled so; verify reports the imbalance, never hides it.
    raw = _copy(ced_ws, tmp_path / "raw", {"mid-zh": "match = []"})
    result = _build(raw, "mid-zh")["mid-zh"]
    assert result["stats"]["design"] == "unmatched" and any("unmatched" in w for w in result["warnings"])
    report = run_checks(raw, ["mid-zh"])
    assert report["balance"]["mid-zh"]["design"] == "unmatched"
    assert max(abs(v) for v in report["balance"]["mid-zh"]["smd"].values()) > 0.1
    assert "mid-zh-balance-covariates" not in report["violation_counts"]


def test_time_separated_negatives_are_flagged_and_exposure_matched_ones_are_not(ced_ws, tmp_path):
    ws = _copy(ced_ws, tmp_path)
    _build(ws, "mcr")
    report = run_checks(ws, ["mcr"])
    gap = report["shortcuts"]["mcr"]["user_time_gap"]
    assert report["ok"], report["violations"]
    assert gap["acc"] - gap["baseline"] <= 0.05

    # Plant time-separated negatives: every "no" post swapped for one published at least a year
    # away from everything the user did (and never touched by them).
    con = open_corpus(ws)
    items = read_items(ws, "mcr")
    users = sorted({i.inputs.user_id for i in items if i.answer.label == "no"})
    con.register("_u", pa.table({"user_id": pa.array(users, pa.string())}))
    far = dict(con.execute("""
        WITH span AS (SELECT i.user_id, min(i.created_at) AS lo, max(i.created_at) AS hi FROM interactions i
                      JOIN _u USING (user_id) GROUP BY i.user_id)
        SELECT s.user_id, arg_min(p.id, p.id) FROM span s JOIN posts p
          ON p.created_at < s.lo - INTERVAL 365 DAY OR p.created_at > s.hi + INTERVAL 365 DAY
        WHERE NOT EXISTS (SELECT 1 FROM interactions x WHERE x.user_id = s.user_id AND x.post_id = p.id)
          AND p.author_id IS DISTINCT FROM s.user_id
        GROUP BY s.user_id""").fetchall())
    planted = []
    for item in items:
        if item.answer.label == "no" and item.inputs.user_id in far:
            item = item.model_copy(update={"inputs": item.inputs.model_copy(update={"post_id": far[item.inputs.user_id]})})
        planted.append(item)
    assert sum(1 for i in planted if i.answer.label == "no" and i.inputs.post_id == far.get(i.inputs.user_id)) > 200
    write_items(ws, "mcr", planted, stats=read_stats(ws, "mcr"))
    report = run_checks(ws, ["mcr"])
    assert "shortcut:user_time_gap" in report["violation_counts"], report["shortcuts"]["mcr"]["user_time_gap"]


def test_boilerplate_links_and_short_comments_are_not_comments(tmp_path):
    ws = init_workspace(tmp_path / "ws")
    reposts = ["转发微博", "微博转发", "轉發微博！！", "转发 微博 转发", "【转发】微博", "http://t.cn/zQ8xYz1", "http:",
               " http://t.cn/a  http://t.cn/b "]
    comments = ["这个消息是假的吧", "求证一下这件事是真的吗"]
    texts = reposts + comments
    n = len(texts)
    cols = {"source": ["test"] * n, "id": [f"c{k}" for k in range(n)], "kind": ["comment"] * n,
            "user_id": [f"u{k}" for k in range(n)], "post_id": ["p0"] * n, "text": texts}
    schema = arrow_schema("interactions")
    write_table(ws.corpus / "interactions.parquet", pa.Table.from_arrays(
        [pa.array(cols[f.name], f.type) if f.name in cols else pa.nulls(n, f.type) for f in schema], schema=schema))
    post_schema = arrow_schema("posts")
    write_table(ws.corpus / "posts.parquet", pa.Table.from_arrays(
        [pa.array(["p0"] if f.name == "id" else ["test"], f.type) if f.name in ("id", "source") else pa.nulls(1, f.type)
         for f in post_schema], schema=post_schema))
    con = open_corpus(ws)
    kinds = dict(con.execute(f"SELECT text, kind FROM ({acts_sql()})").fetchall())
    assert [kinds[t] for t in reposts] == ["repost"] * len(reposts)
    assert [kinds[t] for t in comments] == ["comment"] * len(comments)
    # verify's own reading agrees, text by text.
    assert all(is_auto_repost(t) for t in reposts) and not any(is_auto_repost(t) for t in comments)
    assert [own_words(t) for t in reposts] == [""] * len(reposts)
    assert own_words("求证") == "求证" and len(own_words("+1")) < 4  # dropped by min_chars = 4, not by the text rule
