"""Cleaning an agent's answer and cutting it into clauses with their role in the argument.

A verdict lives in one clause; its negations and hedges only count inside that clause. Roles:
  question   an echoed question ("Will the user like it?", "是否会点赞") - never a verdict
  heading    a short phrase ending in ':' ("Answer:", "Analysis:") - a verdict only when it is a bare label
  reason     after because/since/因为/由于, or a condition (if/如果/虽然/although) - never a verdict
  final      after so/therefore/overall/因此/所以/综上 - outranks the other clauses
  contrast   after but/however/但/不过/而是 - outranks what came before it
  plain      anything else
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.S)
_MARKDOWN = re.compile(r"\*+|`+|~~|^\s*#+\s*|^\s*>+\s*|(?<![a-z0-9])_+|_+(?![a-z0-9])|\\", re.M)
#: Certainty idioms that contain a negation word but assert ("No doubt, they will comment").
_CERTAINTY = re.compile(r"\bno doubt(?: about it)?\b|\bwithout (?:a |any )?doubt\b|\bundoubtedly\b|\bno question(?: about it)?\b|"
                        r"\bnot only\b|\bnothing but\b|毫无疑问|毋庸置疑|无疑|不仅|不但|不光|不止|没错")
#: "yes or no", "是/否", "true, half or false": the question's options echoed back.
_OPTIONS = re.compile(r"[\"'“”‘’「」]?\b(?:yes|no)\b[\"'“”‘’「」]?\s*(?:or|/)\s*[\"'“”‘’「」]?\b(?:yes|no)\b[\"'“”‘’「」]?|"
                      r"[\"“”‘’「」]?[是否][\"“”‘’「」]?\s*(?:或|或者|还是|/)\s*[\"“”‘’「」]?[是否][\"“”‘’「」]?")


_BARE_CONTRACTION = re.compile(r"\b(would|could|should|do|does|did|is|are|was|were|ca|wo|have|has|had)nt\b")
#: Arrows introduce a conclusion ("... -> not a rumour"); emoji and other pictographs end a phrase.
_ARROW = re.compile(r"\s*(?:→|⇒|⟹|⟶|➜|➔|➡|⇨|=>|->|-->)\s*")


def _symbols_to_commas(t: str) -> str:
    return "".join(", " if unicodedata.category(ch) in ("So", "Cs", "Co") else ch for ch in t)


def clean(text: str) -> str:
    """NFKC (full-width punctuation becomes ASCII), lower case, no reasoning block, no markdown."""
    t = unicodedata.normalize("NFKC", text)
    t = _THINK.sub(" ", t).lower()
    t = _ARROW.sub(" ; so ", t)
    t = _symbols_to_commas(t)
    t = _MARKDOWN.sub(" ", t)
    t = t.replace("’", "'").replace("‘", "'")
    t = _BARE_CONTRACTION.sub(lambda m: m.group(1) + "n't", t)   # "wouldnt care" is "wouldn't care"
    t = _CERTAINTY.sub(" ", t)
    t = _OPTIONS.sub(" ", t)
    return re.sub(r"[ \t\u3000]+", " ", t).strip()


@dataclass
class Clause:
    text: str
    role: str          # plain | question | reason | final | contrast


_SENTENCE = re.compile(r"(?<=[。!?;\n])|(?<=(?<!\d)\.(?!\d))|(?<=:)|"
                       # a number that closes a sentence inside a line ("in my top 2. Recommend."), not a list item's
                       r"(?<=[a-z] \d\.)(?= )|(?<=[a-z] \d\d\.)(?= )|"
                       # a decimal that closes a sentence ("self-similarity of ~0.7. 否.")
                       r"(?<=\d\.\d\.)(?=\s)|(?<=\d\.\d\d\.)(?=\s)")
_COMMA = re.compile(r"(?<=[,，、—–])|(?=\s-\s)")

#: "so" concludes, except as the object of a verb of opinion ("I don't think so — wrong topic").
_FINAL = (r"(?<!\bthink )(?<!\bbelieve )(?<!\bguess )(?<!\bexpect )(?<!\bhope )(?<!\bsuppose )(?<!\bsay )\bso\b(?![\s.!?,;]*$)|\btherefore\b|\bthus\b|\bhence\b|\boverall\b|\bin conclusion\b|\bin summary\b|\bto sum up\b|"
          r"\bultimately\b|\bin the end\b|\ball in all\b|\bin short\b|\bconsequently\b|\bfinal(?:ly)?\b|\bmy verdict\b|"
          # weighing the parts and landing: "putting those together", "on balance", "that makes it half true"
          r"\b(?:putting|taking|taken|put) (?:it|this|that|those|these|them|everything|both|the (?:two|parts|pieces))(?: all)? together\b|"
          r"\btaken together\b|\bon balance\b|\ball (?:things )?considered\b|\bbottom line\b|\bnet(?: net|-net)?,|"
          r"\b(?:that|this|which) (?:makes|leaves) (?:it|this|the claim|the post|the answer)\b|"
          r"因此|所以|因而|综上|总之|总的来说|总而言之|归根结底|权衡(?:之下|下来|一下)|两相权衡|这样(?:看|说)来|"
          r"总体(?:来看|而言)?|综合(?:来看|考虑|判断|分析|以上)?|最终|结论|由此可见|故而|整体(?:来看|而言)")
_CONTRAST = r"\bbut\b|\bhowever\b|\byet\b|\binstead\b(?! of)|(?<!'d )(?<!would )\brather\b(?! than)|\bnevertheless\b|\bnonetheless\b|但是|但|不过|然而|可是|而是|反而"
_REASON = r"\bbecause\b|\bsince\b|\bgiven that\b|\bas the user\b|\bdue to\b|因为|由于|鉴于|考虑到"
_CONDITION = (r"^(?:\W*)(?:if|unless|although|though|even though|even if|while|whereas|when|admittedly|granted)\b|"
              r"^(?:\W*)(?:如果|假如|要是|除非|虽然|尽管|即使|即便|哪怕|若|不排除|不可否认|诚然|固然)|"
              # the asked act as a supposition: "推荐的话大概率会被她划走", "判成谣言的话……"
              r"^(?:\W*)(?:不)?(?:推荐|推|转发|点赞|评论|认定|判为|判成|算作?|当成|定为)[^,，。]{0,6}的话")
#: A sentence that opens as an aside after the verdict ("Note: ...", "注：...", "P.S."): it
#: comments on the answer and never revises it.
_ASIDE = re.compile(r"^\W*(?:(?:(?:one|a|an|another|small|minor|quick|final|last|side) ){0,2}(?:note|notes|ps|p\.s|n\.b|nb|by the way|btw|side note|fyi|caveat|confidence|disclaimer)\b|"
                    r"注|备注|附注|补充|顺便|另注|说明|置信度)")
_ECHO = r"\bwhether\b|\bif (?:the|this|that|they|he|she|it|a|an|user)\b|是否|是不是|会不会|能否|有没有|要不要|[\u4e00-\u9fff]{1,4}与否"
_SPLIT = re.compile(rf"(?=(?:{_FINAL}|{_CONTRAST}|{_REASON}))")


#: A counterfactual or hypothetical ("If it were a paid promotion, I'd say no", "如果是广告，我会说否"),
#: also after a contrast word ("However, if she were offline, no"):
#: what follows it in its sentence, up to a contrast or a conclusion, describes another world.
_HYPOTHETICAL = re.compile(r"^\W*(?:(?:but|however|yet|still|though|但是?|不过|可是)\W+)?(?:if|unless|suppose|supposing|assuming|imagine|had (?:the|this|it|they|he|she|i)|"
                           r"were (?:the|this|it|they)|如果|假如|要是|假设|倘若|若是?|万一|假使|设想)")
#: ...except the answerer's own forced choice ("If I had to pick, no"): that is a hedged verdict.
_OWN_CHOICE = re.compile(r"^\W*(?:if (?:i|we) (?:had|have|were|was|am|must|need) to|if (?:i|we) must|if forced|if pressed|"
                         r"if (?:i'm|i am|we're) forced|if you (?:force|make|ask) me|if i'm honest|if anything|"
                         r"如果(?:一定|非|硬|必须)?要(?:我)?(?:选|猜|回答|判断|说)|如果(?:必须|非得|一定)|如果让我)")
#: "I'd say yes if ...": a would-verdict bound to a condition later in its sentence.
_WOULD_IF = re.compile(r"(?:\bwould\b|'d\b|我会说|我会选|就会)[^.;!?。]*?(?:\bif\b(?! (?:i|we) (?:had|have|must))|如果|假如|要是)")
#: A counterfactual opened inside a sentence ("..., so if the question were about commenting I'd
#: say no"): "if" with a subjunctive "were" or "had been" reaches on from there.
#: (Only after a comma or "so"/"and": "yes, even if it were dull" and "as if they were" keep their verdict.)
_IF_WERE = re.compile(r"(?:(?<=, )|(?<=; )|(?<=\bso )|(?<=\band ))(?:if|unless)\b(?=[^.;!?。]*?\b(?:were|had been)\b)|"
                      r"(?<=[，,；;])\s*(?:所以)?(?:如果|假如|要是|假设|倘若)(?=[^。;；!?]*?(?:的话|我会|就会))")
_TURN = re.compile(rf"{_CONTRAST}|{_FINAL}")


def hypothetical_end(sentence: str) -> int:
    """How far a counterfactual reaches into the sentence (0: it is not one): up to its first
    contrast or conclusion word, else to its end."""
    start = 0
    if not (_HYPOTHETICAL.match(sentence) and not _OWN_CHOICE.match(sentence)):
        m = _WOULD_IF.search(sentence) or _IF_WERE.search(sentence)
        if not m or _OWN_CHOICE.match(sentence[m.start():]):
            return 0
        start = m.start()
    turn = _TURN.search(sentence, start + 2)
    return turn.start() if turn else len(sentence)


@lru_cache(maxsize=8)   # the marker rule asks once per marker; the clause rule once more
def _sentences(text: str) -> tuple[tuple[int, str, int, bool], ...]:
    """(offset, sentence, how much of it cannot hold the verdict, whether it is an aside) for each
    sentence: all of an aside after the answer ("Note: ..." up to its sentence end), else a
    counterfactual's reach."""
    out, offset, aside = [], 0, False
    for sentence in _SENTENCE.split(text):
        opens = bool(out) and bool(_ASIDE.match(sentence))
        reach = len(sentence) if (opens or aside) else hypothetical_end(sentence)
        # "Note:" and "If it were about style:" run on past their colon
        was_aside = opens or aside
        aside = reach == len(sentence) and sentence.rstrip().endswith(":") and (opens or aside or reach > 0)
        out.append((offset, sentence, reach, was_aside))
        offset += len(sentence)
    return tuple(out)


