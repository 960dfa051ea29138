"""Personal data a pattern can decide: URLs, emails (obfuscated ones too), phone numbers, IPv4/IPv6
addresses, DIDs and @handles in any script.

URLs are any scheme, `www.`, and bare domains whose top-level domain is in the Public Suffix
List (`alice.example.ai` goes, `index.html` and `v1.2.3` stay). Emails include the obfuscated
forms (`alice [at] gmail [dot] com`, `bob(at)x(dot)org`, `carol at example dot com`). Handles
are `@` plus word characters of any script (`@张三`, `@alice.example.ai`, and Chinese mentions
written straight after a word: 问问@张伟, 回复@张伟). Look-alikes are left alone on purpose: dates
(`2024.11.30`, `30/11/2024`), times (`10:30:45`), versions (`v2.10.4`, `3.11.2`) and prices
(`$1,299.99`, `1.234,56 €`) are not phone numbers or IPs. Names are persona/pii.py's.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_TLD = r"[A-Za-z]{2,24}"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_AT = r"(?:\s*(?:\[at\]|\(at\)|\{at\}|<at>|\[@\]|\(@\))\s*|\s+(?:at|AT)\s+)"
_DOT = r"(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|<dot>|\[\.\]|\(\.\))\s*|\s+(?:dot|DOT)\s+)"


@functools.lru_cache(maxsize=1)
def _psl() -> Any:
    try:
        from publicsuffixlist import PublicSuffixList
    except ImportError:  # pragma: no cover - declared dependency
        return None
    return PublicSuffixList(accept_unknown=False)


#: Top-level domains accepted when the Public Suffix List is unavailable.
_FALLBACK_TLDS = frozenset("com org net io dev app social me co uk de fr jp xyz info ai cn ru br in eu us ca au".split())


def is_tld(label: str) -> bool:
    psl = _psl()
    label = label.lower()
    if psl is None:
        return label in _FALLBACK_TLDS
    return psl.publicsuffix(f"x.{label}") == label


_URL = re.compile(r"\b(?:https?|at|ftp|wss?)://[^\s<>\"']+|\bwww\.[^\s<>\"']+", re.I)
_EMAIL = re.compile(rf"[\w.+%-]+@{_LABEL}(?:\.{_LABEL})*\.{_TLD}\b")
_EMAIL_OBFUSCATED = re.compile(
    rf"(?<![\w.])[\w.+%-]+{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}\b", re.I)
_DID = re.compile(r"\bdid:[a-z0-9]+:[A-Za-z0-9._:%-]+", re.I)
#: @handles in any script: `\w` is Unicode, so @张三 and @José are handles too. An ASCII word
#: character before '@' makes it user@host, unless what follows is not ASCII: no host is
#: written in Han script, so cc@金星 is a mention; Chinese text writes mentions right after a
#: word (问问@张伟, 回复@张伟).
_HANDLE = re.compile(r"(?<![A-Za-z0-9_@.])@\w(?:[\w.-]*\w)?|(?<=[A-Za-z0-9_])@[^\W\x00-\x7f](?:[\w.-]*\w)?")
_IPV4 = re.compile(r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w.]\d|\w)")
#: IPv6: eight groups, or a compressed form with '::' (a time like 10:30:45 has neither).
_IPV6 = re.compile(r"(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
                   r"|(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?"
                   r"|::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})(?![\w:])")
#: Phone candidates: digits with spaces, dots, dashes or parentheses between them; decided by
#: _is_phone (how many digits, which shapes).
_PHONE = re.compile(r"(?<![\w+$€£¥.,:/-])(?:\+|00)?\(?\d[\d\s().-]{5,}\d(?![\w%])(?![.,:/-]\d)")
_BARE_DOMAIN = re.compile(rf"(?<![\w@.-])(?:{_LABEL}\.)+({_TLD})\b(?:/[^\s<>\"']*)?")

_DATE_SHAPES = re.compile(r"^(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})$")
_RANGE = re.compile(r"^\d{4}\s*-\s*\d{4}$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[ .]\d{3})+$")


def _is_phone(found: str) -> bool:
    s = found.strip()
    digits = sum(c.isdigit() for c in s)
    if digits < 7 or digits > 15 or _DATE_SHAPES.match(s) or _RANGE.match(s):
        return False
    international = s.startswith(("+", "00", "("))
    if s.isdigit() and not 10 <= digits <= 11:
        return False  # a bare number (299792458) is a phone only at a phone's length
    if not international and _THOUSANDS.match(s):
        return False  # 1 234 567 or 1.234.567: a number, not a phone
    groups = [g for g in re.split(r"[\s().-]+", s.strip("+()")) if g]
    if not international and "." in s and re.fullmatch(r"[\d.]+", s):
        # Dots only: a version or build number (10.0.19041.1) unless it has a phone's shape.
        sizes = [len(g) for g in groups]
        return sizes == [3, 3, 4] or (len(sizes) >= 4 and all(n == 2 for n in sizes))
    return digits >= 9 or re.fullmatch(r"\(?\d{3}\)?[\s.-]\d{3,4}([\s.-]\d{4})?", s) is not None


#: Words that make "x at y dot com" a sentence, not an address ("look at this dot com bubble").
_PLAIN_WORDS = frozenset("this that the a an my your his her our their it its me you him them us one".split())


def _obfuscated_email(match: re.Match[str]) -> str:
    found = match.group()
    if re.search(r"[\[\](){}<>]", found):  # bracketed [at] / (dot): written to hide an address
        return "[EMAIL]"
    words = [w.lower() for w in re.split(r"\s+(?:at|dot)\s+", found, flags=re.I)]
    return found if any(w in _PLAIN_WORDS for w in words) else "[EMAIL]"


def _domain(match: re.Match[str]) -> str:
    if not is_tld(match.group(1)):
        return match.group()
    host = match.group().split("/", 1)[0].lower()
    return "[HANDLE]" if host.endswith((".bsky.social", ".bsky.app")) else "[URL]"


def scrub_structured(text: str) -> str:
    """Replace URLs, emails, DIDs, handles, IPs and phone numbers by placeholder tokens.
    Order matters: URLs and at:// URIs contain DIDs and '@'; emails contain '@'; IPs look like
    phone numbers; bare domains last, so an email's domain is gone before."""
    if not text:
        return text
    text = _URL.sub("[URL]", text)
    if "@" in text:
        text = _EMAIL.sub("[EMAIL]", text)
    text = _EMAIL_OBFUSCATED.sub(_obfuscated_email, text)
    if ":" in text:
        text = _DID.sub("[DID]", text)
        text = _IPV6.sub("[IP]", text)
    if "@" in text:
        text = _HANDLE.sub("[HANDLE]", text)
    if "." in text:
        text = _IPV4.sub("[IP]", text)
    text = _PHONE.sub(lambda m: "[PHONE]" if _is_phone(m.group()) else m.group(), text)
    if "." in text:
        text = _BARE_DOMAIN.sub(_domain, text)
    return text
