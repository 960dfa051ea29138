"""Prompt registry: every documented id exists, renders in both languages with its fields, and
fails clearly when a field is missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from somekit.prompts import PromptError, get_prompt, list_prompts, render

EXPECTED = {
    "uea.vote@1", "smq.draft@1", "red.filter@1", "red.summary@1", "ses.summary@1", "image.caption@1",
    "image.ocr@1", "extract.ubp@1", "extract.ucs@1", "extract.mcr@1", "extract.uea@1", "extract.mid@1",
    "judge.red@1", "judge.ses@1", "judge.smq@1",
}


def test_every_prompt_of_the_issue_is_registered_and_documented():
    assert EXPECTED <= set(list_prompts())
    readme = (Path(__file__).resolve().parents[1] / "somekit" / "prompts" / "README.md").read_text(encoding="utf-8")
    for pid in list_prompts():
        assert f"`{pid}`" in readme, f"{pid} missing from somekit/prompts/README.md"


@pytest.mark.parametrize("pid", sorted(EXPECTED))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_renders_every_field_in_both_languages(pid, lang):
    prompt = get_prompt(pid)
    values = {f: f"<<{f.upper()}-VALUE>>" for f in prompt.fields}
    messages = render(pid, lang, **values)
    assert messages[-1]["role"] == "user"
    text = "\n".join(m["content"] for m in messages)
    for f in prompt.fields:
        assert f"<<{f.upper()}-VALUE>>" in text
    assert not re.search(r"\{[a-z_]+\}", text), "an unfilled placeholder is left"
    assert prompt.sha256 and prompt.version == 1


def test_values_are_not_re_substituted_and_json_braces_survive():
    messages = render("judge.smq@1", "en", question="what is {reference}?", reference="R", prediction="P")
    assert "what is {reference}?" in messages[-1]["content"]
    assert '{"accuracy": <0-5>' in messages[-1]["content"]


def test_missing_field_and_unknown_id_fail_clearly():
    with pytest.raises(PromptError, match="missing field"):
        render("uea.vote@1", "zh", post="only the post")
    with pytest.raises(PromptError, match="unknown prompt id"):
        get_prompt("nope@1")
    with pytest.raises(PromptError, match="variant"):
        render("uea.vote@1", "fr", post="p", comment="c")


def test_bare_name_resolves_to_latest_version_and_images_become_parts():
    assert get_prompt("uea.vote").id == "uea.vote@1"
    messages = render("image.caption@1", "en", images=["data:image/png;base64,AAAA"], context="")
    parts = messages[-1]["content"]
    assert parts[0] == {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    assert parts[-1]["type"] == "text"
