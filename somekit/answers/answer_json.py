"""The label a JSON-shaped answer gives ({"label": "no"}, ```json {"emotion": "sad"}```, tool-call
fragments). Agents answer in JSON all the time and a JSON value can have any shape, so this reads
defensively: any JSON type, nesting, unknown keys, a label word of another task's vocabulary. It
never raises; an answer it cannot read is left to the prose rules.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

#: Keys that hold the verdict, strongest first (compared case-insensitively).
VERDICT_KEYS = ("label", "answer", "final_answer", "prediction", "verdict", "emotion", "sentiment", "result", "decision",
                "classification", "conclusion", "judgement", "judgment", "rating", "grade", "category", "class", "output_label",
                # the main one of several ({"emotion": {"primary": "sad", "secondary": "fear"}})
                "primary", "main", "dominant", "choice",
                "答案", "结论", "选择", "主要", "判断", "情绪", "情感", "标签", "预测", "结果", "评级", "评分", "等级", "类别", "分类", "判定", "回答")
#: Words that make a key a verdict key under another name ("predicted_emotion", "label_pred",
#: "final_label"), and words that make it commentary beside the verdict ("label_probabilities").
_VERDICT_WORDS = frozenset({"label", "emotion", "sentiment", "prediction", "predicted", "pred", "verdict", "answer",
                            "classification", "class", "category", "decision", "rating", "grade", "result"})
_COMMENTARY_WORDS = frozenset({"prob", "probs", "probability", "probabilities", "confidence", "conf", "score", "scores",
                               "reason", "reasoning", "rationale", "explanation", "evidence", "candidates", "options",
                               "alternatives", "alternative", "secondary", "other", "others", "distribution", "logits", "id",
                               "scale", "definition", "definitions", "schema", "description",
                               # what a tool returned is evidence, not the answerer's verdict ({"search_result": "..."})
                               "search", "tool", "query", "source", "sources", "retrieved", "context", "previous", "prior"})
#: Only the act asked about answers under these keys ({"action": "recommend"}, action="skip").
_ACT_KEYS = ("action", "act", "decision_action")
#: A value that keeps the verdict open ("maybe", "unsure", "50/50"): the field gives none.
_HEDGE_VALUE = re.compile(r"^\W*(?:maybe|perhaps|possibly|unsure|not sure|uncertain|unknown|undecided|unclear|undetermined|"
                          r"n/?a|tbd|either|depends|it depends|50 ?/ ?50|fifty[- ]fifty|toss[- ]?up|can't tell|cannot tell|"
                          r"不确定|不好说|说不准|难说|也许|或许|未知|待定|不一定|看情况)\W*$", re.I)
#: A call written with keyword arguments ('rank_post(user_id="u1", action="recommend")').
_CALL = re.compile(r"^\W*(?:[A-Za-z_][\w ]{0,20}:\s*)?[A-Za-z_][\w.]{0,60}\((.*)\)\W*$", re.S)
_KWARG = re.compile(r"([A-Za-z_]\w{0,40})\s*=\s*(?:\"([^\"\n]{0,200})\"|'([^'\n]{0,200})'|(True|False|true|false))")

#: Wrappers a tool call or an API reply puts around the verdict object.
_WRAPPERS = ("arguments", "parameters", "input", "output", "response", "content", "data", "message", "function",
             "tool_input", "args")
#: Nesting deeper than this is not an answer any agent writes; stop instead of recursing.
_MAX_DEPTH = 6
#: Longest answer searched for a JSON object (longer text is prose with, at best, a JSON tail).
_MAX_SCAN = 200_000
#: Openings tried when the whole span does not decode (each try may read to the end of the text).
_MAX_STARTS = 40
_DECODER = json.JSONDecoder()

ReadText = Callable[[str], "str | None"]


def json_values(raw: str) -> list[Any]:
    """The JSON objects/lists in an answer: the whole span from the first '{' to the last '}',
    else each object that decodes where a '{' or '[' opens, in order."""
    text = raw[-_MAX_SCAN:]
    out: list[Any] = []
    first, last = text.find("{"), text.rfind("}")
    if 0 <= first < last:
        value = _decode(text[first:last + 1])
        if value is not None:
            return [value]
    for attempt, m in enumerate(re.finditer(r"[\[{]", text)):
        if attempt >= _MAX_STARTS:
            break
        try:
            value, _ = _DECODER.raw_decode(text, m.start())
        except (ValueError, RecursionError):
            continue
        if isinstance(value, (dict, list)):
            out.append(value)
        if len(out) >= 8:
            break
    return out


#: One field of a YAML / key-value / markdown answer ("recommend: no", "**是否推荐**：否", "- emotion = sad").
_FIELD = re.compile(r"^[\s\-*>]*([^\s:：=*][^:：=\n]{0,30}?)\s*[:：=]\s*(\S[^\n]{0,200}?)\s*$")
#: Fields run together on one line ("answer=是; conf=0.68", "label: no | confidence: low"): a
#: separator counts only where another key follows it, so a value's own commas stay in it.
_INLINE_SEP = re.compile(r"\s*[;|,，；&]\s*(?=[^\s:：=;|,，；&][^:：=;|,，；&\n]{0,30}?\s*[:：=])")
_HEADING = re.compile(r"^\s*(?:#+\s.*|```\w*|---)?\s*$")


def fields(raw: str) -> dict[str, str] | None:
    """The fields of an answer written wholly as key-value lines (YAML, a markdown form; headings
    and code fences allowed); None for prose, where a "Reason: ..." line is no form."""
    out: dict[str, str] = {}
    for line in raw[:_MAX_SCAN].replace("**", "").replace("__", "").splitlines():
        if _HEADING.match(line):
            continue
        for piece in _INLINE_SEP.split(line):
            m = _FIELD.match(piece)
            if m is None:
                return None
            key, value = m.group(1).strip(), m.group(2).strip()
            if out.setdefault(key, value) != value:
                return None   # "Recommend: ✓ / Recommend: ✗": a form that contradicts itself is read as prose
    return out or None


def call_arguments(raw: str) -> dict[str, Any] | None:
    """The keyword arguments of an answer written as one function call, or None."""
    m = _CALL.match(raw[:_MAX_SCAN])
    if m is None:
        return None
    found: dict[str, Any] = {}
    for key, double, single, flag in _KWARG.findall(m.group(1)):
        found.setdefault(key, {"true": True, "false": False}[flag.lower()] if flag else double or single)
    return found or None


def label_from_call(kind: str, raw: str, read_text: ReadText) -> str | None:
    """The label of a call whose keyword arguments hold the verdict or the act (action="recommend")."""
    found = call_arguments(raw)
    return _from_object(kind, found, read_text, 1) if found else None


def hedged_field(kind: str, raw: str) -> bool:
    """Whether a JSON answer, a form or a call puts a hedge under its verdict key or its question
    key ({"recommend": "maybe"}, "label: unsure"): no verdict, whatever the key's words say."""
    objects = [v for v in json_values(raw) if isinstance(v, dict)] if ("{" in raw) else []
    objects += [o for o in (fields(raw), call_arguments(raw)) if o]
    for obj in objects:
        for key, value in obj.items():
            key = str(key).strip().lower()
            if isinstance(value, str) and _HEDGE_VALUE.match(value) and (_names_verdict(kind, key) or _polar_key(kind, key)):
                return True
    return False


