"""The client against the test-only FAULT INJECTOR (tests/fixtures/llm_server.py): every fault kind
ends in a retry or a recorded per-item failure, the batch completes and the failure list is exact.
Faults are the point here, so this is the one place a non-real server is used."""

from __future__ import annotations

import sqlite3
import time

from pydantic import BaseModel, Field

from somekit.annotate.client import get_llm
from somekit.annotate.contract import LLMRequest


class Score(BaseModel):
    accuracy: int = Field(ge=0, le=5)
    reason: str


def req(ident: str, fault: str = "", **kw) -> LLMRequest:
    question = f"FAULT={fault} ID={ident}" if fault else f"plain question {ident}"
    return LLMRequest(key=ident, prompt_id="judge.smq@1", lang="en", schema=Score,
                      fields={"question": question, "reference": "r", "prediction": "p"}, **kw)


def fast_llm(ws, url, **kw):
    opts = dict(base_url=url, concurrency=8, max_retries=3, max_repairs=2, timeout_s=0.5, backoff_s=0.05)
    opts.update(kw)
    return get_llm(ws, **opts)


def test_every_fault_kind_retries_or_fails_per_item(ws, fault_server):
    # n=1: one bad attempt, then the server behaves -> must succeed through a retry or re-ask.
    # n=99: never behaves -> must become a per-item failure with the right reason.
    recover = ["429:1", "500:1", "slow:1", "badjson:1", "schema:1", "trunc:1", "garbage:1"]
    give_up = {"500:99": "gave up after 4 attempts", "slow:99": "timeout", "badjson:99": "invalid structured output",
               "schema:99": "invalid structured output", "trunc:99": "truncated output", "garbage:99": "unreadable"}
    fault_server.slow_s = 1.0
    fault_server.retry_after = "0.1"
    requests = [req("good-0"), *(req(f"r{i}", k) for i, k in enumerate(recover)),
                *(req(f"f{i}", k) for i, k in enumerate(give_up)), req("good-1")]
    llm = fast_llm(ws, fault_server.url)
    results = llm.run(requests, desc="faults")

    assert [r.key for r in results] == [r.key for r in requests]
    by_key = {r.key: r for r in results}
    for i in range(len(recover)):
        assert by_key[f"r{i}"].ok, (recover[i], by_key[f"r{i}"].error)
        assert by_key[f"r{i}"].value == Score(accuracy=4, reason="fine")
        assert fault_server.attempts[f"r{i}"] == 2
    failed = {f["key"]: f["error"] for f in llm.last_run["failures"]}
    assert set(failed) == {f"f{i}" for i in range(len(give_up))}
    for i, (kind, reason) in enumerate(give_up.items()):
        assert reason in failed[f"f{i}"], (kind, failed[f"f{i}"])
        assert not by_key[f"f{i}"].ok
    # transport faults are retried max_retries times; content faults re-asked max_repairs times
    assert fault_server.attempts["f0"] == 4
    assert fault_server.attempts["f2"] == 3
    assert fault_server.attempts["f4"] == 3
    assert by_key["good-0"].ok and by_key["good-1"].ok
    assert llm.last_run["failed"] == len(give_up)


def test_truncated_reply_is_retried_with_a_larger_budget(ws, fault_server):
    llm = fast_llm(ws, fault_server.url)
    [res] = llm.run([req("t", "trunc:1", max_tokens=50)])
    assert res.ok
    budgets = [b["max_tokens"] for b in fault_server.bodies]
    assert budgets == [50, 100]


def test_retry_after_is_honoured(ws, fault_server):
    fault_server.retry_after = "1.2"
    llm = fast_llm(ws, fault_server.url, backoff_s=0.01)
    t0 = time.monotonic()
    [res] = llm.run([req("ra", "429:1")])
    assert res.ok
    assert time.monotonic() - t0 >= 1.1          # the exponential backoff alone would wait ~0.01 s


def test_failover_to_the_next_endpoint(ws, fault_server):
    from tests.fixtures.llm_server import free_port

    dead = f"http://127.0.0.1:{free_port()}/v1"   # nothing listens there: connection refused
    llm = fast_llm(ws, [dead, fault_server.url], model="fault-model")
    results = llm.run([req(f"k{i}") for i in range(12)])
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    assert fault_server.calls == 12


def test_max_calls_budget_stops_cleanly_and_resumes(ws, fault_server):
    requests = [req(f"b{i}") for i in range(10)]
    first = fast_llm(ws, fault_server.url, max_calls=4, concurrency=2).run(requests)
    assert sum(r.ok for r in first) == 4
    assert all("max_calls budget" in r.error for r in first if not r.ok)
    assert fault_server.calls == 4
    second = fast_llm(ws, fault_server.url).run(requests)
    assert all(r.ok for r in second)
    assert sum(r.cached for r in second) == 4
    assert fault_server.calls == 10


def test_api_key_is_sent_but_never_stored(ws, fault_server):
    secret = "sk-test-SECRET-0123456789"
    llm = fast_llm(ws, fault_server.url, api_key=secret)
    assert secret not in repr(llm.settings)
    results = llm.run([req("s1"), req("s2", "500:1")])
    assert all(r.ok for r in results)
    assert set(fault_server.auth_headers) == {f"Bearer {secret}"}
    ws_bytes = b"".join(p.read_bytes() for p in ws.root.rglob("*") if p.is_file())
    assert secret.encode() not in ws_bytes
    with sqlite3.connect(ws.cache / "llm.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 3   # ledger: 1 + (1 failed + 1)


def test_identical_requests_in_a_batch_are_asked_once_and_progress_counts(ws, fault_server):
    same = [req("dup-a"), req("dup-b")]
    same[1].fields = dict(same[0].fields)            # identical prompt, different caller keys
    llm = fast_llm(ws, fault_server.url, progress=True)   # the rich bar must not disturb the run
    results = llm.run(same + [req("other")], desc="dedupe")
    assert [r.key for r in results] == ["dup-a", "dup-b", "other"]
    assert all(r.ok for r in results) and results[1].cached and not results[0].cached
    assert fault_server.calls == 2
    run = llm.last_run
    assert (run["total"], run["done"], run["calls"], run["cached"], run["failed"]) == (3, 3, 2, 1, 0)
    assert run["prompt_tokens"] == 20 and run["completion_tokens"] == 10
