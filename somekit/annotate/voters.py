"""Voters for crowd-style labelling, registered by name and mixed freely.

A voter labels a batch of texts and returns one `Vote` per text (a label or None, and its raw
output). Two kinds exist:

- `llm`: one endpoint/model/prompt/seed/temperature; the LLM layer caches every call, so a killed
  run resumes from the cache.
- `embed`: similarity of the text's embedding to a few short prototype phrases per class
  (somekit.annotate.voters_phrases); each phrase set is a different voter. Text embeddings are
  checkpointed in chunks under cache/embeddings/, so a re-run after a kill only embeds what is left.

Specs are strings (`embed:zh-a`, `llm`, `llm:MODEL`) or dicts with the same fields, so a config
file or a run log can rebuild the exact voter.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from ..errors import ConfigError
from ..schemas.items import EMOTIONS
from ..schemas.provenance import Vote
from ..store.atomic import atomic_path
from .voters_phrases import PHRASE_SETS, label_aliases

CHUNK = 256


@dataclass
class VoteInput:
    key: str           # item key, unique in the batch
    text: str          # the text to label (a comment)
    context: str = ""  # what it reacts to (the post), for LLM voters


@dataclass
class VoterSpec:
    kind: str                                   # 'embed' or 'llm'
    phrases: str | None = None                  # embed: phrase-set name
    model: str | None = None                    # llm: model (None: the configured one)
    base_url: str | None = None                 # llm: endpoint (None: the configured ones)
    prompt: str = "uea.vote@1"                  # llm: registered prompt id
    seed: int | None = None
    temperature: float | None = None

    @property
    def name(self) -> str:
        if self.kind == "embed":
            return f"embed:{self.phrases}"
        parts = [f"llm:{self.model or 'default'}", self.prompt]
        if self.seed is not None:
            parts.append(f"s{self.seed}")
        if self.temperature is not None:
            parts.append(f"t{self.temperature:g}")
        return "@".join(parts)


def parse_spec(spec: str | dict[str, Any]) -> VoterSpec:
    """'embed:zh-a' | 'llm' | 'llm:MODEL' | {'kind': ..., ...} -> VoterSpec (validated)."""
    if isinstance(spec, dict):
        data = dict(spec)
        kind = data.pop("kind", None)
        try:
            out = VoterSpec(kind=kind, **data)
        except TypeError as exc:
            raise ConfigError(f"bad voter spec {spec!r}: {exc}") from None
    elif isinstance(spec, str):
        kind, _, rest = spec.partition(":")
        out = VoterSpec(kind=kind, phrases=rest or None) if kind == "embed" else VoterSpec(kind=kind, model=rest or None)
    else:
        raise ConfigError(f"bad voter spec {spec!r}")
    if out.kind not in ("embed", "llm"):
        raise ConfigError(f"voter kind must be 'embed' or 'llm', got {out.kind!r}")
    if out.kind == "embed" and out.phrases not in PHRASE_SETS:
        raise ConfigError(f"unknown phrase set {out.phrases!r}; choose from {', '.join(PHRASE_SETS)}")
    return out


def llm_configured(cfg: Any) -> bool:
    """An LLM endpoint is configured (flag/env/toml), so LLM voters are the default."""
    return bool(os.environ.get("SOMEKIT_LLM_BASE_URL") or getattr(cfg.llm, "base_url", None))


def default_specs(cfg: Any) -> list[VoterSpec]:
    """Three LLM votes (different seeds) with an endpoint, else three embedding phrase sets."""
    if llm_configured(cfg):
        return [VoterSpec(kind="llm", seed=s, temperature=0.7) for s in (1, 2, 3)]
    return [parse_spec(s) for s in ("embed:zh-a", "embed:zh-b", "embed:en-a")]


def parse_emotion(raw: str | None) -> str | None:
    """First emotion named in a free-text answer (English code or Chinese label), else None."""
    if not raw:
        return None
    text = raw.strip().lower()
    best: tuple[int, int, str] | None = None
    for alias, code in label_aliases().items():
        pos = text.find(alias.lower())
        if pos >= 0 and (best is None or (pos, -len(alias)) < (best[0], best[1])):
            best = (pos, -len(alias), code)
    return best[2] if best else None


# ---- embeddings with checkpoints ---------------------------------------------------------

def get_embedder_for(ws: Any, cfg: Any):
    """The LLM layer's embedder (cached in cache/llm.sqlite per text)."""
    from .embeddings import get_embedder

    return get_embedder(ws, cfg)


