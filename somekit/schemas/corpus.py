"""Normalised corpus records: what every ingest adapter produces and every builder reads."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    """Base of every corpus record: strict, because records cross stages. Enum values are stored
    as plain strings so records dump straight into Arrow."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    source: str = Field("", description="Adapter and source file that produced the record, e.g. 'ced:foo.json'.")


class InteractionKind(str, Enum):
    """Kinds of user actions. Weibo/X/Bluesky actions all map onto these."""

    like = "like"
    unlike = "unlike"
    repost = "repost"
    unrepost = "unrepost"
    comment = "comment"
    quote = "quote"
    reply = "reply"
    follow = "follow"
    unfollow = "unfollow"
    block = "block"
    unblock = "unblock"
    post_update = "post_update"
    post_delete = "post_delete"


class MediaKind(str, Enum):
    image = "image"
    video = "video"
    audio = "audio"


class Veracity(str, Enum):
    """A source's rumour label for a post."""

    rumor = "rumor"
    non_rumor = "non-rumor"


class Post(Record):
    """An original post (a weibo, a tweet, a Bluesky post)."""

    id: str = Field(..., min_length=1, description="Platform id of the post, preserved from the source.")
    platform: str = Field("weibo", description="weibo, x, bluesky, factcheck, ...")
    author_id: str | None = Field(None, description="User id of the author, when known.")
    text: str = Field("", description="Post text as published (may be empty for media-only posts).")
    created_at: datetime | None = Field(None, description="Publication time, UTC.")
    lang: str | None = Field(None, description="BCP-47 language tag when known (zh, en).")
    location: str | None = Field(None, description="Location/region attached to the post.")
    topics: list[str] = Field(default_factory=list, description="Hashtags or topic keywords.")
    reposts_count: int | None = Field(None, description="Repost counter reported by the platform.")
    comments_count: int | None = Field(None, description="Comment counter reported by the platform.")
    likes_count: int | None = Field(None, description="Like counter reported by the platform.")
    parent_id: str | None = Field(None, description="For replies/quotes stored as posts: the post replied to.")
    root_id: str | None = Field(None, description="For threads: the root post of the thread.")
    media_ids: list[str] = Field(default_factory=list, description="Ids of attached media records.")
    veracity: Veracity | None = Field(
        None, description="Rumour label the source gives the post (CED: rumor / non-rumor); None when it gives none.")
    veracity_origin: str | None = Field(
        None, description="Where `veracity` comes from, e.g. 'ced:rumor-repost' (the CED folder holding the post's cascade).")


class User(Record):
    """A user profile. Only `id` is required: cascade participants often have nothing else."""

    id: str = Field(..., min_length=1, description="Platform user id, preserved from the source.")
    platform: str = Field("weibo", description="weibo, x, bluesky, ...")
    name: str | None = Field(None, description="Screen name or handle.")
    description: str | None = Field(None, description="Profile bio.")
    location: str | None = Field(None, description="Profile location.")
    gender: str | None = Field(None, description="Gender as reported by the platform (m/f).")
    followers_count: int | None = Field(None, description="Followers counter.")
    friends_count: int | None = Field(None, description="Followees counter.")
    statuses_count: int | None = Field(None, description="Posts counter.")
    verified: bool | None = Field(None, description="Verified badge.")
    created_at: datetime | None = Field(None, description="Account creation time, UTC.")


class Interaction(Record):
    """One action of a user on a post (or on another user for follow/block)."""

    id: str = Field(..., min_length=1, description="Id of the interaction (e.g. the mid of a repost).")
    kind: InteractionKind = Field(..., description="What the user did.")
    user_id: str = Field(..., min_length=1, description="Who acted.")
    post_id: str | None = Field(None, description="The post acted on (None for follow/block).")
    target_user_id: str | None = Field(None, description="For follow/block: the user acted on.")
    parent_id: str | None = Field(None, description="For cascades and replies: the interaction or post replied to.")
    text: str = Field("", description="Comment/reply/quote text; empty for plain reposts and likes.")
    created_at: datetime | None = Field(None, description="When it happened, UTC.")


class Media(Record):
    """An image, video or audio attached to a post."""

    id: str = Field(..., min_length=1, description="Media id (the sha256 when the source gives none).")
    post_id: str | None = Field(None, description="Post the media is attached to.")
    kind: MediaKind = Field(..., description="image, video or audio.")
    uri: str = Field(..., min_length=1, description="Local path (relative to the source) or http(s) URL.")
    sha256: str | None = Field(None, description="sha256 of the bytes, when known; enrichment is keyed by it.")
    mime: str | None = Field(None, description="Content type when known.")


class Claim(Record):
    """A fact-checked claim (LIAR-RAW, RAWFC) for misinformation detection."""

    id: str = Field(..., min_length=1, description="event_id from the source, prefixed by the dataset.")
    claim: str = Field(..., min_length=1, description="The claim text.")
    label: str = Field(..., description="Original label (LIAR 6-way or RAWFC 3-way).")
    explain: str = Field("", description="Fact-checker explanation.")
    split: str | None = Field(None, description="train/val/test as in the source.")
    dataset: str = Field(..., description="liar-raw or rawfc.")


class Report(Record):
    """An evidence document (a news report) for the knowledge base, linked to a claim."""

    id: str = Field(..., min_length=1, description="report_id from the source, prefixed by the dataset.")
    claim_id: str | None = Field(None, description="The claim this report was collected for.")
    link: str | None = Field(None, description="URL of the report.")
    domain: str | None = Field(None, description="Domain of the report.")
    content: str = Field("", description="Report text.")
    evidence_sentences: list[str] = Field(default_factory=list, description="Sentences marked is_evidence.")


#: Corpus tables by name; each becomes corpus/<name>.parquet.
TABLES: dict[str, type[Record]] = {
    "posts": Post,
    "users": User,
    "interactions": Interaction,
    "media": Media,
    "claims": Claim,
    "reports": Report,
}
