"""Prompt registry: one TOML file per prompt id in templates/, rendered with named fields.

A template file `<name>@<version>.toml` holds `description`, `fields` (the names a caller must
pass), an optional `output` note (the JSON shape the caller's schema should have) and one table
per language (`[zh]`, `[en]`) with `system` and `user` strings. Placeholders are `{field}`; any
other brace (JSON examples in the text) is left alone, so templates need no escaping.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..errors import SomekitError


class PromptError(SomekitError):
    """Unknown prompt id, missing language variant or missing field."""


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Prompt:
    id: str                                   # 'uea.vote@1'
    name: str                                 # 'uea.vote'
    version: int
    description: str
    fields: tuple[str, ...]
    output: str
    variants: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> {system, user}
    sha256: str = ""                          # of the template file, recorded in provenance

    def render(self, lang: str = "zh", images: list[str] | None = None, **values: Any) -> list[dict[str, Any]]:
        """Chat messages for this prompt. `images` (URLs or data: URLs) become image parts of
        the user message, for vision models."""
        variant = self.variants.get(lang)
        if variant is None:
            raise PromptError(f"prompt {self.id} has no '{lang}' variant (has {sorted(self.variants)})")
        missing = [f for f in self.fields if f not in values]
        if missing:
            raise PromptError(f"prompt {self.id}: missing field(s) {missing}")
        messages: list[dict[str, Any]] = []
        if variant.get("system"):
            messages.append({"role": "system", "content": _fill(variant["system"], values)})
        user = _fill(variant["user"], values)
        if images:
            parts: list[dict[str, Any]] = [{"type": "image_url", "image_url": {"url": u}} for u in images]
            parts.append({"type": "text", "text": user})
            messages.append({"role": "user", "content": parts})
        else:
            messages.append({"role": "user", "content": user})
        return messages


def _fill(text: str, values: dict[str, Any]) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        return str(values[name]) if name in values else m.group(0)

    return _PLACEHOLDER.sub(sub, text).strip()


def _parse(file_name: str, raw: bytes) -> Prompt:
    stem = file_name.removesuffix(".toml")
    name, _, version = stem.partition("@")
    if not version.isdigit():
        raise PromptError(f"prompt file {file_name}: name must be <name>@<version>.toml")
    data = tomllib.loads(raw.decode("utf-8"))
    variants = {lang: dict(data[lang]) for lang in LANGS if lang in data}
    if not variants:
        raise PromptError(f"prompt file {file_name}: no [zh] or [en] table")
    fields = tuple(data.get("fields", []))
    for lang, v in variants.items():
        used = set(_PLACEHOLDER.findall(v.get("system", "") + v.get("user", "")))
        unknown = used - set(fields) - set(data.get("optional_fields", []))
        if unknown:
            raise PromptError(f"prompt file {file_name} [{lang}]: placeholders {sorted(unknown)} not declared in fields")
    return Prompt(
        id=stem, name=name, version=int(version), description=data.get("description", ""),
        fields=fields, output=data.get("output", ""), variants=variants,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


@functools.cache
def _registry() -> dict[str, Prompt]:
    out: dict[str, Prompt] = {}
    root = resources.files(__package__) / "templates"
    for entry in root.iterdir():
        if entry.name.endswith(".toml"):
            prompt = _parse(entry.name, entry.read_bytes())
            out[prompt.id] = prompt
    return out


def list_prompts() -> list[str]:
    """Every registered prompt id, sorted."""
    return sorted(_registry())


def get_prompt(prompt_id: str) -> Prompt:
    """The prompt registered under `prompt_id` ('uea.vote@1'); a bare name gets its latest version."""
    reg = _registry()
    if prompt_id in reg:
        return reg[prompt_id]
    versions = [p for p in reg.values() if p.name == prompt_id]
    if versions:
        return max(versions, key=lambda p: p.version)
    raise PromptError(f"unknown prompt id {prompt_id!r}; known: {', '.join(sorted(reg))}")


def render(prompt_id: str, lang: str = "zh", images: list[str] | None = None, **fields: Any) -> list[dict[str, Any]]:
    """Render a registered prompt into chat messages."""
    return get_prompt(prompt_id).render(lang, images=images, **fields)
