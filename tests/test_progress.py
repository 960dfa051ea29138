"""The one progress bar (executors/progress.py): its counters, and that a forced bar draws on
stderr only, so `--json` on stdout stays parseable."""

from __future__ import annotations

from somekit.executors.progress import BatchProgress


def test_counters_and_summary_for_llm_calls():
    with BatchProgress(5, "llm", enabled=False) as prog:
        prog.advance(2, cached=True)
        prog.call()
        prog.call()
        prog.advance(failed=True)
        prog.advance()
        prog.advance(0, failed=True)          # nothing to count
    s = prog.summary()
    assert (s["total"], s["done"], s["cached"], s["failed"], s["calls"]) == (5, 4, 2, 1, 2)


def test_forced_bar_draws_on_stderr_not_stdout(capsys):
    with BatchProgress(3, "rows here", enabled=True, unit="rows") as bar:
        bar.advance(2)
        bar.advance(1, failed=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert "rows here" in err and "3/3" in err and "rows/s" in err and "failed 1" in err
    assert "cached" not in err                 # rows have no cache column
    assert (bar.done, bar.failed) == (3, 1)


def test_calls_bar_shows_cache_hits(capsys):
    with BatchProgress(2, "ask", enabled=True) as prog:
        prog.advance(cached=True)
        prog.call()
        prog.advance()
    err = capsys.readouterr().err
    assert "cached 1" in err and "calls/s" in err


def test_disabled_bar_draws_nothing(capsys):
    with BatchProgress(2, "quiet", enabled=False) as prog:
        prog.advance(2)
    assert capsys.readouterr() == ("", "")
    assert prog.done == 2


def test_update_sets_position_and_a_total_learned_late(capsys):
    with BatchProgress(None, "importing", enabled=True, unit="tasks") as bar:
        bar.update(2)                          # total not known yet
        assert (bar.done, bar.total) == (2, None)
        bar.update(5, 8)
        bar.update(8, 8)
    err = capsys.readouterr().err
    assert "importing" in err and "8/8" in err and "tasks/s" in err
    assert bar.summary()["total"] == 8 and bar.done == 8


def test_unknown_total_still_draws_the_count(capsys):
    with BatchProgress(None, "ingest jsonl", enabled=True, unit="records") as bar:
        bar.update(12_000)
    err = capsys.readouterr().err
    assert "ingest jsonl" in err and "12000" in err and "records/s" in err
