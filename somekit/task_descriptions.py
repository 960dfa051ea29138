"""What each task's item asks the agent, in one place (card, Croissant metadata, HTML report).

Each description states the question as the item puts it, not the way its answer was obtained:
UEA's answer comes from the user's own comment, but the agent never sees that comment; it is asked
which emotion the user will show toward the post, judging from their visible history. The task
table of the re-layout (somekit/tasks.py) is meant to hold these strings; until then this dict is
their single home.
"""

from __future__ import annotations

#: task -> (what the item asks, Hugging Face task category)
TASK_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "ubp": ("User behaviour prediction: will this user like / repost / comment on this post, judging from their "
            "visible history? (yes/no)", "text-classification"),
    "ucs": ("User comment simulation: did this user write this comment under the post, judging from their visible "
            "history? (yes/no)", "text-classification"),
    "mcr": ("Media content recommendation: would this user engage with this post, judging from their visible "
            "history? (yes/no)", "text-classification"),
    "uea": ("User emotion analysis: which emotion will this user show toward this post, judging from their visible "
            "history? (6 classes; their real comment, which gave the label, stays hidden)", "text-classification"),
    "mid": ("Misinformation detection: is this claim true, half true or false, given the evidence reports?",
            "text-classification"),
    "mid-zh": ("Weibo rumour detection (CED): is this post a rumour, judging from the post, its authors and its "
               "cascade up to a cut-off time?", "text-classification"),
    "smq": ("Social-media QA: answer a question about one topic's or one user's posts (free text)",
            "question-answering"),
    "red": ("Real-time event detection: which events happened at this location in this one-hour window? (list of "
            "events with title, summary, time, location)", "summarization"),
    "ses": ("Streaming event summarisation: summarise this topic's event (time, place, plot)", "summarization"),
    "nap": ("Next action prediction: what will a user of this persona cluster do next in this thread (action set "
            "and text), BluePrint style?", "text-generation"),
}


def describe(task: str) -> str:
    """The one-sentence question of a task's items."""
    return TASK_DESCRIPTIONS[task][0]


def category(task: str) -> str:
    """The task's Hugging Face task category (card metadata)."""
    return TASK_DESCRIPTIONS[task][1]
