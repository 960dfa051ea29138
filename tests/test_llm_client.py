"""The client against REAL components: llama.cpp's OpenAI-compatible server with SmolLM2
(fixture `llama_server`), the embedded SmolLM2 in process, and a kill/resume run in a subprocess
(against the test-only fault injector in its `delay` mode, so the kill lands mid-batch)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from typing import Literal

import pytest
from pydantic import BaseModel

from somekit.annotate.client import get_llm
from somekit.annotate.contract import LLMRequest

EMOTIONS = Literal["positive", "angry", "sad", "surprise", "fear", "emotionless"]


class Vote(BaseModel):
    label: EMOTIONS
    reason: str


class Event(BaseModel):
    is_event: bool
    reason: str


def votes(n: int, prefix: str = "v") -> list[LLMRequest]:
    comments = ["太好看了，支持！", "气死我了，怎么能这样", "看哭了，好心疼", "天哪，真的假的？"]
    return [LLMRequest(key=f"{prefix}{i}", prompt_id="uea.vote@1", schema=Vote, max_tokens=48,
                       fields={"post": "今天北京下了第一场雪", "comment": comments[i % len(comments)]})
            for i in range(n)]


def test_structured_output_from_real_llama_server_and_zero_calls_on_rerun(ws, llama_server):
    before = llama_server.requests()
    llm = get_llm(ws, base_url=str(llama_server), concurrency=4)
    assert llm.backend == "openai" and llm.model == "smollm2"   # discovered from /v1/models
    requests = votes(2) + [LLMRequest(key="e0", prompt_id="red.filter@1", lang="en", schema=Event, max_tokens=48,
                                      fields={"location": "Beijing", "date": "2024-01-01",
                                              "posts": "A fire broke out at a market on Chaoyang Road."})]
    first = llm.run(requests, desc="llama.cpp")
    assert [r.key for r in first] == [r.key for r in requests]
    assert all(r.ok for r in first), [r.error for r in first]
    assert all(isinstance(r.value, Vote) for r in first[:2]) and isinstance(first[2].value, Event)
    for r in first:  # the raw text itself validates against the schema the server was given
        type(r.value).model_validate_json(r.raw)
        assert r.usage["completion_tokens"] > 0 and r.latency_s > 0
    made = llama_server.requests() - before
    assert made >= len(requests)

    second = get_llm(ws, base_url=str(llama_server)).run(requests)
    assert llama_server.requests() - before == made          # zero calls, counted at the server
    assert all(r.cached for r in second)
    assert [r.value for r in second] == [r.value for r in first]


def test_free_text_from_real_llama_server(ws, llama_server):
    llm = get_llm(ws, base_url=str(llama_server))
    [res] = llm.run([LLMRequest(key="cap", prompt_id="image.caption@1", lang="en", max_tokens=24,
                                fields={"context": "A cat sleeping on a red sofa."})])
    assert res.ok and isinstance(res.value, str) and res.value.strip()


@pytest.mark.llama_cpp
def test_embedded_backend_in_process(ws):
    llm = get_llm(ws)                                          # nothing configured: embedded SmolLM2
    assert llm.backend == "embedded" and "SmolLM2" in llm.model
    # a short English prompt: SmolLM2's tokenizer spends many tokens on Chinese, and CPU time here
    # is prompt evaluation
    requests = [LLMRequest(key="emb0", prompt_id="red.filter@1", lang="en", schema=Event, max_tokens=48,
                           fields={"location": "Paris", "date": "2024-05-01", "posts": "Huge May Day march downtown."})]
    results = llm.run(requests)
    assert all(r.ok for r in results), [r.error for r in results]
    assert isinstance(results[0].value, Event) and results[0].usage["prompt_tokens"] > 0
    again = get_llm(ws).run(requests)
    assert all(r.cached for r in again) and again[0].value == results[0].value


_CHILD = textwrap.dedent("""
    import sys
    from pydantic import BaseModel
    from somekit.annotate.client import get_llm
    from somekit.annotate.contract import LLMRequest
    from somekit.workspace import open_workspace

    class Score(BaseModel):
        accuracy: int
        reason: str

    ws = open_workspace(sys.argv[1])
    reqs = [LLMRequest(key=f"k{i}", prompt_id="judge.smq@1", lang="en", schema=Score,
                       fields={"question": f"FAULT=delay ID=k{i}", "reference": "r", "prediction": "p"})
            for i in range(int(sys.argv[3]))]
    results = get_llm(ws, base_url=sys.argv[2], concurrency=4).run(reqs)
    print(sum(r.ok for r in results))
""")


def _cached(ws) -> int:
    path = ws.cache / "llm.sqlite"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM completions").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_sigkill_midway_then_rerun_has_no_duplicate_and_no_loss(ws, fault_server, tmp_path):
    n = 40
    fault_server.delay_s = 0.1                  # 40 calls at concurrency 4: about 1 s of work
    script = tmp_path / "child.py"
    script.write_text(_CHILD)
    child = subprocess.Popen([sys.executable, str(script), str(ws.root), fault_server.url, str(n)],
                             cwd=os.getcwd(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while _cached(ws) < 8 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL, child.stderr.read().decode()[-2000:]
    done_before = _cached(ws)
    assert 8 <= done_before < n
    calls_before = fault_server.calls

    llm = get_llm(ws, base_url=fault_server.url, concurrency=4)
    reqs = [LLMRequest(key=f"k{i}", prompt_id="judge.smq@1", lang="en", schema=_score(),
                       fields={"question": f"FAULT=delay ID=k{i}", "reference": "r", "prediction": "p"})
            for i in range(n)]
    results = llm.run(reqs)
    assert [r.key for r in results] == [f"k{i}" for i in range(n)]
    assert all(r.ok for r in results)
    assert sum(r.cached for r in results) == done_before
    assert fault_server.calls - calls_before == n - done_before   # only the missing ones were asked
    with sqlite3.connect(ws.cache / "llm.sqlite") as db:
        keys = [k for (k,) in db.execute("SELECT key FROM completions")]
    assert len(keys) == len(set(keys)) == n                      # no duplicate, none lost
    assert all(fault_server.attempts[f"k{i}"] <= 2 for i in range(n))


def _score():
    class Score(BaseModel):
        accuracy: int
        reason: str
    return Score


def test_two_processes_share_the_cache_safely(ws, fault_server, tmp_path):
    """Two concurrent writers on cache/llm.sqlite (WAL): both finish, every row once."""
    n = 30
    fault_server.delay_s = 0.02
    script = tmp_path / "child.py"
    script.write_text(_CHILD)
    children = [subprocess.Popen([sys.executable, str(script), str(ws.root), fault_server.url, str(n)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outs = [c.communicate(timeout=120) for c in children]
    for c, (out, err) in zip(children, outs):
        assert c.returncode == 0, err.decode()[-2000:]
        assert out.decode().strip() == str(n)                 # every result ok in both
    with sqlite3.connect(ws.cache / "llm.sqlite") as db:
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT key) FROM completions").fetchone() == (n, n)