def _names_verdict(kind: str, key: str) -> bool:
    """A key that holds the verdict: a verdict key, one named with a verdict word and no commentary
    word ("predicted_emotion", "final_label"), or for yes/no tasks the act asked about."""
    if key in VERDICT_KEYS or (kind == "yesno" and key in _ACT_KEYS):
        return True
    words = set(re.split(r"[\s_\-.]+", key))
    return bool(words & _VERDICT_WORDS) and not words & _COMMENTARY_WORDS


def label_from_fields(kind: str, raw: str, read_text: ReadText) -> str | None:
    """The label of a key-value answer whose verdict key or question key holds a label word."""
    found = fields(raw)
    if found is None:
        return None
    # YAML's booleans, as a form writes them ("recommend: no" answers the question)
    typed: dict[str, Any] = {k: {"true": True, "false": False}.get(v.lower(), v) for k, v in found.items()}
    return _from_object(kind, typed, read_text, 1)


def _decode(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def label_from_json(kind: str, raw: str, read_text: ReadText) -> str | None:
    """The label of the first JSON value in `raw` that names one; `read_text` reads a string
    value (the prose rules for this task)."""
    if "{" not in raw and "[" not in raw:
        return None
    for value in json_values(raw):
        label = _from_value(kind, value, read_text, 0, keyed=False)
        if label is not None:
            return label
    return None


def _from_value(kind: str, value: Any, read_text: ReadText, depth: int, keyed: bool, key: str = "") -> str | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, dict):
        return _from_object(kind, value, read_text, depth)
    if isinstance(value, list):
        # A list answers only when its members agree ([{"label": "yes"}], ["sad"]); a list of
        # options ["yes", "no"] does not.
        found = {_from_value(kind, v, read_text, depth + 1, keyed, key) for v in value[:20]}
        found.discard(None)
        return found.pop() if len(found) == 1 else None
    if not keyed:
        return None  # a bare string or number inside a list that no verdict key named
    if isinstance(value, bool):
        return _from_bool(kind, value, key)
    if isinstance(value, str) and value.strip():
        return read_text(value[:_MAX_SCAN])
    return None  # numbers, null: no label


