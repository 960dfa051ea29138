"""The one label parser: the label an agent's free-text answer gives (Chinese and English).

Used by `somekit eval` and by the UEA voters (`extract_label("uea", text)`). Rules, in order; the
first that decides wins, and a rule decides only when the answer is unambiguous:
  json          a JSON answer ({"answer": "no"}, ```json {"emotion": "sad"}```), or one written as
                key-value lines (YAML, a markdown form), read by a verdict key or a key that asks the
                task's question at any depth ({"result": {"rumour": "no"}}, "**是否推荐**：否"), by a key
                that names the verdict otherwise ("predicted_emotion"), or, for yes/no, by the act
                ({"action": "skip"}, rank(action="recommend")); a flag answers a yes/no key ("recommend=0",
                "author=same"); or a markdown table's verdict row, verdict
                column or ticked label (tables.py); a hedge under such a key
                ({"recommend": "maybe"}) is no verdict and no fallback guesses it
  container     the content of the last answer container (<answer>否</answer>, \\boxed{no}; choices.py)
  option        the text of the option a multiple-choice answer picks ("A. 会 B. 不会 答案：A", or a mark
                beside one option: "B. 不推荐 ← my pick", "A. 谣言 ✔"; choices.py); a list of short
                options naming the task's labels and left unpicked is no verdict, for the fallback too
  exact         the whole answer is a label word ("是", "**True**", "Angry.") or one emoji of labels.EMOJI ("✅", "😡")
  marker        the label after the last answer marker ("答案：否", "Final answer: yes", "I choose sad"),
                or a closing label after a colon ("... Not worth it: no.") or after the arrow that closes a
                last field ("Truthfulness: 50% → half"); also a tick or cross bound to the question or a
                label ("Recommend: ✗", "Verdict → ✓", "[x] 不推荐") and score-only answers
                ("yes 0.84 / no 0.16"), rewrite.py
  clause        the verdict of the answer's clauses (clause_rule.py, clauses.py): echoed questions,
                reasons and conditions never decide; negations and hedges count only inside the
                verdict's own clause; a concluding clause ("so", "因此") or a contrast ("but",
                "而是") outranks what came before; clauses that disagree leave it 'ambiguous'
  unanswerable  the answer declines ("无法判断", "I cannot determine", also as its last words or
                in its last sentence: "这类说法不适合用真、假来评级，我不下结论"), hands
                the call on ("not up to me"), asks for more ("I'd need their history to decide"),
                calls both outcomes fine ("与否都说得过去"), or reports a tool failed (declines.py):
                no label, no fallback; the task's words in such a sentence are no verdict.
Where the clauses disagree, a last paragraph that is one short, untentative sentence stating one
label is the conclusion (not for yes/no, whose closing lines are often afterthoughts).
Anything else is 'ambiguous' (the LLM extractor, then the offline fallback may decide it, see
classify.py) or 'empty'; an ambiguous answer that keeps both outcomes open ("might or might not",
"会还是不会") is marked hedged and no fallback guesses it.
Structure the clause rules respect (clauses.py, rewrite.py): a counterfactual's verdict ("If it
were an ad, I'd say no") and an aside after the answer ("Note: ...") never decide; a conclusion
reaches to the end of its sentence; a concession ("虽然", "不可否认", "admittedly") and a view held
at first, one about to be given ("I was going to say"), a retracted one ("Hmm, no... wait") and someone else's ("有人说") yield to what follows;
quoted text is someone else's words; "X rather than Y" excludes Y; "calling it X is wrong" rejects X.
Traditional Chinese is read through hanzi.py's table of the vocabulary's traditional forms.
This module never raises on any input (tests/test_eval_robust.py); classify.py still counts a
parser error per answer instead of aborting a run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .answer_json import hedged_field, label_from_call, label_from_fields, label_from_json
from .tables import label_from_table
from .choices import option_list, read_choice, unwrap
from .hanzi import simplified
from .clause_rule import by_clauses
from .clauses import RETRACTS, Clause, clauses, clean, in_hypothetical, statements
from .declines import BOTH_WAYS, HARNESS_ERRORS, UNANSWERABLE, WITHHELD
from .labels import EMOJI, KIND, TASK_OF_KIND
from .rewrite import (absurd_if_not, assignment_label, called_wrong, marked_label, neither_nor, not_instead, reported_speech,
                      scale_listed, scored_label, weak_verdict)
from .verdict import bare_label, labels_in


@dataclass(frozen=True)
class Extraction:
    label: str | None
    rule: str          # json | container | option | exact | marker | clause | unanswerable | ambiguous | empty | error | llm | llm-none | missing
                       # | offline-fallback | parser-error
    hedged: bool = False   # 'ambiguous' because the answer keeps both outcomes open or gives no verdict: no fallback guesses it


_MARKER = re.compile(
    # a revision ("下调为半真", "revising to yes") is the answerer's newest verdict
    r"(?:下调|上调|改判|改|调整|修正|更正)(?:为|成)|我评|(?<![不无])判为|"
    r"(?:(?:最终|我的)?(?:答案|回答|结论|判断结果|判断|预测结果|预测|结果|情绪类别|情感类别|情绪|情感|标签|分类|判定|决定|选择)"
    r"\s*(?:应该|应当|可能|大概)?\s*(?:(?:是|为)(?!否[^\s。.!?;,)])|:)|我(?:的)?选择?(?:是)?\s*(?=[是否积愤悲恐惊无真假半])|"
    r"\b(?:final answer|answer|prediction|label|emotion|sentiment|verdict|conclusion|classification|rating|"
    r"my choice|category|result|decision|authorship|recommendation)\b"
    # "the answer to whether they wrote it is yes": the echoed question sits inside the marker
    r"(?: to (?:the question|(?:whether|if) [^.;!?\n]{1,80}?(?=\s(?:is|would be)\b)))?\s*(?:is|would be|should be|has to be|must be|can only be|:|=|-|>|→|⇒|;\s*so\b|是|为)+|"
    # "Answer (A) 是": the picked option's tag and its text follow the marker with no copula
    r"\b(?:final answer|answer)\s*(?=[(（][a-f1-6][)）]\s*\S)|"
    # a place on the scale: "this lands at half", "it falls at false", "the claim rates as half-true"
    r"\b(?:lands?|landing|falls?|sits?|rates?|ranks?|comes? out|ends? up)\s+(?:at|as)\b|"
    r"\b(?:revis(?:e|ed|ing)|downgrad(?:e|ed|ing)|upgrad(?:e|ed|ing)|chang(?:e|ed|ing))(?: it| my answer| my verdict| my call)? to\b|"
    r"\b(?:i(?: would| will|'ll|'d)? (?:choose|pick|select|go with|answer|say)|i'm going with|"
    r"i(?: would| will|'ll|'d)? (?:rate|label|classify|mark|call|tag|score) (?:it|this|the claim|the statement|that)(?: as)?|"
    r"i(?:'d| would)? lean(?:ing)?(?: towards?| to)?|leaning (?:towards?|to)|i(?:'m| am) (?:answering|saying|choosing|picking)|"
    r"i(?:'m| am) (?:going to|gonna|inclined to|tempted to) (?:say|answer|go with|pick|choose|call it))\b)")
#: The answer's last words: a label after a colon ("...: no", "结论：否").
_CLOSING = re.compile(r"[:：]\s*([^:：\n]{1,24}?)\s*$")
#: An answer that opens by describing the post or comment ("The post is about ...", "这条微博讲的是..."):
#: when no rule found a verdict in it, it gave none.
_DESCRIBES = re.compile(
    # ("The post is a good fit" judges it, "The claim is a fabrication" too: neither is a description)
    r"^\W*(?:the|this) (?:post|comment|tweet|weibo|reply|article)\b[^.;]{0,30}?\b(?:is about|describes|talks about|discusses|"
    r"covers|is an? (?:review|photo|picture|video|story|report|announcement|recap) (?:of|about|on|from))\b|"
    r"^\W*(?:这|该)(?:条|篇|个|则)?(?:微博|帖子|评论|回复|内容|文章|推文|消息)?(?:讲的是|说的是|是关于|描述了|讲述了|提到了?|内容是|讲了|说了|写的是)")
#: What turns a revision verb into one only considered: an infinitive or a question about it.
_CONSIDERED = re.compile(r"(?:\bto|\bwhether(?: to)?|\bnot|n't|\bno need to|\bshould i|\bcould|\bmight)\s*$|(?:是否|要不要|考虑|不必|无需|没必要|该不该)\s*$")
_REVISION = re.compile(r"revis|downgrad|upgrad|chang|调|改|修正|更正")
#: A place on the scale ("lands at", "rates as"): a marker only where a label follows it.
_PLACE = re.compile(r"\b(?:lands?|landing|falls?|sits?|rates?|ranks?|comes? out|ends? up)\s+(?:at|as)\b")
_OPTION_TAG = re.compile(r"^\s*[(（][A-Fa-f1-6][)）]\s*|^\s*[A-F][.．、)）]\s*")
_FINAL_MARKER = re.compile(r"final|最终|revis|downgrad|upgrad|调|改|修正|更正")


def extract_label(task: str, answer: str | None) -> Extraction:
    """The label an answer gives for a classification task, with the rule that found it."""
    kind = KIND[task]
    if answer is None or not str(answer).strip():
        return Extraction(None, "empty")
    raw = simplified(str(answer))
    if kind != "mid" and raw.strip().lower() in HARNESS_ERRORS:
        return Extraction(None, "error")
    found = _from_json(kind, raw) or label_from_fields(kind, raw, _read_value(kind)) or label_from_call(kind, raw, _read_value(kind)) \
        or label_from_table(kind, raw, _read_value(kind))
    if found:
        return Extraction(found, "json")
    if hedged_field(kind, raw):
        # {"recommend": "maybe"}: the field that should hold the verdict holds a hedge; its key's words are no answer
        return Extraction(None, "ambiguous", hedged=True)
    label, marked = marked_label(kind, raw)
    if marked:
        return Extraction(label, "marker") if label is not None else Extraction(None, "ambiguous", hedged=True)
    content, raw = unwrap(raw)
    if content is not None and content.strip() and (inner := extract_label(task, content)).label is not None:
        return Extraction(inner.label, "container")
    choice = read_choice(raw)
    if choice.text is not None and (picked := extract_label(task, choice.text)).label is not None:
        return Extraction(picked.label, "option")
    listed = choice.listed
    if listed:
        raw = choice.rest   # the options echoed back are no verdict
    elif (blanked := _without_label_list(kind, raw)) is not None:
        listed, raw = True, blanked
    if (label := _emoji_label(kind, raw)) is not None:
        return Extraction(label, "exact")
    if (label := _arrow_field(kind, raw)) is not None:
        return Extraction(label, "marker")
    text = clean(raw)
    if not text:
        # nothing but the options echoed back: no verdict, and none for the fallback to guess
        return Extraction(None, "ambiguous", hedged=True) if listed else Extraction(None, "empty")
    if (label := assignment_label(kind, text)) is not None:
        return Extraction(label, "json")
    if (label := scored_label(kind, text)) is not None:
        return Extraction(label, "marker")
    text = absurd_if_not(not_instead(kind, neither_nor(kind, scale_listed(kind, reported_speech(kind, text)))))
    text = weak_verdict(kind, called_wrong(kind, text))
    if (label := bare_label(kind, text)) is not None:
        return Extraction(label, "exact")
    if (label := _after_marker(kind, text)) is not None:
        return Extraction(label, "marker")
    if BOTH_WAYS.search(statements(text)):
        return Extraction(None, "ambiguous", hedged=True)
    parts = clauses(text)
    spoken = [c for c in parts if c.role not in ("question", "reason")]
    if spoken and UNANSWERABLE.search(spoken[-1].text):
        # the answer ends by declining ("... I can't give a yes or a no"): what it weighed before is no verdict
        return Extraction(None, "unanswerable")
    if WITHHELD.search(_last_sentence(text)):
        # "这类说法不适合用真、半真半假、假来评级，我这里不给出结论": the labels it names are the scale it declines
        return Extraction(None, "unanswerable")
    label, unclear = by_clauses(kind, parts)
    if label is None and not unclear:
        label = _closing_paragraph(kind, text)
    if label is not None:
        return Extraction(label, "clause")
    if UNANSWERABLE.search(text) and not unclear:
        return Extraction(None, "unanswerable")
    # a listed option left unpicked, or an answer that only describes the post: the fallback would
    # read the list, or the post's topic ("内容挺有意思的"), as a verdict
    return Extraction(None, "ambiguous", hedged=unclear or listed or bool(_DESCRIBES.match(text)))


def _emoji_label(kind: str, raw: str) -> str | None:
    """The label of an answer that is one emoji of labels.EMOJI ("✅", "😡"); clean() drops emoji."""
    mark = raw.strip().strip(".。!！")
    return next((label for label, marks in EMOJI.get(kind, {}).items() if mark in marks), None)


#: The answer's last line, a field whose value ends in an arrow to a short value ("Truthfulness: 50% → half").
_ARROW_FIELD = re.compile(r"^[^\n:：]{1,30}[:：][^\n]*?(?:→|⇒|=>|->)\s*([^\n→⇒>]{1,24}?)[\s.。!*]*\Z", re.M)


def _arrow_field(kind: str, raw: str) -> str | None:
    """The label an arrow leads to at the end of a closing field: what the field's reading comes to
    (clean() turns the arrow into "so", and a bare "half" after "so" is too common to count)."""
    m = _ARROW_FIELD.search(raw.strip())
    return bare_label(kind, m.group(1)) if m else None


def _without_label_list(kind: str, text: str) -> str | None:
    """The answer with its unpicked option list blanked out, where it lists short options, one at
    least a label of the task, with letters or numbers ("A. 谣言 / B. 非谣言"), announced or not; None
    when it lists none. Neither the clause rules nor the fallback may read such a list as a verdict."""
    options = option_list(text)
    if options is None:
        return None
    # short options, one at least a label ("(A) 推荐 (B) 不推荐": the bare act counts by its negation's pair)
    texts = list(options.texts.values())
    if not any(labels_in(kind, t) or bare_label(kind, t) for t in texts) or any(len(t) > 16 for t in texts):
        return None
    return text[:options.start] + " " + text[options.end:]


#: Words that leave a closing sentence short of a verdict ("Some might call it a rumour").
_TENTATIVE = re.compile(r"\b(?:might|may|could|would|if|unless|some|others?|people|call(?:ed)?|whether)\b|可能|也许|或许|如果|有人|是否")


def _closing_paragraph(kind: str, text: str) -> str | None:
    """The verdict of an answer whose clauses disagree but whose last paragraph is one short
    sentence stating one label ("...\n\nThis is real news, not a rumor."): after a discussion that
    names the other label (the kind of post often fabricated, a hypothesis weighed), the line set
    apart at the end is the conclusion. Not for yes/no answers, whose closing lines are often
    afterthoughts ("She might still like it")."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if kind == "yesno" or len(paragraphs) < 2 or len(paragraphs[-1]) > 120:
        return None
    last = paragraphs[-1]
    if len([s for s in re.split(r"[。!?！？;；]|(?<!\d)\.(?!\d)", last) if s.strip()]) != 1 or _TENTATIVE.search(last):
        return None
    parts = clauses(last)
    if any(c.role in ("question", "condition") for c in parts):
        return None
    label, unclear = by_clauses(kind, parts)
    return None if unclear else label


