"""No silent skips: tests that need a real component are marked, and under CI=true a skip of a
marked test is a failure that names the test and what was missing. Checked by running pytest on
real test files of this suite in a subprocess, with ../shared and the Label Studio venv pointed
at folders that do not exist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: One test that reads ../shared (via ced_dir) and one that needs the Label Studio server.
SHARED_TEST = "tests/test_ingest_ced.py::test_ced_acceptance_counts_match_independent_count"
LS_TEST = "tests/test_review.py::test_push_creates_one_project_per_task_with_predictions"


def _pytest(tmp_path: Path, ci: str | None, *targets: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update({"SOMEKIT_SHARED_DIR": str(tmp_path / "no-shared"), "SOMEKIT_LS_VENV": str(tmp_path / "no-lsvenv"),
                "PYTHONPATH": str(ROOT)})
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfEs", *targets],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def _collected(target: str) -> None:
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", target],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and target in out.stdout, f"{target} is gone; point this test at another one\n{out.stdout}"


def test_missing_shared_data_and_label_studio_fail_ci_naming_the_tests(tmp_path):
    for target in (SHARED_TEST, LS_TEST):
        _collected(target)
    ci = _pytest(tmp_path, "true", SHARED_TEST, LS_TEST)
    assert ci.returncode != 0, ci.stdout
    # A skip in a fixture fails the test's setup, which pytest reports as an error.
    assert "2 errors" in ci.stdout, ci.stdout[-3000:]
    for target, marker in ((SHARED_TEST, "shared_data"), (LS_TEST, "label_studio")):
        assert f"ERROR {target}" in ci.stdout, ci.stdout[-3000:]
        assert f"CI=true: {target} was skipped" in ci.stdout and marker in ci.stdout
    # counts per marker are printed at the end
    assert "tests per real component" in ci.stdout
    assert "shared_data   passed    0  failed    1" in ci.stdout and "label_studio  passed    0  failed    1" in ci.stdout

    local = _pytest(tmp_path, None, SHARED_TEST, LS_TEST)       # outside CI: skipped, with the reason
    assert local.returncode == 0 and "2 skipped" in local.stdout, local.stdout[-3000:]
    assert "under CI=true they fail" in local.stdout


def test_fixture_users_are_marked():
    """Collected items that use a component fixture carry its marker (so counts and CI see them)."""
    code = ("import pytest, sys\n"
            "class P:\n"
            "    def pytest_collection_finish(self, session):\n"
            "        for it in session.items:\n"
            "            print('MARKS', it.nodeid, sorted(m.name for m in it.iter_markers()))\n"
            "sys.exit(pytest.main(['--collect-only', '-q', '-p', 'no:cacheprovider', "
            f"'{SHARED_TEST}', '{LS_TEST}', 'tests/test_smq.py'], plugins=[P()]))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    marks = {line.split()[1]: line.split(" ", 2)[2] for line in out.stdout.splitlines() if line.startswith("MARKS")}
    assert "shared_data" in marks[SHARED_TEST] and "label_studio" in marks[LS_TEST]
    assert "llama_cpp" in marks["tests/test_smq.py::test_smq_drafts_with_llama_server"]
    assert "llama_cpp" not in marks["tests/test_smq.py::test_support_duplicates_types_and_balance"]


def test_every_shared_data_skip_is_behind_a_marked_fixture():
    """A fixture that skips when ../shared is absent must be listed in FIXTURE_MARKERS (or its
    tests marked), or CI=true would not turn its skip into a failure."""
    import re

    from tests.fixtures.markers import FIXTURE_MARKERS

    unmarked = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"def (\w+)\([^)]*\):\n((?:    .*\n|\n)*?)(?=\S)", text):
            name, body = m.group(1), m.group(2)
            if "pytest.skip(" in body and "shared" in body and name not in FIXTURE_MARKERS \
                    and "pytest.mark.shared_data" not in text:
                unmarked.append(f"{path.relative_to(ROOT)}::{name}")
    assert not unmarked, unmarked
