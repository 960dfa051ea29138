"""Generate the configuration reference (docs/configuration.md) from the pydantic config model,
so the documentation cannot drift from what somekit.toml actually accepts (a test compares)."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .schemas.config import Config
from .schemas.tasks import TASKS

HEADER = """\
# somekit.toml reference

Generated from `somekit/schemas/config.py` by `python -m somekit.config_reference > docs/configuration.md`;
a test fails when this file and the model disagree. Secrets (API keys, tokens) are never read from
this file: they come from the environment (`SOMEKIT_LLM_API_KEY` or `OPENAI_API_KEY`,
`SOMEKIT_LS_TOKEN`, `HF_TOKEN`). Settings resolve as: command-line flag > environment > this file >
embedded defaults.
"""


def _type_name(annotation: Any) -> str:
    text = repr(annotation) if not isinstance(annotation, type) else annotation.__name__
    return text.replace("typing.", "").replace("somekit.schemas.config.", "").replace("somekit.schemas.task_options.", "")


def _default(field) -> str:
    if field.default is not PydanticUndefined:
        return repr(field.default).replace("'", '"')
    if field.default_factory is not None:
        value = field.default_factory()
        if isinstance(value, BaseModel):
            return "(section)"
        return repr(value).replace("'", '"')
    return "(required)"


def _section_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _section_model(arg)
        if found:
            return found
    return None


def _rows(model: type[BaseModel]) -> list[str]:
    rows = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    for name, field in model.model_fields.items():
        if _section_model(field.annotation) and field.default_factory is not None:
            continue
        desc = (field.description or "").replace("|", "\\|")
        rows.append(f"| `{name}` | `{_type_name(field.annotation)}` | `{_default(field)}` | {desc} |")
    return rows


def config_reference() -> str:
    out = [HEADER, "## top level", "", *_rows(Config), ""]
    for name, field in Config.model_fields.items():
        sub = _section_model(field.annotation)
        if not sub:
            continue
        origin = typing.get_origin(field.annotation)
        if origin is list:
            title = f"## `[[{name}]]`"
        elif origin is dict:
            title = f"## `[{name}.<code>]`"
        else:
            title = f"## `[{name}]`"
        doc = (sub.__doc__ or "").strip()
        out += [title, "", field.description or doc, "", *_rows(sub), ""]
    out += ["## Task options", "",
            "The `options` table of `[tasks.<code>]` is typed per task; an unknown key is an error that names "
            "the nearest valid one. `n` (and `--n`) counts something different per task, stated here.", ""]
    for task, model in ((code, spec.options) for code, spec in TASKS.items()):
        out += [f"### `[tasks.{task}.options]`", "", (model.__doc__ or "").strip(), "",
                f"`n` / `--n`: {model.N_MEANING}.", "", *_rows(model), ""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(config_reference(), end="")