def _last_sentence(text: str) -> str:
    sentences = [s for s in re.split(r"[。!?！？\n]+|(?<!\d)\.(?!\d)", text) if s.strip(" ,，;；:：")]
    return sentences[-1] if sentences else ""


def _from_json(kind: str, raw: str) -> str | None:
    return label_from_json(kind, raw, _read_value(kind))


def _read_value(kind: str):
    # an enum-style value ("do_not_recommend", "non_rumor") reads as the words it joins
    return lambda value: extract_label(TASK_OF_KIND[kind], _unsnake(value)).label


def _unsnake(value: str) -> str:
    return value.replace("_", " ") if re.fullmatch(r"[a-z]+(?:_[a-z]+)+", value.strip().lower()) else value


def _after_marker(kind: str, text: str) -> str | None:
    """The label right after the last answer marker, read up to the end of its sentence."""
    last = last_final = None
    for m in _MARKER.finditer(text):
        if re.search(r"(?:无法|不能|难以|不好|没法)\s*$", text[max(0, m.start() - 4):m.start()]):
            continue  # "无法判断" declines; it is not a marker
        if _REVISION.search(m.group(0)) and _CONSIDERED.search(text[max(0, m.start() - 24):m.start()]):
            continue  # "reasons to downgrade to half-true", "是否改为": a revision weighed, not made
        if re.search(r"\b(?:not|never|nothing|hardly)\b[^.;!?,]{0,25}$", text[max(0, m.start() - 30):m.start()]):
            continue  # "Not something I'd say is unlikely": the marker lies in a negation's scope
        if in_hypothetical(text, m.start()):
            continue  # "If it were an ad, I'd say no": a verdict for another world
        if _PLACE.match(m.group(0)) and _tail_label(kind, _sentence_after(text, m.end())[:60]) is None:
            continue  # "the holiday falls at the end of May": a place in time, not on the scale
        last = m
        if _FINAL_MARKER.search(m.group(0)):
            last_final = m
    # the last explicit final answer or revision outranks a later plain marker ("final answer: no.
    # The answer hinges on ..."); among themselves the last counts ("initially yes ... final answer no")
    last = last_final or last
    closing = _CLOSING.search(text)
    if closing and bare_label(kind, closing.group(1)) is not None and not in_hypothetical(text, closing.start()) \
            and (last is None or closing.start() >= last.end()):
        # "... Not worth the feed slot: no." - the answer ends on a label after a colon: its conclusion
        return bare_label(kind, closing.group(1))
    if last is None:
        return None
    label = _tail_label(kind, _sentence_after(text, last.end())[:60])
    if label is not None and last_final is None and _overturned(kind, text[last.end():], label):
        return None   # "I'd lean yes, but the dialect is wrong. No.": the clause rules weigh the turn
    return label


