"""Query templates of the templated tasks, in Chinese and English (our own wording).

A template id is `<task>[.<variant>].<lang>@<version>`; bump the version when a wording changes so
items built from the old wording stay traceable.
"""

from __future__ import annotations

from ..errors import SomekitError

VERSION = 1
#: Version of the UEA wording (2: asks which emotion the user will show toward the post).
UEA_VERSION = 2

TEMPLATES: dict[tuple[str, str], str] = {
    ("ubp.like", "zh"): "请根据用户（ID: {user_id}）的历史行为，判断该用户是否会点赞微博（ID: {post_id}）。只回答“是”或“否”。",
    ("ubp.like", "en"): "Based on the history of user {user_id}, will this user like post {post_id}? Answer only yes or no.",
    ("ubp.repost", "zh"): "请根据用户（ID: {user_id}）的历史行为，判断该用户是否会转发微博（ID: {post_id}）。只回答“是”或“否”。",
    ("ubp.repost", "en"): "Based on the history of user {user_id}, will this user repost post {post_id}? Answer only yes or no.",
    ("ubp.comment", "zh"): "请根据用户（ID: {user_id}）的历史行为，判断该用户是否会评论微博（ID: {post_id}）。只回答“是”或“否”。",
    ("ubp.comment", "en"): "Based on the history of user {user_id}, will this user comment on post {post_id}? Answer only yes or no.",
    ("ucs", "zh"): "以下是微博（ID: {post_id}）下的一条评论：“{comment}”。请结合用户（ID: {user_id}）的历史发言风格，判断这条评论是否出自该用户。只回答“是”或“否”。",
    ("ucs", "en"): "Here is a comment under post {post_id}: \"{comment}\". Judging by the writing of user {user_id}, did this user write it? Answer only yes or no.",
    ("mcr", "zh"): "请根据用户（ID: {user_id}）的兴趣和历史互动，判断是否应向该用户推荐微博（ID: {post_id}），即该用户是否会与之互动。只回答“是”或“否”。",
    ("mcr", "en"): "Given the interests and past interactions of user {user_id}, should post {post_id} be recommended to them, i.e. would they engage with it? Answer only yes or no.",
    # UEA asks for the emotion the user will show toward the post, judged from their history: the
    # labelled comment itself is hidden from the agent (docs/architecture.md, "Integrity"), so the query never
    # points at it. Versioned separately (UEA_VERSION) from the templates above.
    ("uea", "zh"): "请根据用户（ID: {user_id}）的历史发言与互动，判断该用户看到微博（ID: {post_id}）后会对它表现出哪种情绪，"
                   "从以下选项中选择一个：积极、愤怒、悲伤、恐惧、惊奇、无情绪。",
    ("uea", "en"): "Judging from the history of user {user_id}, which emotion will this user show toward post {post_id}? "
                   "Choose one of: positive, angry, sad, fear, surprise, emotionless.",
    ("mid", "zh"): "请借助知识库判断以下说法的真实性：“{claim}”。回答 true（真实）、half（部分真实）或 false（虚假）之一。",
    ("mid-zh", "zh"): "请查看微博（ID: {post_id}）及数据库中它截至 {cutoff}（UTC）的转发、评论和相关用户资料：“{text}”。这条微博是谣言吗？只回答“是”或“否”。",
    ("mid-zh", "en"): "Look at Weibo post {post_id}, its reposts and comments up to {cutoff} (UTC) and the users' profiles in the database: \"{text}\". Is this post a rumor? Answer only yes or no.",
    ("mid", "en"): "Using the knowledge base, judge the truthfulness of this claim: \"{claim}\". Answer one of true, half or false.",
}


def render(key: str, lang: str, **fields: str) -> tuple[str, str]:
    """(query, template_id) for template `key` in `lang`."""
    try:
        text = TEMPLATES[(key, lang)]
    except KeyError:
        raise SomekitError(f"no query template {key!r} in language {lang!r}") from None
    return text.format(**fields), f"{key}.{lang}@{VERSION}"
