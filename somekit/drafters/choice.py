"""Which drafter a drafted task (smq, red, ses) runs: the LLM, or the offline one grounded in the data.

`drafter = "auto"` (the default) picks the offline drafter when the configured LLM is the
embedded one: SmolLM2-135M runs offline, but its QA pairs and event summaries almost never pass
their checks (docs/architecture.md, "Facts about the outside world"), so an embedded-model build would be empty or near empty. Any configured
endpoint (flag, environment or somekit.toml) runs the LLM drafter. Both are named in stats.json
and in every item's provenance.
"""

from __future__ import annotations

from typing import Any

from ..schemas.tasks import task_spec



def choose_drafter(task: str, opts: Any, cfg: Any, llm: Any = None) -> str:
    """'llm' or the task's offline drafter, from the typed task option `drafter` (auto | llm |
    the task's offline drafter: the options model admits no other value)."""
    want = opts.drafter
    if want != "auto":
        return want
    if llm is not None:
        return "llm"                # a client handed in by the caller is meant to be used
    from ..annotate.settings import resolve_llm_settings

    return task_spec(task).offline_drafter if resolve_llm_settings(cfg).backend == "embedded" else "llm"
