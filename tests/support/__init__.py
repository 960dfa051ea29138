"""Helpers for tests and bench scripts (synthetic Jetstream events, scorers for the PII and enrichment benchmarks); not part of the package."""
