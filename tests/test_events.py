"""Near-duplicate events (issue 24): the one text normalisation, the builder's MinHash LSH events
and verify's exact recomputation, on real CED posts with planted near-copies."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from somekit.builders.events import near_duplicate_events
from somekit.store.query import connect
from somekit.textnorm import clean, normalise
from somekit.verify.events import exact_events
from tests.fixtures.data import CED


def _real_posts(limit: int = 400) -> dict[str, str]:
    """Source posts of the real CED corpus (both halves), by file name."""
    if not CED.is_dir():
        pytest.skip(f"real CED data not found at {CED} (../shared is absent)")
    out = {}
    for path in sorted((CED / "original-microblog").glob("*.json"))[:limit]:
        text = json.loads(path.read_text(encoding="utf-8")).get("text") or ""
        if len(normalise(text)) >= 60:
            out[path.stem] = text
    return out


def _near_copies(text: str) -> dict[str, str]:
    """The copies a reposting account makes: spaces, U+200B, 【】, a trailing link, a sentence cut."""
    sentences = [s for s in text.replace("！", "。").split("。") if s]
    cut = "。".join(sentences[:-1]) + "。" if len(sentences) > 2 else text[: int(len(text) * 0.85)]
    return {
        "copy-spaces": "\u3000\u3000" + text.replace("，", " ， ").replace("。", "。  "),
        "copy-zwsp": "\u200b".join(text[i:i + 7] for i in range(0, len(text), 7)) + "\ufeff",
        "copy-brackets": "【转】" + text + "【】",
        "copy-link": text + " http://t.cn/zQ8xYz1",
        "copy-cut": cut,
    }


def test_normalisation_folds_what_a_reader_does_not_see():
    base = "网传：东海县石梁河水库补偿款案 ABC１２３"
    variants = ["\u3000\u3000网传：东海县\u200b石梁河水库补偿款案 ＡＢＣ123\ufeff", "【网传】东海县石梁河水库补偿款案abc123 http://t.cn/zjKyD4R",
                "网传 东海县  石梁河水库补偿款案 abc 123 http:"]
    assert {normalise(v) for v in variants} == {normalise(base)}
    assert clean("a\u3000\u3000b\u200bc") == "a bc"
    assert normalise("http://t.cn/abc") == normalise("http:") == ""


@pytest.mark.shared_data
def test_planted_near_copies_form_one_event_in_builder_and_verify(tmp_path):
    posts = _real_posts()
    base_id = sorted(posts)[len(posts) // 2]
    planted = {f"{base_id}-{k}": v for k, v in _near_copies(posts[base_id]).items()}
    texts = {**posts, **planted}
    built = near_duplicate_events(texts)
    group = {base_id, *planted}
    assert {built[p] for p in group} == {min(group)}, {p: built[p] for p in group}
    # Other real posts are not swallowed by the planted event.
    assert sum(1 for p, e in built.items() if e == min(group)) <= len(group) + 2

    con = connect(tmp_path)  # an empty corpus folder: verify only needs DuckDB here
    checked = exact_events(con, texts, 0.5, 5)
    assert checked == built  # the two paths agree on every real post, not only on the planted ones


@pytest.mark.shared_data
def test_sql_normalisation_is_the_python_one(tmp_path):
    posts = _real_posts(60)
    texts = list(posts.values()) + list(_near_copies(next(iter(posts.values()))).values())
    from somekit.textnorm import register_sql

    con = connect(tmp_path)
    register_sql(con)
    con.register("t", pa.table({"x": pa.array(texts + [None], pa.string())}))
    got = [r[0] for r in con.execute("SELECT somekit_norm(x) FROM t").fetchall()]
    assert got == [normalise(t) for t in texts] + [""]
