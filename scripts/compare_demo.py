"""Run `somekit demo` on two checkouts and compare their frozen files byte for byte.

    python scripts/compare_demo.py REF          # REF: a git ref (e.g. main~3); compared with the working tree

Used to show that a change which should not change behaviour (a re-layout, a refactor) leaves the
demo's frozen version (split Parquet files, stats.json, MANIFEST.json) identical. Prints one JSON
object: files compared, identical, and the differing paths (MANIFEST fields that name software
versions or paths are compared with those fields removed)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VOLATILE = {"environment", "created_at", "somekit_version", "workspace"}   # MANIFEST fields that name the run


def _run_demo(src: Path, out: Path, keep: Path) -> Path:
    """The demo of checkout `src`, always in the folder `out` (the corpus records absolute media
    paths, so two runs compare only from the same folder); its frozen version moved to `keep`."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, "-m", "somekit.cli", "demo", str(out)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    shutil.move(str(out / "frozen" / "demo"), keep)
    return keep


def _digest(path: Path) -> str:
    if path.name == "MANIFEST.json":
        data = json.loads(path.read_text())
        for key in VOLATILE:
            data.pop(key, None)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(ref: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base), ref], check=True,
                       stdout=subprocess.DEVNULL)
        try:
            a = _run_demo(base, Path(tmp) / "demo", Path(tmp) / "frozen-ref")
            b = _run_demo(ROOT, Path(tmp) / "demo", Path(tmp) / "frozen-tree")
            files = sorted({p.relative_to(a) for p in a.rglob("*") if p.is_file()} |
                           {p.relative_to(b) for p in b.rglob("*") if p.is_file()})
            differ = [str(f) for f in files if not (a / f).exists() or not (b / f).exists()
                      or _digest(a / f) != _digest(b / f)]
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
    print(json.dumps({"ref": ref, "files": len(files), "identical": len(files) - len(differ), "differ": differ}))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "HEAD")
