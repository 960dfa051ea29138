"""LLM client and backends, embeddings, voting/aggregation, Label Studio sync."""
