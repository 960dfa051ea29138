"""The machine side of labelling: the LLM client and its backends, embeddings, the response
cache, voters, vote aggregation and label quality. Human review lives in review/."""