def _sentence_after(text: str, at: int) -> str:
    return re.split(r"[\n。!?;]|(?<![\d])\.(?!\d)", text[at:].strip(), maxsplit=1)[0]


def _tail_label(kind: str, tail: str) -> str | None:
    """The label right after a marker, up to the end of its sentence."""
    if not tail.strip():
        return None
    if (label := bare_label(kind, tail)) is not None:
        return label
    # "Answer (A) 是": the option's tag before the label it names
    tail = _OPTION_TAG.sub("", tail, count=1)
    if (label := bare_label(kind, tail)) is not None:
        return label
    first = re.split(r"[,，、(（:—–#|]|\s-\s", tail, maxsplit=1)[0]
    if (label := bare_label(kind, first)) is not None:
        return label
    label, _ = by_clauses(kind, [Clause(tail, "final")])
    return label


def _overturned(kind: str, rest: str, label: str) -> bool:
    """Whether, after a plain marker's label, a contrast or a retraction leads to another bare label
    ("I'd lean yes, but the dialect is wrong. No."): a plain marker is no final answer, and what
    turns after it may revise it; labels named inside the argument do not."""
    turned = False
    for clause in clauses(rest):
        if clause.role == "question" or (clause.role == "reason" and not turned):
            continue
        turned |= clause.role == "contrast" or bool(RETRACTS.match(clause.text))
        other = bare_label(kind, RETRACTS.sub("", clause.text))
        if turned and clause.role != "reason" and other not in (None, label):
            return True
    return False
