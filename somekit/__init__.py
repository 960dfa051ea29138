"""somekit: build benchmark datasets for LLM-based social-media agents."""

__version__ = "0.1.0"
