"""Task builders, one module per task (each registers itself with `register_builder`)."""
