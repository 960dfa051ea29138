"""Multiple-choice answers and markup wrappers: the two answer shapes whose verdict is not a label
word where the clause rules look for one (extract.py reads them first).

  options     the answer lists the question's options with letters or numbers ("A. 推荐 B. 不推荐",
              "(a) positive (b) angry", "1) yes 2) no") and then picks one ("答案：B", "Answer: (c)",
              "→ A", "选 2"): the pick stands for its option's text, and that text is read as the
              answer. A pick that names no listed option, or an option whose text is no label, gives
              no label; a list with no pick is the question echoed, never a verdict, so the list is
              blanked out and the fallback must not guess (its character n-grams read a list of
              labels as a verdict). A mark beside exactly one option ("B. 不推荐 ← my pick",
              "A. 谣言 ✔", "[x]") is a pick too.
  "Option A (会)"  a pick that carries its option's text in brackets needs no list; two or more such
              options ("option A (X) vs option B (Y) ... I choose B") are the list, and the pick
              after them chooses.
  containers  an explicit answer container (<answer>否</answer>, <final>..</final>, \\boxed{no}):
              its content is the answer, the last container counting; other markup tags
              (<reason>..</reason>, <confidence>..</confidence>) are commentary and are dropped.
  headings    a bracketed heading (【结论】推荐, 【情绪】sad) is a label marker ("结论：推荐").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: An option's tag: "(a)", "(A)", "A.", "A、", "A)", "A=", "1.", "1)". Upper-case letters or digits
#: without brackets, so the English article "a." is not read as one.
#: A capital letter followed only by a space counts before Chinese text ("A 积极 B 愤怒"), where no
#: English word can be mistaken for a tag.
_TAG = re.compile(r"(?<![A-Za-z0-9])(?:[(（]([A-Fa-f1-6])[)）]|([A-F1-6])(?:\s?[.．、)）:：=](?![\d.])|\s+(?=[\u4e00-\u9fff])))")
#: Where an option's text ends besides the next tag: a line end, an arrow, or the pick's marker.
#: A Chinese full stop ends an option too ("A. 谣言 B. 非谣言。该帖……选 B。"), and so does a bare 选 before a tag.
_OPTION_END = re.compile(r"\n|→|⇒|=>|->|。|选\s*(?=[(（]?[A-Fa-f1-6](?![A-Za-z0-9]))|"
                         r"(?:答案|回答|选择|我选|答|answer|choice|pick|selected|selection)\s*[:：是为]|$", re.I)
#: The pick: a marker, then a tag ("答案：B", "Answer: (c)", "→ A", "选 2", "option B", "<answer>B").
_PICK = re.compile(
    r"(?:答案|回答|结论|选择|选项|我选|选|答|answer|choice|option|pick|selected|selection|select|my pick|"
    r"i(?:'d| would| will|'ll)? (?:choose|pick|select|go with)|→|⇒|=>|->|<answer>|boxed\{)"
    # "the answer is B": after a verb only a capital or a digit is a tag ("the answer is a lie" picks nothing)
    r"\s*(?:是|为|[:：=]|(?:is|would be|will be)\s+(?=[(（]?(?-i:[A-F1-6])(?![A-Za-z0-9])))?\s*[(（]?([A-Fa-f1-6])(?![A-Za-z0-9])[)）]?", re.I)
#: "Option A（会）": a pick with its own option text.
_PICK_WITH_TEXT = re.compile(r"(?:option|选项)\s*([A-Fa-f1-6])\s*[(（]([^()（）\n]{1,20})[)）]", re.I)

#: A mark set beside one listed option as its pick: "← my pick", "<- chosen", a tick, "[x]".
_PICK_MARK = re.compile(r"(?:←|⬅|<-{1,2}|<=)\s*(?:(?:my|the|our)\s+)?(?:pick|choice|answer|selection|chosen|selected|this one|"
                        r"final|我的选择|我选|选这个|答案|选择)?|[✓✔☑✅]|\[[xX✓✔]\]|\([xX✓✔]\)", re.I)


def _marked_option(options: "Options") -> str | None:
    """The text of the one option carrying a pick mark ("(B) 不推荐 ← my pick", "A. 谣言 ✔"); None
    when no option or several carry one."""
    marked = [text for text in options.texts.values() if _PICK_MARK.search(text)]
    return _PICK_MARK.sub(" ", marked[0]).strip(" \t,，;；|/") if len(marked) == 1 else None


#: Words that announce a list as the question's options.
_ANNOUNCED = re.compile(r"选项|备选|可选|options?|choices?|candidates?|one of", re.I)

_CONTAINER = re.compile(r"<(answer|final|final_answer|final-answer|result|label|verdict|conclusion|output)>(.*?)</\1>|"
                        r"\\boxed\{([^{}]{1,200})\}", re.S | re.I)
_COMMENTARY = re.compile(r"<(reason|reasoning|explanation|rationale|confidence|analysis)>.*?</\1>", re.S | re.I)
_TAG_MARKUP = re.compile(r"</?(?!think\b)[a-z_][a-z0-9_-]{0,30}>", re.I)   # <think> blocks: clauses.clean
_LATEX_TEXT = re.compile(r"\\(?:text|textbf|textit|mathrm|mathbf|mathit|texttt|operatorname)\s*\{([^{}]{0,200})\}")
_BRACKET_HEADING = re.compile(r"【([^【】\n]{1,12})】")


@dataclass(frozen=True)
class Options:
    texts: dict[str, str]     # normalised tag ("a", "b", "1") -> the option's text
    start: int                # where the list begins in the answer
    end: int                  # where it ends


def _tag_key(m: re.Match) -> str:
    return (m.group(1) or m.group(2)).lower()


def _sequence_start(tags: list[re.Match]) -> int | None:
    """Index of the first tag of a run a, b, c... or 1, 2, 3... at least two long."""
    for i in range(len(tags) - 1):
        first, second = _tag_key(tags[i]), _tag_key(tags[i + 1])
        if first in ("a", "1") and ord(second) == ord(first) + 1:
            return i
    return None


def option_list(text: str) -> Options | None:
    """The answer's listed options, or None when it lists none."""
    tags = list(_TAG.finditer(text))
    begin = _sequence_start(tags)
    if begin is None:
        return None
    run = [tags[begin]]
    for m in tags[begin + 1:]:
        if ord(_tag_key(m)) != ord(_tag_key(run[-1])) + 1:
            break
        run.append(m)
    texts: dict[str, str] = {}
    end = run[-1].end()
    for i, m in enumerate(run):
        stop = run[i + 1].start() if i + 1 < len(run) else len(text)
        segment = text[m.end():stop]
        # the pick may follow the last option on its line ("(C) false — I pick (C)", "C=false, the answer is B")
        cuts = [m.start() for m in (_OPTION_END.search(segment), _PICK.search(segment)) if m]
        segment = segment[:min(cuts)] if cuts else segment
        texts[_tag_key(m)] = segment.strip(" \t,，;；|/")
        end = m.end() + len(segment)
    return Options(texts, run[0].start(), end)


