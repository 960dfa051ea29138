"""Typed options of each task builder: the `options` table under `[tasks.<code>]` in somekit.toml.

One pydantic model per task. Unknown keys are an error that names the nearest valid key, so a typo
(`per_usr = 2`) never silently falls back to a default. `N_MEANING` states what `--n` / `n` counts
for that task (it differs by task on purpose: per label, per action, in total...), and `--help`
and the configuration reference print it.
"""

from __future__ import annotations

import difflib
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# One sentinel instead of a magic number in every builder: 48 random draws per anchor find a valid
# negative for all but pathological anchors (a user who touched nearly every post of a band).
DEFAULT_TRIES = 48


class TaskOptions(BaseModel):
    """Options shared by every task model; subclasses add their own."""

    model_config = ConfigDict(extra="forbid")
    N_MEANING: ClassVar[str] = "items"

    @model_validator(mode="before")
    @classmethod
    def _name_the_nearest_key(cls, data: Any) -> Any:
        # pydantic's own message for extra="forbid" lists no alternatives; name the closest one.
        if isinstance(data, dict):
            valid = list(cls.model_fields)
            for key in data:
                if key not in valid:
                    near = difflib.get_close_matches(str(key), valid, n=1, cutoff=0.5)
                    hint = f" (did you mean '{near[0]}'?)" if near else f" (valid keys: {', '.join(valid) or 'none'})"
                    raise ValueError(f"unknown option '{key}'{hint}")
        return data


class _History(TaskOptions):
    min_history: int = Field(
        3, ge=0, description="Posts an asked user must keep touching once every post asked about them is hidden (users short of it are skipped, never padded).")


class _Events(TaskOptions):
    event_threshold: float = Field(
        0.5, gt=0, le=1, description="Jaccard similarity of character n-gram sets at which two texts are one event "
                                     "(near-duplicates: builders/events.py; measured in bench/events.py).")
    shingle: int = Field(5, ge=1, le=50, description="Characters per n-gram of the event similarity.")


class Calipers(TaskOptions):
    """Most a matched pair may differ on each covariate, in pooled standard deviations (0 = exact)."""

    followers: float = Field(0.2, ge=0, description="log(1 + author followers).")
    verified: float = Field(0.0, ge=0, description="Author's verified badge (0/1; 0 = same badge).")
    post_time: float = Field(0.2, ge=0, description="Post time.")
    delay: float = Field(0.2, ge=0, description="log(1 + seconds from the post to its last visible cascade record).")


MATCH_COVARIATES = ("followers", "verified", "post_time", "delay")


class _NegativePool(_History):
    pool: Literal["any", "window", "popularity"] = Field(
        "any", description="Where negatives come from: any post, the anchor post's time window, or its popularity band.")
    weighting: Literal["matched", "uniform"] = Field(
        "matched", description="'matched': a negative post is drawn as often as posts are positives (post identity, time and popularity then say nothing about the label); 'uniform': every post of the band alike.")
    window: Literal["day", "week", "month", "quarter", "year"] = Field(
        "month", description="Time window of pool = 'window'.")
    bands: int = Field(4, ge=1, le=1000, description="Popularity bands of pool = 'popularity'.")
    tries: int = Field(DEFAULT_TRIES, ge=1, le=10_000, description="Random negative candidates drawn per anchor.")
    exposure_days: int | None = Field(
        1, ge=0, le=365, description="A negative is published within this many days of its positive and live within "
                                     "as many days of the user's act on it (builders/exposure.py); None (Python only) "
                                     "draws from the whole pool.")


#: Shortest comment worth an item, in characters of its own words (builders/comment_text.py):
#: two Chinese words of 1.5-2 characters; `+1`, `呵呵`, `求证` test luck, not a user's voice.
_MIN_CHARS = Field(4, ge=0, description="Shortest comment (characters of its own words, normalised) an item may show; "
                                        "shorter ones are dropped and counted in stats.")