def in_hypothetical(text: str, pos: int) -> bool:
    """Whether the position lies in a counterfactual's reach or in an aside (see _sentences)."""
    return any(offset <= pos < offset + len(sentence) and pos - offset < reach for offset, sentence, reach, _ in _sentences(text))


#: The tail of a list ("anger, sadness or joy", "愤怒、悲伤或喜悦"): it belongs to the clause before.
_LIST_TAIL = re.compile(r"^\s*(?:[^\s,、]+\s+){0,2}[^\s,、]+\s+(?:or|and|nor)\s+[^\s,、]+(?:\s+[^\s,、]+)?\s*[.!?]?\s*$|"
                        r"^\s*[^\s,、]{1,6}(?:或者?|和|与|及)[^\s,、]{1,6}[。!?]?\s*$")


def _list_parts(sentence: str) -> list[str]:
    """The sentence cut at commas, a list's members kept together (offsets add up to the sentence)."""
    parts: list[str] = []
    for part in _COMMA.split(sentence):
        if parts and parts[-1].rstrip().endswith((",", "、", "，")) and _LIST_TAIL.match(part):
            parts[-1] += part
        else:
            parts.append(part)
    return parts


def statements(text: str) -> str:
    """The text without its question sentences (an echoed "会还是不会？" asks, it does not hedge)."""
    return "".join(s for s in _SENTENCE.split(text) if not _is_question(s))


