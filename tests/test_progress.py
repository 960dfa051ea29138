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