class UBPOptions(_NegativePool):
    """[tasks.ubp] options: user behaviour prediction."""

    min_chars: int = _MIN_CHARS
    N_MEANING: ClassVar[str] = "items per action type (like, repost, comment), half yes and half no"
    negative_kinds: Literal["any", "same"] = Field(
        "any", description="'same': a negative only excludes posts touched with the asked action; 'any': any interaction.")
    per_user: int = Field(1, ge=1, description="Most positives per user and action.")


class UCSOptions(_History, _Events):
    """[tasks.ucs] options: user comment simulation."""

    N_MEANING: ClassVar[str] = "items per label (yes and no each)"
    min_chars: int = _MIN_CHARS
    max_cosine: float | None = Field(
        None, ge=-1, le=1, description="Opt-in embedding rule: a negative comment's cosine to the real one stays below this.")
    per_user: int = Field(2, ge=1, description="Most positives per user.")
    tries: int = Field(DEFAULT_TRIES, ge=1, le=10_000, description="Random negative candidates drawn per anchor.")


class MCROptions(_NegativePool, _Events):
    """[tasks.mcr] options: media content recommendation."""

    N_MEANING: ClassVar[str] = "items per label (yes and no each)"
    max_cosine: float | None = Field(
        None, ge=-1, le=1, description="Opt-in embedding rule: a negative post's cosine to the anchor stays below this.")
    per_user: int = Field(2, ge=1, description="Most positives per user.")


class MIDOptions(TaskOptions):
    """[tasks.mid] options: misinformation detection (LIAR-RAW + RAWFC claims)."""

    N_MEANING: ClassVar[str] = "claims in total (default: every claim)"


class MIDZhOptions(_Events):
    """[tasks.mid-zh] options: Weibo rumour detection from CED's labels."""

    N_MEANING: ClassVar[str] = "items per label (rumour and non-rumour each); default every event the balance allows"
    visible: int = Field(
        20, ge=0, le=10_000,
        description="Most cascade records an item shows; both items of a rumour/non-rumour pair show the same number.")
    match: list[Literal["followers", "verified", "post_time", "delay"]] = Field(
        default_factory=lambda: list(MATCH_COVARIATES),
        description="Covariates a rumour and its non-rumour are matched on (builders/matching.py); [] builds "
                    "unmatched pairs, labelled so in stats and provenance, and verify then reports balance only.")
    calipers: Calipers = Field(default_factory=Calipers, description="Caliper per matched covariate.")


class UEAOptions(TaskOptions):
    """[tasks.uea] options: user emotion analysis."""

    N_MEANING: ClassVar[str] = "items in total, split by the target class proportions"
    voters: list[str | dict[str, Any]] = Field(
        default_factory=list,
        description="Voter specs ('embed:zh-a', 'lexicon:dutir', 'head:seed', 'head:builtin', 'llm', 'llm:MODEL' or tables); "
                    "empty = three LLM votes with an endpoint, else embed:zh-a + lexicon:dutir + head:seed (head:builtin "
                    "without seed_labels).")
    seed_labels: str | None = Field(
        None, description="JSONL file of texts labelled by people ({\"text\": ..., \"label\": ...} a line), relative to the "
                          "workspace: trains the head:seed voter (cross-validated, figures in stats) and measures the panel.")
    targets: dict[str, int] = Field(
        default_factory=dict, description="Items per emotion before scaling to n; empty = SoMe's proportions.")
    min_chars: int = Field(2, ge=0, description="Shortest comment (characters) worth labelling.")
    pool_factor: float = Field(3.0, gt=0, description="Comments labelled per item kept (rare classes need a wide pool).")


class SMQOptions(TaskOptions):
    """[tasks.smq] options: social-media QA."""

    N_MEANING: ClassVar[str] = "QA items in total, balanced between topic and user scopes"
    posts_per_scope: int = Field(15, ge=1, description="Posts shown to the drafter per topic or user.")
    min_posts: int = Field(3, ge=1, description="Posts a topic needs to become a scope.")
    min_user_posts: int = Field(3, ge=1, description="Posts a user needs to become a scope.")
    topics: list[str] | None = Field(None, description="Topics to use (default: discovered from the corpus).")
    max_scopes: int | None = Field(None, ge=1, description="Most scopes drafted (default: all).")
    pairs_per_scope: int = Field(3, ge=1, description="QA pairs asked (or computed) per scope.")
    drafter: Literal["auto", "llm", "data"] = Field(
        "auto", description="Who drafts: 'llm', or 'data' (questions whose answers are computed by query); "
                            "'auto' = 'data' when the configured LLM is the embedded one, else 'llm'.")


