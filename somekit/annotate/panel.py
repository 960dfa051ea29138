"""A panel of voters run over a batch of texts: the votes, each voter's method, and the panel's
quality measured against the user's seed labels when there are some.

Shared by the UEA builder and bench/uea_quality.py so that the bench measures exactly what a build
runs. Embeddings (texts and seed texts) are computed once per panel and checkpointed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from ..schemas.items import EMOTIONS
from ..schemas.provenance import Vote
from .label_quality import score
from .voter_head import HeadVoter, builtin_examples
from .voter_lexicon import LexiconVoter, lexicon_label
from .voters import EmbeddingVoter, LLMVoter, VoteInput, VoterSpec, embed_checkpointed, make_llm_client
from .voting import majority


@dataclass
class PanelResult:
    votes: list[list[Vote]]                       # per text, one vote per voter (voter order)
    methods: dict[str, str]                       # voter name -> method and version
    models: dict[str, str]                        # voter name -> model behind it
    trust: list[int]                              # voter indexes, most trusted first (tie suggestions)
    head_cv: dict[str, Any] = field(default_factory=dict)     # seed head's cross-validation figures
    measured: dict[str, Any] = field(default_factory=dict)    # panel and voters scored on seed labels


def _normalised(v: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms == 0, 1.0, norms)


def run_panel(ws: Any, cfg: Any, specs: Sequence[VoterSpec], inputs: Sequence[VoteInput], lang: str,
              seeds: Sequence[tuple[str, str]] | None = None, counters: Any = None, embedder: Any = None,
              progress: Callable[[str, int], Any] | None = None, cv_seed: int = 0, measure: bool = True) -> PanelResult:
    """Run every voter on `inputs`; `seeds` (text, label) train `head:seed` and, with `measure`,
    score each offline voter and the whole panel on them. `progress(desc, total)` makes the bar
    (an executors.progress.BatchProgress) for each embedding pass."""
    texts = [x.text for x in inputs]
    needs_vectors = any(s.kind in ("embed", "head") for s in specs)
    vectors = seed_vectors = None
    if needs_vectors:
        if embedder is None:
            from .voters import get_embedder_for
            embedder = get_embedder_for(ws, cfg)
        vectors = _normalised(_embed(ws, embedder, texts, progress, "uea: embedding comments"))
        if seeds:
            seed_vectors = _normalised(_embed(ws, embedder, [t for t, _ in seeds], progress, "uea: embedding seed labels"))
    model_name = getattr(embedder, "model", "embedder") if embedder is not None else ""
    per_voter: list[list[Vote]] = []
    methods: dict[str, str] = {}
    models: dict[str, str] = {}
    offline_on_seeds: dict[str, list[str]] = {}
    head_cv: dict[str, Any] = {}
    clients: dict[tuple[Any, Any], Any] = {}
    for index, spec in enumerate(specs):
        if spec.kind == "embed":
            voter = EmbeddingVoter(spec, embedder)
            per_voter.append(voter.vote_vectors(vectors) if texts else [])
            methods[voter.name], models[voter.name] = voter.method, model_name
            if seed_vectors is not None and measure:
                offline_on_seeds[voter.name] = [v.value for v in voter.vote_vectors(seed_vectors)]
        elif spec.kind == "lexicon":
            voter = LexiconVoter(spec.name)
            per_voter.append(voter.vote(texts))
            methods[voter.name], models[voter.name] = voter.method, "dutir"
            if seeds and measure:
                offline_on_seeds[voter.name] = [lexicon_label(t)[0] for t, _ in seeds]
        elif spec.kind == "head":
            if spec.phrases == "seed" and not seeds:
                from ..errors import ConfigError
                raise ConfigError("voter head:seed needs seed labels: set [tasks.uea] options seed_labels = \"file.jsonl\"")
            if spec.phrases == "seed":
                voter = HeadVoter(spec.name, "seed", list(seeds), model_name).fit(seed_vectors, cv_seed=cv_seed,
                                                                                  cross_validated=measure)
                head_cv = dict(voter.cv)
                if voter.oof:
                    offline_on_seeds[voter.name] = voter.oof    # out-of-fold: never scored on its training texts
            else:
                examples = builtin_examples()
                ex_vectors = _normalised(np.asarray(embedder.embed([t for t, _ in examples], kind="query"), dtype=np.float32))
                voter = HeadVoter(spec.name, "builtin", examples, model_name).fit(ex_vectors, cross_validated=False)
                if seed_vectors is not None and measure:
                    offline_on_seeds[voter.name] = voter.predict(seed_vectors)
            per_voter.append(voter.vote_vectors(vectors))
            methods[voter.name], models[voter.name] = voter.method, model_name
        else:
            key = (spec.model, spec.base_url)
            if key not in clients:
                clients[key] = make_llm_client(ws, cfg, spec)
            voter = LLMVoter(spec, clients[key], index=index, counters=counters)
            per_voter.append(voter.vote(list(inputs), lang=lang, desc=f"uea: {voter.name}"))
            models[voter.name] = getattr(clients[key], "model", spec.model or "")
            methods[voter.name] = f"llm:{models[voter.name]} {spec.prompt}"
    trust = _trust_order(specs)
    votes = [list(v) for v in zip(*per_voter)] if per_voter and texts else [[] for _ in texts]
    measured = _measure(specs, seeds, offline_on_seeds, trust) if seeds and measure else {}
    return PanelResult(votes, methods, models, trust, head_cv, measured)


def _embed(ws, embedder, texts, progress, desc) -> np.ndarray:
    if progress is None:
        return embed_checkpointed(ws, embedder, texts, kind="query")
    with progress(desc, len(texts)) as bar:
        return embed_checkpointed(ws, embedder, texts, kind="query", progress=bar.advance)


def _trust_order(specs: Sequence[VoterSpec]) -> list[int]:
    """Whose vote suggests a tie's label: the seed-trained head (measured on this run's seeds),
    then the built-in head (the best offline voter alone in bench/uea_quality.py), then the
    voters in panel order."""
    rank = {"seed": 0, "builtin": 1}
    heads = sorted((i for i, s in enumerate(specs) if s.kind == "head"), key=lambda i: rank.get(specs[i].phrases, 2))
    return heads + [i for i in range(len(specs)) if i not in heads]


def _measure(specs, seeds, on_seeds: dict[str, list[str]], trust: list[int]) -> dict[str, Any]:
    """Each offline voter and the whole panel scored on the seed labels (heads out-of-fold)."""
    gold = [lab for _, lab in seeds]
    out: dict[str, Any] = {"voters": {name: _brief(score(gold, pred, EMOTIONS)) for name, pred in on_seeds.items()}}
    if len(on_seeds) != len(specs):
        out["how"] = "offline voters only (LLM voters are not run on the seed labels)"
        return out
    names = [s.name for s in specs]
    labels, shipped = [], []
    for i in range(len(gold)):
        agg = majority([on_seeds[n][i] for n in names], order=EMOTIONS, trust=trust)
        labels.append(agg.label)
        shipped.append(agg.majority)
    panel = score(gold, labels, EMOTIONS)
    kept = [i for i, ok in enumerate(shipped) if ok]
    panel["majority_share"] = round(len(kept) / len(gold), 4) if gold else None
    panel["majority_accuracy"] = score([gold[i] for i in kept], [labels[i] for i in kept], EMOTIONS)["accuracy"] if kept else None
    out["panel"] = panel
    out["how"] = "seed head cross-validated (out-of-fold); ties scored by their suggested label"
    return out


def _brief(s: dict[str, Any]) -> dict[str, Any]:
    return {"n": s["n"], "accuracy": s["accuracy"], "macro_f1": s["macro_f1"],
            "recall": {c: v["recall"] for c, v in s["per_class"].items()}}