def _is_question(seg: str) -> bool:
    s = seg.strip()
    return s.endswith("?") or bool(re.search(r"[吗呢嘛][\s\"”'。.]*$", s))


def clauses(text: str) -> list[Clause]:
    """The cleaned text as clauses in order, each with its role."""
    out: list[Clause] = []
    answers_possibility = False
    sentences = _sentences(text)
    questions = [i for i, (_, sentence, _, _) in enumerate(sentences) if _is_question(sentence)]
    for i, (_, sentence, reach, aside) in enumerate(sentences):
        if not sentence.strip():
            continue
        question = _is_question(sentence)
        if not question and answers_possibility:
            # "Could they like it? Sure, anything is possible. Will they? ... no.": the reply to a
            # question about what is possible grants a possibility; the later question asks for the verdict
            reach, answers_possibility = len(sentence), False
        elif question:
            answers_possibility = bool(_ASKS_POSSIBILITY.match(sentence)) and questions[-1] > i
        offset = 0
        concluded = False
        first = len(out)
        for part in _list_parts(sentence):
            for raw_piece in _SPLIT.split(part):
                at, offset = offset, offset + len(raw_piece)
                piece = raw_piece.strip(" ,，、-—–")
                if not piece:
                    continue
                heading = piece.endswith(":") and (len(piece.split()) <= 3 if piece.isascii() else len(piece) <= 9)
                role = "question" if question else "heading" if heading else _role(piece)
                if at < reach and role != "question" and (aside or role not in ("contrast", "final")):
                    role = "reason"   # inside a counterfactual, or anywhere in an aside: never the verdict
                if role == "final":
                    concluded = True
                elif concluded and role == "plain":
                    role = "final"    # a conclusion reaches to the end of its sentence
                out.append(Clause(piece, role))
        if any(c.role == "contrast" for c in out[first:]):
            for i in range(first, len(out)):
                if out[i].role == "contrast":
                    break
                if _CONCEDES.match(out[i].text):
                    out[i] = Clause(out[i].text, "reason")   # "She follows him, sure, but ...": a concession
    return out


