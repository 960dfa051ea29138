"""The HTML report in a real browser: Debian's headless Chromium driven by Selenium through
chromium-driver opens `somekit report`'s page from disk and checks what a reviewer would see:
every image decoded, no console error, the expected sections, and a screenshot (kept as an
artefact under $SOMEKIT_TEST_ARTIFACTS, or the test's tmp folder)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from somekit.freeze import freeze
from somekit.report import write_report
from somekit.store.items import write_items
from somekit.workspace import init_workspace
from tests.fixtures.browser import require_chromium, start_chromium

from .test_freeze_items import make_items

pytestmark = pytest.mark.chromium

SECTIONS = ("overview", "figures", "quality", "shortcuts", "balance", "datasheet", "samples")


def open_in_chromium(page: Path, screenshot: Path) -> dict:
    """Load `page` headless; return what the checks need, and save a full-page screenshot."""
    browser = start_chromium(1280, 2000, console_log=True, offline=True)   # no network at all
    try:
        browser.get(page.resolve().as_uri())
        state = browser.execute_script("""
            const imgs = Array.from(document.images);
            return {ready: document.readyState,
                    images: imgs.map(i => ({alt: i.alt, complete: i.complete, width: i.naturalWidth})),
                    sections: Array.from(document.querySelectorAll('section[id]')).map(s => s.id),
                    items: document.querySelectorAll('[data-item]').length,
                    external: Array.from(document.querySelectorAll('[src],[href]'))
                        .map(e => e.getAttribute('src') || e.getAttribute('href'))
                        .filter(u => /^(https?:)?\\/\\//.test(u))};""")
        state["console"] = browser.get_log("browser")
        height = browser.execute_script("return document.body.scrollHeight")
        browser.set_window_size(1280, min(int(height), 12000))
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(screenshot))
    finally:
        browser.quit()
    return state


@pytest.fixture
def artefacts(tmp_path) -> Path:
    return Path(os.environ.get("SOMEKIT_TEST_ARTIFACTS") or tmp_path)


def test_report_renders_in_headless_chromium(tmp_path, artefacts):
    require_chromium()
    w = init_workspace(tmp_path / "ws")
    for task in ("ubp", "uea", "mid", "red", "nap"):
        write_items(w, task, make_items(task, 48), stats={"items": 48})
    freeze(w, "v1")
    result = write_report(w, "v1")
    shot = artefacts / "report-v1.png"
    state = open_in_chromium(result.path, shot)
    assert state["ready"] == "complete"
    assert len(state["images"]) == len(result.figures) >= 3
    broken = [i["alt"] for i in state["images"] if not i["complete"] or i["width"] <= 0]
    assert not broken, broken
    errors = [e for e in state["console"] if e.get("level") == "SEVERE"]
    assert not errors, errors
    assert tuple(state["sections"]) == SECTIONS
    assert state["items"] == result.samples > 0 and not state["external"]
    # The screenshot is a real rendering of the page: a PNG as wide as the window with the
    # figures' colours in it, not a blank canvas.
    from PIL import Image

    with Image.open(shot) as img:
        assert img.size[0] == 1280 and img.size[1] > 2000
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is None or len(colours) > 50
