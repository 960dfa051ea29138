"""What the review page says in words: the heading of each shown field and a review guide per task.

Headings name exactly what the field below them holds (evidence.py and context.py fill them).
The guide says what accept, correct and reject mean for the task and when to reject: an item
nobody could answer, an unfair decoy, broken text. It is shown at the top of every labelling page
(label config) and as the project's instructions.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...registry import Registry
from ...schemas.tasks import task_codes

#: Tasks asking about one user and one post: their page shows the user's visible history.
USER_POST_TASKS = task_codes(user_centric=True)

CONTEXT = "Posts in the query with their media text (captions, OCR, transcripts), the shown comment, machine votes, builder rule"
HISTORY = ("The user's visible history: the last entries of what the agent gets in user_data "
           "(acts on asked posts hidden), oldest first")

_CHOICE = ("Accept: submit with the pre-selected machine label when the evidence backs it. "
           "Correct: select the right label, then submit. "
           "Reject: tick 'reject' (the label does not matter then) when the item is unfair as a whole.")
_TEXT = ("Accept: keep verdict 'accept' and submit when the draft is right. "
         "Correct: edit the draft, keep 'accept', submit. "
         "Reject: set verdict 'reject' when no edit can make the item fair.")




@dataclass(frozen=True)
class Guide:
    """A task's words on the review page: the heading of its evidence field (None: no evidence
    field) and when an item should be rejected."""

    evidence: str | None
    reject_when: str


#: task -> its guide (registered by name, as the review forms in configs.py)
GUIDES: Registry[Guide] = Registry("review guide")
GUIDES.add("ubp", Guide(
    "Why the label holds (reviewer only): for yes the user's act of the asked kind on the post; "
    "for no the proof that there is none, the user's active span and how the negative was drawn",
    "Reject when the history gives no basis to answer (unanswerable), when the no post is an "
    "unfair decoy (written outside the user's active span, or a copy of a post the user did "
    "touch), or when the post or comment text is broken (empty, garbled, repost boilerplate)."))
GUIDES.add("mcr", Guide(
    "Why the label holds (reviewer only): for yes the user's acts on the post; for no the proof "
    "that there are none, the user's active span and how the negative was drawn",
    "Reject when the history gives no basis to answer (unanswerable), when the no post is an "
    "unfair decoy (outside the user's active span, or the same content as a post they touched), "
    "or when the text is broken."))
GUIDES.add("ucs", Guide(
    "Why the label holds (reviewer only): both comments of the pair, who the data says wrote "
    "each, and the user's other comments",
    "Reject when nothing in the user's history tells the two comments apart (unanswerable), when "
    "the decoy comment says the same as the user's own (unfair decoy), or when a comment is "
    "broken (empty, boilerplate, only emoji or mentions)."))
GUIDES.add("uea", Guide(
    "The labelled comment (hidden from the agent), the user's other comments and the machine "
    "votes",
    "Reject when the comment shows no emotion and the history gives no cue (unanswerable), when "
    "the comment is not the user's, or when its text is broken."))
GUIDES.add("mid", Guide(
    "The claim, the label its source gives and the reports in the knowledge base",
    "Reject when the claim cannot be checked from its text and reports (unanswerable), or when "
    "the claim text is broken."))
GUIDES.add("mid-zh", Guide(
    "The post, its cascade as visible at the cut-off, and the label's source (reviewer only, "
    "never exported)",
    "Reject when the post text is broken or empty, or when the label's source contradicts the "
    "label."))
GUIDES.add("smq", Guide(
    "The posts the draft cites as evidence, expanded",
    "Reject when the question can be answered without the data, or when the cited posts do not "
    "support the answer."))
GUIDES.add("red", Guide(
    "The posts of each drafted event, expanded",
    "Reject when the window holds no real event, or when the events are not supported by their "
    "posts."))
GUIDES.add("ses", Guide(
    "The posts retrieved for the topic and cited by the draft, expanded",
    "Reject when the topic's posts do not support any summary, or when they are broken text."))
GUIDES.add("nap", Guide(
    None,
    "Reject when the context thread is broken or the target actions cannot follow from it."))


def review_guide(task: str, text_task: bool) -> list[str]:
    """The guide's lines for a task: what each decision means, then when to reject."""
    return [f"Review guide ({task})", _TEXT if text_task else _CHOICE, GUIDES[task].reject_when]


def instructions_html(task: str, text_task: bool) -> str:
    """The same guide as the project's instructions (HTML, shown from the labelling page)."""
    from html import escape

    title, *lines = review_guide(task, text_task)
    return f"<h3>{escape(title)}</h3>" + "".join(f"<p>{escape(line)}</p>" for line in lines)