class SESOptions(TaskOptions):
    """[tasks.ses] options: streaming event summarization."""

    N_MEANING: ClassVar[str] = "topics (one summary item each)"
    min_posts: int = Field(3, ge=1, description="Posts a topic needs.")
    topics: list[str] | None = Field(None, description="Topics to use (default: discovered from the corpus).")
    posts_per_topic: int = Field(20, ge=1, description="Posts given to the drafter per topic.")
    embedding_retrieval: bool = Field(True, description="Add posts similar to the topic's by embedding.")
    min_similarity: float = Field(0.82, ge=-1, le=1, description="Cosine a retrieved post needs.")
    drafter: Literal["auto", "llm", "extractive"] = Field(
        "auto", description="Who drafts the summary: 'llm', or 'extractive' (time span, place, representative posts); "
                            "'auto' = 'extractive' when the configured LLM is the embedded one.")


class REDOptions(TaskOptions):
    """[tasks.red] options: real-time event detection."""

    N_MEANING: ClassVar[str] = "hourly (location, window) queries in total"
    locations: list[str] | None = Field(None, description="Locations to use (default: the busiest ones).")
    max_locations: int = Field(20, ge=1, description="Busiest locations used when none are given.")
    clustering: Literal["single-pass", "agglomerative"] = Field("single-pass", description="Clustering of a day's posts.")
    threshold: float = Field(0.5, ge=-1, le=1, description="Cosine similarity that joins a post to a cluster.")
    center: bool = Field(True, description="Subtract the day's mean embedding before clustering.")
    min_cluster: int = Field(2, ge=1, description="Posts a cluster needs to be an event candidate.")
    drafter: Literal["auto", "llm", "extractive"] = Field(
        "auto", description="Who judges and summarises clusters: 'llm', or 'extractive' (representative post, time "
                            "span, key terms); 'auto' = 'extractive' when the configured LLM is the embedded one.")
    min_authors: int = Field(2, ge=1, description="Distinct authors a cluster needs to be an event (extractive drafter).")
    min_window_posts: int = Field(1, ge=1, description="Posts an event needs inside an hourly window to be listed for it "
                                                       "(its time there is its first to last post in the window).")


class NAPOptions(TaskOptions):
    """[tasks.nap] options: next action prediction (BluePrint-style personas)."""

    N_MEANING: ClassVar[str] = "users sampled (each with their threads); default every user"
    k: int = Field(8, ge=1, description="Persona clusters.")
    min_cluster_size: int = Field(5, ge=1, description="Smallest persona cluster.")
    keep_day: bool = Field(False, description="Keep the day of each action (else a global rank only).")
    context_depth: int = Field(5, ge=1, le=5, description="Thread messages shown before the target action.")
    max_posts_per_user: int = Field(20, ge=1, description="Posts embedded per user for clustering.")
    embedder: str | None = Field(None, description="Embedding model for clustering (default: [embeddings]).")
    cluster_counts: list[int] = Field(default_factory=list, description=(
        "More cluster counts K to cluster users for, besides k; `publish --layout blueprint` writes one "
        "config per K (`2_clusters`, `25_clusters`, ...), as BluePrint does."))
    min_posts: int = Field(2, ge=1, description="Posts a user needs to be clustered (BluePrint: 2); others get cluster -1.")
    pii_names: bool | None = Field(None, description=(
        "Scrub personal names (NER model, names gazetteer, jieba for Chinese: the `persona` extra; a missing "
        "package is an error); default: on unless SOMEKIT_PII_NAMES=0."))
