"""Voters for crowd-style labelling, registered by name and mixed freely.

A voter labels a batch of texts and returns one `Vote` per text (a label or None, its raw output
and its method and version). Kinds, chosen so that the offline default's errors are independent:

- `embed:SET`: similarity of the text's embedding to a few short prototype phrases per class
  (somekit.annotate.voters_phrases). Text embeddings are checkpointed, so a re-run after a kill
  only embeds what is left.
- `lexicon:dutir`: emotion words of the DUTIR lexicon (voter_lexicon.py).
- `head:seed` / `head:builtin`: logistic regression over the embeddings, trained on the user's
  seed labels or on our own phrases (voter_head.py).
- `llm`: one endpoint/model/prompt/seed/temperature; the vote schema's label is an enum, so a
  server with structured output can only answer a valid label, and the LLM layer caches every
  call. Answers that are not valid JSON go through the one label parser shared with `eval`.

Specs are strings (`embed:zh-a`, `lexicon:dutir`, `head:seed`, `llm`, `llm:MODEL`) or dicts with
the same fields, so a config file or a run log can rebuild the exact voter.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import orjson

from ..errors import ConfigError
from ..schemas.items import EMOTIONS
from ..schemas.provenance import Vote
from ..store.atomic import atomic_path
from .voters_phrases import PHRASE_SETS

CHUNK = 256
PROTOTYPES_VERSION = 1
KINDS = ("embed", "lexicon", "head", "llm")
#: Offline default: three methods that fail differently (bench/uea_quality.py measures them).
OFFLINE_DEFAULT = ("embed:zh-a", "lexicon:dutir")


@dataclass
class VoteInput:
    key: str           # item key, unique in the batch
    text: str          # the text to label (a comment)
    context: str = ""  # what it reacts to (the post), for LLM voters


@dataclass
class VoterSpec:
    kind: str                                   # 'embed', 'lexicon', 'head' or 'llm'
    phrases: str | None = None                  # embed: phrase-set name; lexicon: 'dutir'; head: 'seed' | 'builtin'
    model: str | None = None                    # llm: model (None: the configured one)
    base_url: str | None = None                 # llm: endpoint (None: the configured ones)
    prompt: str = "uea.vote@1"                  # llm: registered prompt id
    seed: int | None = None
    temperature: float | None = None

    @property
    def name(self) -> str:
        if self.kind in ("embed", "lexicon", "head"):
            return f"{self.kind}:{self.phrases}"
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
        out = VoterSpec(kind=kind, model=rest or None) if kind == "llm" else VoterSpec(kind=kind, phrases=rest or None)
    else:
        raise ConfigError(f"bad voter spec {spec!r}")
    if out.kind not in KINDS:
        raise ConfigError(f"voter kind must be one of {', '.join(KINDS)}, got {out.kind!r}")
    choices = {"embed": tuple(PHRASE_SETS), "lexicon": ("dutir",), "head": ("seed", "builtin")}.get(out.kind)
    if choices and out.phrases not in choices:
        raise ConfigError(f"unknown {out.kind} voter {out.phrases!r}; choose from {', '.join(choices)}")
    return out


def llm_configured(cfg: Any) -> bool:
    """An LLM endpoint is configured (flag/env/toml), so LLM voters are the default."""
    return bool(os.environ.get("SOMEKIT_LLM_BASE_URL") or getattr(cfg.llm, "base_url", None))


def default_specs(cfg: Any, seeded: bool = False) -> list[VoterSpec]:
    """Three LLM votes (different seeds) with an endpoint; else prototypes + lexicon + a head
    trained on the seed labels when there are some (on our own phrases when not)."""
    if llm_configured(cfg):
        return [VoterSpec(kind="llm", seed=s, temperature=0.7) for s in (1, 2, 3)]
    return [parse_spec(s) for s in (*OFFLINE_DEFAULT, "head:seed" if seeded else "head:builtin")]


def parse_vote(raw: str | None) -> str | None:
    """The label of an LLM answer that did not validate against the vote schema.

    A JSON object's `label` field is read first (a `reason` that names another emotion must not
    decide); anything else goes through the one label parser shared with `eval`, which is
    negation-aware ("not angry, just sad" is sad)."""
    from ..answers.extract import extract_label

    if not raw or not raw.strip():
        return None
    text = raw.strip()
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        data = None
    if isinstance(data, dict) and data.get("label") is not None:
        text = str(data["label"])
    return extract_label("uea", text).label


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

    @property
    def method(self) -> str:
        model = getattr(self.embedder, "model", "embedder")
        return f"embed:prototypes@{PROTOTYPES_VERSION} (max cosine to phrase set {self.spec.phrases} over {model})"

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
            votes.append(Vote(voter=self.name, value=label, raw=raw, method=self.method))
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
                           seed=self.spec.seed, max_tokens=128) for x in inputs]
        results = self.client.run(reqs, desc=desc or f"vote {self.name}")
        if self.counters is not None:
            self.counters.add(results)
        method = f"llm:{getattr(self.client, 'model', '') or self.spec.model or 'default'} {self.spec.prompt}"
        votes = []
        for res in results:
            if res.ok and res.value is not None:
                label, error = res.value.label, None          # schema-valid: one of the six codes
            else:
                # No structured output (or it failed): the raw text may still name a label.
                label = parse_vote(res.raw)
                error = None if label else (res.error or "no emotion label in the answer")
            votes.append(Vote(voter=self.name, value=label, raw=res.raw, error=error, method=method))
        return votes


def make_llm_client(ws: Any, cfg: Any, spec: VoterSpec):
    """An LLM client for one voter: the configured one, with this voter's model/endpoint swapped in."""
    from .client import get_llm

    overrides: dict[str, Any] = {"model": spec.model, "base_url": spec.base_url}
    if spec.base_url:
        overrides["backend"] = "openai"
    return get_llm(ws, cfg, **overrides)
