"""Pure logic of the review loop, no server: label configs, vote mapping, majority, agreement."""

from __future__ import annotations

from somekit.review.labelstudio.agreement import agreement
from somekit.review.labelstudio.configs import FIELDS, label_config, parse_result, prediction_result
from somekit.review.labelstudio.decisions import Vote, decide, vote_of
from somekit.schemas.items import Event, EventsAnswer, REDInputs, REDItem, item_id
from somekit.schemas.provenance import Provenance
from tests.fixtures.label_studio import make_ubp_items, make_uea_items


def test_every_task_has_a_config_and_round_trips_its_prediction():
    items = {"ubp": make_ubp_items(1)[0], "uea": make_uea_items(1)[0]}
    for task in FIELDS:
        xml = label_config(task)
        assert xml.startswith("<View>") and 'value="$context"' in xml
    for task, item in items.items():
        values = parse_result(task, prediction_result(item))
        assert values.pop("_reject") is False
        assert vote_of(item, {"result": prediction_result(item)}, "a").state == "accepted"


def test_red_events_edit_and_invalid_json():
    inputs = REDInputs(location="Paris", window_start="2024-01-01 10:00:00", window_end="2024-01-01 11:00:00")
    item = REDItem(id=item_id("red", inputs.model_dump()), query="q", template_id="red@1", inputs=inputs,
                   answer=EventsAnswer(events=[Event(title="t", summary="s", time="10:00", location="Paris")]),
                   provenance=Provenance(rule="llm:summary", builder="red@1"))
    result = prediction_result(item)
    assert vote_of(item, {"result": result}, "a").state == "accepted"
    edited = [dict(r) for r in result]
    edited[0] = {**edited[0], "value": {"text": ['{"title": "T2", "summary": "s", "time": "10:00", "location": "Paris"}']}}
    vote = vote_of(item, {"result": edited}, "a")
    assert vote.state == "corrected" and vote.answer["events"][0]["title"] == "T2"
    edited[0] = {**edited[0], "value": {"text": ["not json"]}}
    assert vote_of(item, {"result": edited}, "a").state == "invalid"


def test_majority_tie_and_min_annotators():
    item = make_ubp_items(1)[0]
    yes, no = Vote("a", "accepted", {"label": "yes"}), Vote("b", "corrected", {"label": "no"})
    d, note = decide(item, [yes, no])
    assert d.state == "pending" and "tie" in note
    d, _ = decide(item, [yes, no, Vote("c", "corrected", {"label": "no"})])
    assert d.state == "corrected" and d.answer == {"label": "no"} and d.reviewers == ["b", "c"]
    d, note = decide(item, [yes], min_annotators=2)
    assert d.state == "pending" and "1 of 2" in note
    d, _ = decide(item, [Vote("a", "rejected"), Vote("b", "rejected"), yes])
    assert d.state == "rejected"


def test_agreement_values():
    assert agreement([["x", "x"], ["y", "y"]]) == {"items": 2, "pairwise": 1.0, "fleiss_kappa": 1.0}
    low = agreement([["x", "y"], ["x", "y"]])
    assert low["pairwise"] == 0.0 and low["fleiss_kappa"] < 0
    assert agreement([["x"]])["items"] == 0


