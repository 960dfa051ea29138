"""Offline drafters of the drafted tasks (smq, red, ses): drafts grounded in the data, no LLM, and the choice between them and the LLM."""