@dataclass(frozen=True)
class Choice:
    listed: bool              # the answer lists options
    text: str | None          # the picked option's text; None: no pick, or a pick of no listed option
    rest: str                 # the answer with its option list blanked out


def read_choice(text: str) -> Choice:
    """The option an answer picks, from its own list or its own bracketed text."""
    options = option_list(text)
    if options is None:
        with_text = list(_PICK_WITH_TEXT.finditer(text))
        named = {m.group(1).lower(): m.group(2) for m in with_text}
        if len(named) < 2:
            return Choice(False, with_text[-1].group(2) if with_text else None, text)
        # "option A (X) vs option B (Y) ... I choose B": the bracketed options are a list, the pick follows it
        last = with_text[-1]
        options = Options(named, with_text[0].start(), last.end())
        rest = text[:options.start] + " " + text[options.end:]
        picks = [m for m in _PICK.finditer(text) if m.start() >= options.end]
        return Choice(True, named.get(picks[-1].group(1).lower()) if picks else None, rest)
    rest = text[:options.start] + " " + text[options.end:]
    picks = [m for m in _PICK.finditer(text) if m.start() >= options.end - 1]
    if not picks and (marked := _marked_option(options)) is not None:
        return Choice(True, marked, rest)
    if not picks:
        # a numbered list of reasons is no option list: only a list announced as options is
        if _ANNOUNCED.search(text[max(0, options.start - 24):options.start + 1]):
            return Choice(True, None, rest)
        return Choice(False, None, text)
    return Choice(True, options.texts.get(picks[-1].group(1).lower()), rest)


def unwrap(text: str) -> tuple[str | None, str]:
    """(the last answer container's content or None, the answer with markup removed and bracketed
    headings turned into markers)."""
    text = _LATEX_TEXT.sub(r"\1", text)   # \boxed{\text{yes}}: the text command is typesetting, not content
    containers = list(_CONTAINER.finditer(text))
    content = None
    if containers:
        last = containers[-1]
        content = last.group(2) if last.group(2) is not None else last.group(3)
    plain = _COMMENTARY.sub(" ", text)
    # a container reads as an answer marker, so a picked letter inside it is a pick too
    plain = _CONTAINER.sub(lambda m: "\nanswer: " + (m.group(2) if m.group(2) is not None else m.group(3)) + "\n", plain)
    plain = _TAG_MARKUP.sub(" ", plain)
    plain = _BRACKET_HEADING.sub(r"\1: ", plain)
    return content, plain