def _from_object(kind: str, obj: dict, read_text: ReadText, depth: int) -> str | None:
    lowered = {str(k).strip().lower(): v for k, v in obj.items()}
    for key in VERDICT_KEYS:
        if key in lowered:
            label = _from_value(kind, lowered[key], read_text, depth + 1, keyed=True, key=key)
            if label is not None:
                return label
    for key, value in lowered.items():
        # a key that asks the task's own question ({"is_rumor": false}, {"recommend": "否"},
        # {"rumour": "no"}): a boolean or a label word answers it
        if _polar_key(kind, key) or (kind == "yesno" and _AUTHOR_KEY.fullmatch(key)):
            value = _as_flag(kind, key, value)
            label = _from_bool(kind, value, key) if isinstance(value, bool) else \
                _from_value(kind, value, read_text, depth + 1, keyed=True, key=key) if isinstance(value, str) else None
            if label is not None:
                return label
    for key, value in lowered.items():
        # the verdict under another name ({"predicted_emotion": "sad", "probabilities": {...}}) or the act ({"action": "skip"}),
        # after the question keys: {"will_interact": false, "action": "repost"} names the act weighed
        if key not in VERDICT_KEYS and isinstance(value, str) and _names_verdict(kind, key):
            label = _from_value(kind, value, read_text, depth + 1, keyed=True, key=key)
            if label is not None:
                return label
    for key, value in lowered.items():
        # a stated likelihood of the asked act ("likelihood of interaction: low", "点赞概率：高") reads as the sentence it abbreviates
        if kind == "yesno" and isinstance(value, str) and _LIKELIHOOD_KEY.search(key) and len(value) <= 40:
            label = read_text(f"{key.replace('_', ' ')} is {value}" if key.isascii() else f"{key}{value}")
            if label is not None:
                return label
    for key in _WRAPPERS:
        value = lowered.get(key)
        if isinstance(value, str) and value.lstrip().startswith(("{", "[")):
            value = _decode(value[:_MAX_SCAN])  # OpenAI tool calls carry their arguments as a JSON string
        if isinstance(value, (dict, list)):
            label = _from_value(kind, value, read_text, depth + 1, keyed=False)
            if label is not None:
                return label
    return None


_LIKELIHOOD_KEY = re.compile(r"(?<![a-z])(?:likelihood|probability|chance|odds)(?![a-z])|可能性|概率")


def _polar_key(kind: str, key: str) -> bool:
    """A boolean key that asks the task's own question ("is_rumor", "will_like", "is_true")."""
    if kind == "rumor":
        return bool(re.fullmatch(r"(?:is_?)?(?:a_?)?rumou?r|是否(?:为|是|属于)?谣言|是谣言|谣言", key))
    if kind == "yesno":
        return bool(re.fullmatch(r"(?:will|would)_?(?:user_?)?(?:like|repost|comment|share|reply|interact|engage|click|read)\w*|"
                                 r"is_?(?:interested|(?:the_?)?author|same_?user|written_?by_?(?:the_?)?user|recommended)|"
                                 # the authorship question as a check or a match ("authorship check: ✗", "same_author")
                                 r"authorship(?:_?(?:check|match|verdict))?|same_?author|author_?match|"
                                 r"(?:should_?)?recommend(?:ed|ation)?|推荐|(?:is_?)?(?:user_?)?(?:wrote|written|authored)(?:_?by_?(?:the_?)?user)?|"
                                 # 是否 + the asked act or authorship, in any order of its parts ("是否该用户所写")
                                 r"是否(?:会|为|是|由)?(?:该|本|此)?(?:用户)?(?:本人)?(?:所)?(?:点赞|转发|评论|感兴趣|推荐|写|发表|发布|本人)\w*", key))
    if kind == "mid":
        return bool(re.fullmatch(r"is_?(?:true|accurate|correct)", key))
    return False


#: A key naming the author, whose value says whether it is the same one ("author=same").
_AUTHOR_KEY = re.compile(r"(?:the_?)?(?:author|writer|authorship|same_?(?:author|user|person|writer))")
#: Values that answer a yes/no key as a flag: a number (recommend=0, "will_like": 1) or, for the
#: author, same or different.
_FLAGS = {"1": True, "0": False, "1.0": True, "0.0": False}
_SAME = {"same": True, "match": True, "matched": True, "matches": True, "identical": True,
         "different": False, "mismatch": False, "other": False, "another": False, "someone else": False}


def _as_flag(kind: str, key: str, value: Any) -> Any:
    """A yes/no key's value as a boolean where it is written as a flag; otherwise unchanged."""
    if kind != "yesno" or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().strip("\"'").lower()
        if word in _FLAGS:
            return _FLAGS[word]
        if _AUTHOR_KEY.fullmatch(key) and word in _SAME:
            return _SAME[word]
    return value


def names_verdict(kind: str, key: str) -> bool:
    """Whether a key (a table's header or row name too) holds the verdict."""
    return _names_verdict(kind, key)


def polar_label_key(kind: str, key: str) -> bool:
    """Whether a key asks the task's own question ("recommend", "is_rumor", "推荐")."""
    return _polar_key(kind, key)


def polar_label(kind: str, key: str, value: bool) -> str | None:
    """The label a boolean gives to a key that asks the task's question; None for other keys."""
    return _from_bool(kind, value, key) if _polar_key(kind, key.strip().lower()) else None


def _from_bool(kind: str, value: bool, key: str) -> str | None:
    if kind == "yesno":
        return "yes" if value else "no"
    if kind == "mid":
        return "true" if value else "false"
    if kind == "rumor" and _polar_key(kind, key):
        return "rumor" if value else "non-rumor"
    return None  # {"label": true} for an emotion or for "is it a rumour?": no reading is safe