#: A question about what is possible rather than what will happen ("Could they like it?", "有没有可能？").
_ASKS_POSSIBILITY = re.compile(r"^\W*(?:could|can|might|may|is it possible|is it conceivable|would it be possible)\b|"
                               r"^\W*(?:有没有可能|有可能吗|可不可能|可能吗)")


#: A word that grants a point, when a contrast follows it in its sentence ("sure, but", "确实……但").
_CONCEDES = re.compile(r"^\W*(?:sure|granted|of course|fair enough|admittedly|确实|当然|诚然|没错)\W*$")


#: A clause that takes back what came before ("wait", "on second thought", "不对"): it turns the
#: argument like a contrast, and no opening verdict stands against it (extract.py).
RETRACTS = re.compile(r"^\W*(?:wait|actually|on second thought|on reflection|scratch that|correction|hmm+|no wait|"
                      r"等等|等一下|不对|再想想|转念一想|改口|更正|修正)")


#: A view the answerer held before and then left ("at first I thought half true", "起初我以为是谣言"):
#: never the verdict, wherever it stands in its sentence.
_SUPERSEDED = re.compile(r"\b(?:at first|initially|originally|my (?:first|initial|gut) (?:thought|instinct|impression|reaction|guess|read|answer|call|take))\b|"
                         # a verdict about to be given and then not: "I was going to say false", "I almost picked yes"
                         r"\bi (?:was|had been) (?:going|about|ready|tempted) to (?:say|answer|pick|choose|go with|call it|label it|mark it)\b|"
                         r"\bi (?:almost|nearly) (?:said|answered|picked|chose|went with|called it|labell?ed it)\b|"
                         r"\bi(?:'m| am) tempted to (?:say|answer|pick|choose|go with|call it)\b|"
                         r"\b(?:it's|it is|it'd be|it would be) (?:tempting|easy) to (?:say|predict|answer|call|assume|think|go with|read)\b|"
                         r"\b(?:one|you|someone) (?:might|could|would) (?:say|think|predict|expect|assume)\b|"
                         r"很容易(?:认为|以为|判断|觉得)|(?:乍看|表面上)(?:会|像)|"
                         r"\b(?:earlier i (?:said|thought|answered)|i (?:said|thought|answered) (?:earlier|before|previously)|i previously (?:said|thought|answered))\b|"
                         r"(?:我)?(?:之前|刚才|前面|先前)(?:说|判断|认为|以为|答|选)|"
                         # someone else's view, reported: "有人说这是谣言", "some users call it fake"
                         r"^\W*(?:也|还)?有人(?:说|认为|觉得|称)|^\W*(?:网上|网友|评论区)(?:有人)?(?:说|认为|称)|"
                         r"^\W*(?:some|many|other|critics|others)(?: \w+)? (?:(?:will|would|might|may|could|have|has) )?(?:say|said|claim|claimed|call|called|think|argue|"
                         r"rate|rated|label|labell?ed|read|see|saw)\b|"
                         r"起初|一开始|最初|原本以为|本来以为|原以为|乍一?看|(?:本来|原本|刚才|一度)(?:想|打算|准备)(?:说|选|判|答)|差点(?:就)?(?:说|选|判|答)")


#: "只是" / "只不过" opening a clause limit what came before ("不是不可能点赞，只是这次不会"): a contrast;
#: inside a clause "只是" means "just" and turns nothing.
_LIMITING = re.compile(r"^\W*(?:只是|只不过|就是说)|^\W*it's just that\b")


def _role(piece: str) -> str:
    if RETRACTS.match(piece):
        return "contrast"
    if re.match(rf"(?:\W*)(?:{_REASON})", piece) or re.search(_CONDITION, piece) or _SUPERSEDED.search(piece):
        return "reason"
    if re.match(rf"(?:\W*)(?:{_FINAL})", piece):
        return "final"
    if re.match(rf"(?:\W*)(?:{_CONTRAST})", piece) or _LIMITING.match(piece):
        return "contrast"
    return "plain"


def cut_echo(text: str) -> tuple[str, bool]:
    """The clause up to an embedded question ('I can't tell whether ...', '判断是否会...'); True
    when something was cut."""
    m = re.search(_ECHO, text)
    return (text[:m.start()], True) if m else (text, False)
