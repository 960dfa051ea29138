"""378 answers written for issue 25 round 4 in the styles agents use (both languages, all six
tasks: weighing the other label first, notes after the verdict, counterfactuals, double negations,
JSON and key=value fields, tool-call fragments, emoji and ticks, Traditional Chinese, declines).
None is F's text. The parser may leave one undecided, never read it wrong; and few stay undecided."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from somekit.answers.extract import extract_label

ROWS = [json.loads(line) for line in (Path(__file__).parent / "fixtures" / "extraction" / "agent_styles.jsonl")
        .read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_set_covers_every_task_and_both_languages():
    assert {r["task"] for r in ROWS} == {"ubp", "ucs", "mcr", "uea", "mid", "mid-zh"}
    zh = sum(1 for r in ROWS if any("\u4e00" <= ch <= "\u9fff" for ch in r["answer"]))
    assert 0.3 * len(ROWS) < zh < 0.7 * len(ROWS)
    assert sum(1 for r in ROWS if r["gold"] is None) >= 15


@pytest.mark.parametrize("row", ROWS, ids=[f'{r["task"]}-{i}' for i, r in enumerate(ROWS)])
def test_never_read_wrong(row):
    assert extract_label(row["task"], row["answer"]).label in (row["gold"], None)


def test_at_most_two_percent_undecided():
    undecided = [r["answer"] for r in ROWS if r["gold"] is not None and extract_label(r["task"], r["answer"]).label is None]
    assert len(undecided) <= 0.02 * len(ROWS), undecided
