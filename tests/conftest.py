"""Shared pytest setup. Fixture modules live in tests/fixtures/, one per real service or data set;
tests/fixtures/markers.py turns a skipped real-component test into a failure under CI=true."""

from __future__ import annotations

pytest_plugins = ["tests.fixtures.data", "tests.fixtures.llm_server", "tests.fixtures.label_studio",
                  "tests.fixtures.schema_server", "tests.fixtures.markers", "tests.fixtures.browser",
                  "tests.fixtures.ray_cluster"]