def test_context_shows_source_post_and_votes_and_the_history_field_the_users_posts(tmp_path):
    import pyarrow as pa

    from somekit.review.labelstudio.context import ContextBuilder
    from somekit.store.parquet import arrow_schema, write_table
    from somekit.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    schema = arrow_schema("posts")
    cols = {"source": ["t"] * 3, "id": ["p0", "x1", "x2"], "platform": ["weibo"] * 3,
            "author_id": ["someone", "u0", "u0"], "text": ["the asked post", "older post", "newer post"],
            "created_at": pa.array([1_600_000_000_000_000, 1_600_000_000_000_000, 1_700_000_000_000_000],
                                   pa.timestamp("us", tz="UTC"))}
    table = pa.table({f.name: (cols[f.name].cast(f.type) if isinstance(cols.get(f.name), pa.Array)
                               else pa.array(cols[f.name], f.type) if f.name in cols else pa.nulls(3, f.type))
                      for f in schema}, schema=schema)
    write_table(ws.corpus / "posts.parquet", table)
    item = make_uea_items(1)[0].model_copy(update={"inputs": make_uea_items(1)[0].inputs.model_copy(
        update={"user_id": "u0", "post_id": "p0"})})
    text = ContextBuilder(ws, [item]).render(item)
    assert "the asked post" in text and "comment number 0" in text and "agreement 0.67" in text
    assert "newer post" not in text   # the user's posts moved to the history field
    from somekit.review.labelstudio.evidence import EvidenceBuilder

    history = EvidenceBuilder(ws, [item]).fields(item)["history"]
    assert history.startswith("User u0: the last 2 of 2 visible history entries, oldest first")
    assert history.index("older post") < history.index("newer post")   # oldest first, as a timeline


def test_context_shows_media_text_from_enrichment(tmp_path):
    import pyarrow as pa

    from somekit.review.labelstudio.context import ContextBuilder
    from somekit.store.parquet import write_table
    from somekit.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    write_table(ws.enrich / "post_text.parquet", pa.table({
        "post_id": ["p0"], "caption": ["a cat on a roof"], "ocr": ["SALE 50%"], "transcript": [None]}))
    item = make_ubp_items(1)[0]
    text = ContextBuilder(ws, [item]).render(item)
    assert "caption: a cat on a roof" in text and "ocr: SALE 50%" in text and "transcript" not in text


def _write(ws, table: str, cols: dict, n: int) -> None:
    import pyarrow as pa

    from somekit.store.parquet import arrow_schema, write_table

    schema = arrow_schema(table)
    write_table(ws.corpus / f"{table}.parquet",
                pa.table({f.name: pa.array(cols[f.name], f.type) if f.name in cols else pa.nulls(n, f.type)
                          for f in schema}, schema=schema))


def test_mid_and_drafted_evidence_from_a_tiny_corpus(tmp_path):
    """LIAR-RAW is not in ../shared: a two-report claim written here stands in for it (a stand-in,
    named so); the SMQ draft cites a post with no time, which must read 'time unknown'."""
    from somekit.review.labelstudio.evidence import EvidenceBuilder
    from somekit.schemas.items import MIDAnswer, MIDInputs, MIDItem
    from somekit.workspace import init_workspace
    from tests.fixtures.label_studio import make_smq_items

    ws = init_workspace(tmp_path / "ws")
    _write(ws, "reports", {"source": ["t", "t"], "id": ["liar:r1", "liar:r2"], "claim_id": ["liar:c1", "liar:c1"],
                           "domain": ["example.org", None], "link": ["https://example.org/a", None],
                           "content": ["The senator voted against the bill.", "Other text."]}, 2)
    _write(ws, "posts", {"source": ["t"], "id": ["p0"], "platform": ["weibo"], "author_id": ["a1"],
                         "text": ["evidence post text"]}, 1)
    inputs = MIDInputs(claim_id="liar:c1", claim="The senator voted for the bill.", report_ids=["liar:r1", "liar:r2"])
    mid = MIDItem(id=item_id("mid", inputs.model_dump()), query="q", template_id="mid@1", inputs=inputs,
                  answer=MIDAnswer(label="false", original_label="pants-fire"),
                  provenance=Provenance(rule="source:label", builder="mid@1"))
    text = EvidenceBuilder(ws, [mid]).fields(mid)["evidence"]
    assert "the source (liar) says 'pants-fire'" in text and "knowledge base for this claim: 2 (first 3):" in text
    assert "example.org https://example.org/a: «The senator voted against the bill.»" in text
    assert "unknown domain" in text and "None" not in text
    smq = make_smq_items(1)[0]
    fields = EvidenceBuilder(ws, [smq]).fields(smq)
    assert fields["history"] == ""
    assert fields["evidence"].splitlines() == ["Posts the draft cites as evidence (1):",
                                               "  - post p0 by user a1, time unknown: «evidence post text»"]
