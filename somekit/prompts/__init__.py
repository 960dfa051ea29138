"""Versioned prompt templates (one file each) and their loader.

    from somekit.prompts import get_prompt, render, list_prompts
    messages = render("uea.vote@1", "zh", post="...", comment="...")
"""

from .loader import Prompt, PromptError, get_prompt, list_prompts, render

__all__ = ["Prompt", "PromptError", "get_prompt", "list_prompts", "render"]
