"""Throughput of somekit's LLM client against bare AsyncOpenAI, same server, same run.

A tiny OpenAI-compatible server (a raw asyncio protocol in a child process, so it does not share
the client's event loop) answers every chat completion after a fixed 50 ms. 2,000 structured
requests at concurrency 64 go through (a) bare `AsyncOpenAI` + `asyncio.gather` under a
semaphore, (b) `get_llm(...).run()` with its cache, schema validation and retries, and (c) the
same batch again, fully cached. Each of (a) and (b) runs `--rounds` times, alternating, and the
best of each is kept (this machine is shared). Prints one JSON object on its last line.

    python bench/llm_client.py [--n 2000] [--concurrency 64] [--delay 0.05] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import socket
import sys
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel

REPLY = json.dumps({"accuracy": 4, "reason": "fine"})


# --- the tiny server ---------------------------------------------------------------------------
def _serve(port: int, delay: float, ready) -> None:
    body = json.dumps({
        "id": "c", "object": "chat.completion", "created": 0, "model": "bench",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": REPLY}}],
        "usage": {"prompt_tokens": 20, "completion_tokens": 8, "total_tokens": 28}}).encode()
    models = json.dumps({"object": "list", "data": [{"id": "bench", "object": "model"}]}).encode()

    def response(payload: bytes) -> bytes:
        return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
                b"Content-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload)

    ok, listing = response(body), response(models)

    class Proto(asyncio.Protocol):
        def connection_made(self, transport):
            self.t, self.buf = transport, b""

        def data_received(self, data):
            self.buf += data
            while True:
                end = self.buf.find(b"\r\n\r\n")
                if end < 0:
                    return
                head = self.buf[:end].lower()
                i = head.find(b"content-length:")
                length = int(head[i + 15:head.find(b"\r\n", i) if head.find(b"\r\n", i) > 0 else None]) if i >= 0 else 0
                if len(self.buf) < end + 4 + length:
                    return
                is_get = self.buf.startswith(b"GET")
                self.buf = self.buf[end + 4 + length:]
                if is_get:
                    self.t.write(listing)
                else:
                    loop.call_later(delay, self._reply)

        def _reply(self):
            if not self.t.is_closing():
                self.t.write(ok)

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(Proto, "127.0.0.1", port, backlog=1024))
    ready.set()
    try:
        loop.run_forever()
    finally:
        server.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the two clients ---------------------------------------------------------------------------
class Score(BaseModel):
    accuracy: int
    reason: str


def _requests(n: int):
    from somekit.annotate.contract import LLMRequest

    return [LLMRequest(key=f"q{i}", prompt_id="judge.smq@1", lang="en", schema=Score,
                       fields={"question": f"question number {i}?", "reference": "r", "prediction": "p"})
            for i in range(n)]


async def _bare_openai(base_url: str, requests, concurrency: int) -> tuple[float, int]:
    from openai import AsyncOpenAI

    from somekit.prompts import render

    client = AsyncOpenAI(base_url=base_url, api_key="bench", max_retries=0)
    schema = Score.model_json_schema()
    rf = {"type": "json_schema", "json_schema": {"name": "Score", "schema": schema, "strict": False}}
    sem = asyncio.Semaphore(concurrency)
    messages = [render(r.prompt_id, r.lang, **r.fields) for r in requests]

    async def one(m):
        async with sem:
            resp = await client.chat.completions.create(model="bench", messages=m, response_format=rf,
                                                        temperature=0.0, max_tokens=512)
            return Score.model_validate_json(resp.choices[0].message.content)

    t0 = time.perf_counter()
    out = await asyncio.gather(*(one(m) for m in messages), return_exceptions=True)
    wall = time.perf_counter() - t0
    await client.close()
    return wall, sum(isinstance(o, Score) for o in out)


def _somekit(base_url: str, requests, concurrency: int, ws_root: Path) -> tuple[float, int, object]:
    from somekit.annotate.client import get_llm
    from somekit.workspace import init_workspace

    ws = init_workspace(ws_root)
    llm = get_llm(ws, base_url=base_url, model="bench", concurrency=concurrency, progress=False)
    t0 = time.perf_counter()
    results = llm.run(requests)
    wall = time.perf_counter() - t0
    return wall, sum(r.ok for r in results), ws


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--delay", type=float, default=0.05)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()

    port = _free_port()
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=_serve, args=(port, args.delay, ready), daemon=True)
    server.start()
    ready.wait(10)
    base_url = f"http://127.0.0.1:{port}/v1"
    requests = _requests(args.n)
    bare, ours = [], []
    tmp = Path(tempfile.mkdtemp(prefix="somekit-bench-llm-"))
    try:
        for r in range(args.rounds):
            wall, ok = asyncio.run(_bare_openai(base_url, requests, args.concurrency))
            bare.append((args.n / wall, ok))
            wall, ok, ws = _somekit(base_url, requests, args.concurrency, tmp / f"ws{r}")
            ours.append((args.n / wall, ok))
            print(f"round {r}: bare AsyncOpenAI {bare[-1][0]:.0f} req/s, somekit {ours[-1][0]:.0f} req/s", file=sys.stderr)
        from somekit.annotate.client import get_llm

        llm = get_llm(ws, base_url=base_url, model="bench", concurrency=args.concurrency, progress=False)
        t0 = time.perf_counter()
        cached = llm.run(requests)
        cached_s = time.perf_counter() - t0
    finally:
        server.terminate()
    best_bare, best_ours = max(bare), max(ours)
    print(json.dumps({
        "n": args.n, "concurrency": args.concurrency, "server_delay_s": args.delay,
        "latency_bound_rps": round(args.concurrency / args.delay, 1),
        "bare_asyncopenai_rps": round(best_bare[0], 1), "somekit_rps": round(best_ours[0], 1),
        "ratio_somekit_vs_bare": round(best_ours[0] / best_bare[0], 3),
        "bare_rounds_rps": [round(b[0], 1) for b in bare], "somekit_rounds_rps": [round(o[0], 1) for o in ours],
        "bare_ok": best_bare[1], "somekit_ok": best_ours[1],
        "cached_rerun_s": round(cached_s, 3), "cached_rerun_all_hits": all(r.cached for r in cached),
    }))


if __name__ == "__main__":
    main()