def embed_checkpointed(ws: Any, embedder: Any, texts: Sequence[str], kind: str = "query",
                       progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Embed in chunks so finished work survives a kill. An embedder with its own cache (the LLM
    layer's) keeps each chunk in cache/llm.sqlite; any other one gets a checkpoint file per chunk
    under cache/embeddings/ (keyed by model, kind and the chunk's texts)."""
    folder = ws.cache / "embeddings"
    own_cache = getattr(embedder, "cache", None) is not None
    parts: list[np.ndarray] = []
    model = getattr(embedder, "model", "embedder")
    for start in range(0, len(texts), CHUNK):
        chunk = list(texts[start:start + CHUNK])
        if own_cache:
            vecs = np.asarray(embedder.embed(chunk, kind=kind), dtype=np.float32)
        else:
            key = hashlib.sha256("\x1f".join([model, kind, *chunk]).encode("utf-8")).hexdigest()[:32]
            path = folder / f"{key}.npy"
            if path.exists():
                vecs = np.load(path)
            else:
                vecs = np.asarray(embedder.embed(chunk, kind=kind), dtype=np.float32)
                with atomic_path(path, suffix=".npy") as tmp:
                    with open(tmp, "wb") as fh:
                        np.save(fh, vecs)
        parts.append(vecs)
        if progress:
            progress(len(chunk))
    if not parts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.concatenate(parts, axis=0)


# ---- voters ------------------------------------------------------------------------------

@dataclass
class EmbeddingVoter:
    spec: VoterSpec
    embedder: Any
    labels: tuple[str, ...] = EMOTIONS
    _protos: tuple[np.ndarray, list[str]] | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.spec.name

    def _prototypes(self) -> tuple[np.ndarray, list[str]]:
        if self._protos is None:
            phrases = PHRASE_SETS[self.spec.phrases]
            owners = [lab for lab in self.labels for _ in phrases[lab]]
            vecs = np.asarray(self.embedder.embed([p for lab in self.labels for p in phrases[lab]], kind="query"))
            self._protos = (vecs, owners)
        return self._protos

    def vote_vectors(self, vectors: np.ndarray) -> list[Vote]:
        """Votes from precomputed text embeddings (shared by every embedding voter of a model)."""
        protos, owners = self._prototypes()
        sims = vectors @ protos.T
        votes = []
        for row in sims:
            per_label = {lab: float(max(row[i] for i, o in enumerate(owners) if o == lab)) for lab in self.labels}
            label = max(self.labels, key=lambda lab: per_label[lab])
            raw = " ".join(f"{lab}={per_label[lab]:.4f}" for lab in self.labels)
            votes.append(Vote(voter=self.name, value=label, raw=raw))
        return votes


@dataclass
class LLMVoter:
    spec: VoterSpec
    client: Any
    index: int = 0
    counters: Any = None          # optional LLMCounters-like object with add(results)

    @property
    def name(self) -> str:
        return self.spec.name

    def vote(self, inputs: Sequence[VoteInput], lang: str = "zh", desc: str = "") -> list[Vote]:
        from ..schemas.task_drafts import EmotionVoteOut
        from .contract import LLMRequest

        reqs = [LLMRequest(key=f"{x.key}|{self.name}", prompt_id=self.spec.prompt,
                           fields={"comment": x.text, "post": x.context}, schema=EmotionVoteOut,
                           lang=lang, vote=self.index, temperature=self.spec.temperature,
                           seed=self.spec.seed, max_tokens=96) for x in inputs]
        results = self.client.run(reqs, desc=desc or f"vote {self.name}")
        if self.counters is not None:
            self.counters.add(results)
        votes = []
        for res in results:
            # A reply that failed validation may still name a label in its raw text: use it,
            # keeping the raw output so reviewers can see what was parsed.
            said = res.value.label if res.ok and res.value is not None else res.raw
            label = parse_emotion(said)
            error = None if label else (res.error or "no emotion label in the answer")
            votes.append(Vote(voter=self.name, value=label, raw=res.raw, error=error))
        return votes


def make_llm_client(ws: Any, cfg: Any, spec: VoterSpec):
    """An LLM client for one voter: the configured one, with this voter's model/endpoint swapped in."""
    from .client import get_llm

    overrides: dict[str, Any] = {"model": spec.model, "base_url": spec.base_url}
    if spec.base_url:
        overrides["backend"] = "openai"
    return get_llm(ws, cfg, **overrides)
