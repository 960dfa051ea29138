"""Cleaning an agent's answer and cutting it into clauses with their role in the argument.

A verdict lives in one clause; its negations and hedges only count inside that clause. Roles:
  question   an echoed question ("Will the user like it?", "是否会点赞") - never a verdict
  reason     after because/since/因为/由于, or a condition (if/如果/虽然/although) - never a verdict
  final      after so/therefore/overall/因此/所以/综上 - outranks the other clauses
  contrast   after but/however/但/不过/而是 - outranks what came before it
  plain      anything else
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.S)
_MARKDOWN = re.compile(r"\*+|`+|~~|^\s*#+\s*|^\s*>+\s*|(?<![a-z0-9])_+|_+(?![a-z0-9])|\\", re.M)
#: Certainty idioms that contain a negation word but assert ("No doubt, they will comment").
_CERTAINTY = re.compile(r"\bno doubt(?: about it)?\b|\bwithout (?:a |any )?doubt\b|\bundoubtedly\b|\bno question(?: about it)?\b|"
                        r"\bnot only\b|\bnothing but\b|毫无疑问|毋庸置疑|无疑|不仅|不但|不光|不止|没错")
#: "yes or no", "是/否", "true, half or false": the question's options echoed back.
_OPTIONS = re.compile(r"[\"'“”‘’「」]?\b(?:yes|no)\b[\"'“”‘’「」]?\s*(?:or|/)\s*[\"'“”‘’「」]?\b(?:yes|no)\b[\"'“”‘’「」]?|"
                      r"[\"“”‘’「」]?[是否][\"“”‘’「」]?\s*(?:或|或者|还是|/)\s*[\"“”‘’「」]?[是否][\"“”‘’「」]?")


def clean(text: str) -> str:
    """NFKC (full-width punctuation becomes ASCII), lower case, no reasoning block, no markdown."""
    t = unicodedata.normalize("NFKC", text)
    t = _THINK.sub(" ", t).lower()
    t = _MARKDOWN.sub(" ", t)
    t = t.replace("’", "'").replace("‘", "'")
    t = _CERTAINTY.sub(" ", t)
    t = _OPTIONS.sub(" ", t)
    return re.sub(r"[ \t\u3000]+", " ", t).strip()


@dataclass
class Clause:
    text: str
    role: str          # plain | question | reason | final | contrast


_SENTENCE = re.compile(r"(?<=[。!?;\n])|(?<=(?<!\d)\.(?!\d))|(?<=:)")
_COMMA = re.compile(r"(?<=[,，、—–])|(?=\s-\s)")

_FINAL = (r"\bso\b|\btherefore\b|\bthus\b|\bhence\b|\boverall\b|\bin conclusion\b|\bin summary\b|\bto sum up\b|"
          r"\bultimately\b|\bin the end\b|\ball in all\b|\bin short\b|\bconsequently\b|\bfinal(?:ly)?\b|\bmy verdict\b|"
          r"因此|所以|因而|综上|总之|总的来说|总体(?:来看|而言)?|综合(?:来看|考虑|判断|分析|以上)?|最终|结论|由此可见|故而|整体(?:来看|而言)")
_CONTRAST = r"\bbut\b|\bhowever\b|\byet\b|\binstead\b|\brather\b|\bnevertheless\b|\bnonetheless\b|但是|但|不过|然而|可是|而是|反而"
_REASON = r"\bbecause\b|\bsince\b|\bgiven that\b|\bas the user\b|\bdue to\b|因为|由于|鉴于|考虑到"
_CONDITION = (r"^(?:\W*)(?:if|unless|although|though|even though|even if|while|whereas|when)\b|"
              r"^(?:\W*)(?:如果|假如|要是|除非|虽然|尽管|即使|即便|哪怕|若)")
_ECHO = r"\bwhether\b|\bif (?:the|this|that|they|he|she|it|a|an|user)\b|是否|是不是|会不会|能否|有没有|要不要"
_SPLIT = re.compile(rf"(?=(?:{_FINAL}|{_CONTRAST}|{_REASON}))")


def _is_question(seg: str) -> bool:
    s = seg.strip()
    return s.endswith("?") or bool(re.search(r"[吗呢嘛][\s\"”'。.]*$", s))


def clauses(text: str) -> list[Clause]:
    """The cleaned text as clauses in order, each with its role."""
    out: list[Clause] = []
    for sentence in _SENTENCE.split(text):
        if not sentence.strip():
            continue
        question = _is_question(sentence)
        for part in _COMMA.split(sentence):
            for piece in _SPLIT.split(part):
                piece = piece.strip(" ,，、-—–")
                if not piece:
                    continue
                heading = piece.endswith(":") and (len(piece.split()) <= 3 if piece.isascii() else len(piece) <= 9)
                out.append(Clause(piece, "question" if question or heading else _role(piece)))
    return out


def _role(piece: str) -> str:
    if re.match(rf"(?:\W*)(?:{_REASON})", piece) or re.search(_CONDITION, piece):
        return "reason"
    if re.match(rf"(?:\W*)(?:{_FINAL})", piece):
        return "final"
    if re.match(rf"(?:\W*)(?:{_CONTRAST})", piece):
        return "contrast"
    return "plain"


def cut_echo(text: str) -> tuple[str, bool]:
    """The clause up to an embedded question ('I can't tell whether ...', '判断是否会...'); True
    when something was cut."""
    m = re.search(_ECHO, text)
    return (text[:m.start()], True) if m else (text, False)
