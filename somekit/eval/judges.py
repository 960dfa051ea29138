"""Which LLM judges smq/ses/red, and which one reads answers the rules cannot.

A judge must be named: a judged score is only as good as its judge, and the embedded 135M model
gave 0 to SoMe's own gold answers. Named means `--judge MODEL` (at the endpoint of
--llm-base-url / SOMEKIT_LLM_BASE_URL / [llm] base_url), an endpoint set in one of those places,
or SOMEKIT_JUDGE. The embedded model judges only on an explicit `--judge embedded`, with a warning.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import EvalError
from .llm import LazyLLM, endpoint_configured

EMBEDDED = "embedded"
WARNING = ("warning: judging with the embedded offline model (SmolLM2-135M); its scores are not "
           "comparable to a real judge's and are for smoke tests only")


def resolve_judge(ws: Any = None, judge: str | None = None, base_url: str | None = None,
                  model: str | None = None) -> tuple[LazyLLM | None, str | None]:
    """(client, name) of the named judge, or (None, None) when none is named."""
    judge = judge or os.environ.get("SOMEKIT_JUDGE") or None
    if judge == EMBEDDED:
        return LazyLLM(ws, backend="embedded"), EMBEDDED
    if judge:
        if not endpoint_configured(base_url, ws):
            raise EvalError(f"--judge {judge}: no endpoint to reach it (set --llm-base-url, SOMEKIT_LLM_BASE_URL "
                            "or [llm] base_url), or use --judge embedded")
        return LazyLLM(ws, base_url=base_url, model=judge, backend="openai"), judge
    if endpoint_configured(base_url, ws):
        client = LazyLLM(ws, base_url=base_url, model=model, backend="openai")
        return client, model or os.environ.get("SOMEKIT_LLM_MODEL") or (ws.config().llm.model if ws is not None else None)
    return None, None
