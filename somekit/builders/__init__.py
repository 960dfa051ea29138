"""Ingest adapters, enrichment, task builders, sampling, splits, export."""
