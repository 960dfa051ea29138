"""Write somekit/answers/verdict_examples.jsonl, the offline fallback's training examples, from the
label parser's tuning corpus (tests/fixtures/extraction: the .txt corpus and the agent-style answers
of agent_styles.jsonl) and the held-out batches the rules were since tuned on
(bench/data/extraction_heldout_{a..i}.jsonl; G since round 5, H since round 6, I since round 7). A batch's extra
fields (H's "gold_as_written" and "relabel", kept where its gold was corrected) are ignored: "gold" is
the label. A batch added later (J, ...) is not listed here and
stays out: bench/extraction.py reads it as answers the fallback never saw, and measures the batches
listed here by leaving each out of training in turn.
tests/test_eval_fallback.py checks that the file matches its sources.

    python scripts/build_verdict_examples.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from somekit.answers.semantic import NONE  # noqa: E402
from tests.fixtures.extraction import load_corpus  # noqa: E402

#: Batches the rules were tuned on (named, not globbed: a new batch is held out until someone decides
#: to tune on it).
TUNING_BATCHES = tuple(ROOT / "bench" / "data" / f"extraction_heldout_{name}.jsonl" for name in "abcdefghi")
#: Answers written in agent styles for round 4 (tests/test_verdict_agent_styles.py), all six tasks.
AGENT_STYLES = ROOT / "tests" / "fixtures" / "extraction" / "agent_styles.jsonl"
OUT = ROOT / "somekit" / "answers" / "verdict_examples.jsonl"


def examples() -> list[dict]:
    # label "none": an answer that gives no verdict (a refusal, a tool call, a description): the
    # fallback learns what those look like, so it abstains on them instead of guessing
    rows = [{"task": a.task, "label": a.label or NONE, "text": a.text, "source": a.source} for a in load_corpus()]
    for batch in (AGENT_STYLES, *TUNING_BATCHES):
        for number, line in enumerate(batch.read_text(encoding="utf-8").splitlines(), 1):
            row = json.loads(line) if line.strip() else None
            if row:
                rows.append({"task": row["task"], "label": row.get("gold") or NONE, "text": row["answer"],
                             "source": f"{batch.name}:{number}"})
    return rows


def render() -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in examples())


def main() -> None:
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(render(), encoding="utf-8")
    os.replace(tmp, OUT)
    print(f"{OUT.relative_to(ROOT)}: {len(examples())} examples")


if __name__ == "__main__":
    main()
