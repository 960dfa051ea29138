"""Workspace storage: atomic files, Parquet tables, DuckDB queries, item files."""
