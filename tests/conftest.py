"""Shared pytest setup. Fixture modules live in tests/fixtures/, one per real service or data set."""

from __future__ import annotations

import importlib.util

# Each fixture module is optional while its area is being built; list the ones that exist.
_FIXTURE_MODULES = ["tests.fixtures.data", "tests.fixtures.llm_server", "tests.fixtures.label_studio",
                    "tests.fixtures.schema_server"]
pytest_plugins = [m for m in _FIXTURE_MODULES if importlib.util.find_spec(m) is not None]
