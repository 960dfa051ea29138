"""Anonymisation: salted SHA-256 ids, placeholder tokens for personal data in text.

The salt comes from the environment (SOMEKIT_PERSONA_SALT) and only from there: a salt stored in
the workspace would travel with it (copies, backups) and let anyone holding a list of DIDs undo
the hashing by hashing the list. Without it the build stops with a clear message rather than
falling back to an unsalted (reversible) hash.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re

from . import PersonaError

SALT_ENV = "SOMEKIT_PERSONA_SALT"
MIN_SALT_CHARS = 16


def get_salt() -> bytes:
    """The persona salt from the environment; a PersonaError says how to set it when missing."""
    salt = os.environ.get(SALT_ENV, "")
    if len(salt) < MIN_SALT_CHARS:
        problem = "is not set" if not salt else f"is shorter than {MIN_SALT_CHARS} characters"
        raise PersonaError(
            f"{SALT_ENV} {problem}; persona ids are salted SHA-256 hashes and the salt is never stored "
            f"in the workspace. Set it, e.g. `export {SALT_ENV}=$(python -c 'import secrets; "
            f"print(secrets.token_hex(32))')`, and keep it private (the same salt gives the same ids).")
    return salt.encode("utf-8")


@functools.lru_cache(maxsize=1 << 18)
def hash_id(value: str, salt: bytes, kind: str = "u") -> str:
    """Salted SHA-256 of an id, shortened to 32 hex chars (128 bits: collisions are not a concern
    at social-network scale). `kind` separates namespaces so a user and a post never share a hash."""
    digest = hashlib.sha256(salt + b"\x00" + kind.encode() + b"\x00" + value.encode("utf-8")).hexdigest()
    return f"{kind}_{digest[:32]}"


# Order matters: URLs and at:// URIs contain DIDs and '@'; emails contain '@'; IPs look like
# phone numbers. Each pattern runs on the output of the previous ones.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("[URL]", re.compile(r"\b(?:https?|at|ftp|wss?)://[^\s<>\"']+|\bwww\.[^\s<>\"']+", re.I)),
    ("[EMAIL]", re.compile(r"\b[\w.+%-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")),
    ("[DID]", re.compile(r"\bdid:[a-z0-9]+:[A-Za-z0-9._:%-]+", re.I)),
    ("[HANDLE]", re.compile(r"(?<![\w@])@[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_]|(?<![\w@])@[A-Za-z0-9_]")),
    ("[IP]", re.compile(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")),
    ("[IP]", re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}(?::|[0-9A-Fa-f]{1,4})(?![\w:])|"
                        r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?(?![\w:])")),
    # A phone: 7+ digits in total, optionally grouped by spaces, dots, dashes or parentheses.
    ("[PHONE]", re.compile(r"(?<![\w+])\+?\(?\d(?:[\d\s().-]{5,}\d)(?!\w)")),
    # Bare domain names that are Bluesky handles (alice.bsky.social) or custom-domain handles of
    # the common registries, without the '@'.
    ("[HANDLE]", re.compile(r"\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:bsky\.social|bsky\.app)\b", re.I)),
    ("[URL]", re.compile(r"\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|app|social|me|co|uk|de|fr|jp|xyz|info)\b"
                         r"(?:/[^\s]*)?", re.I)),
)

_DIGITS = re.compile(r"\d")
#: Dates and times look like digit groups too; they are not phone numbers.
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")


def _phone(match: re.Match[str]) -> str:
    found = match.group()
    if len(_DIGITS.findall(found)) < 7 or _DATE.match(found.strip()):
        return found
    return "[PHONE]"


def scrub_text(text: str) -> str:
    """Replace emails, phone numbers, URLs, @handles, IP addresses and DIDs by placeholder tokens."""
    if not text:
        return text
    # Cheap pre-checks: most posts hold none of the trigger characters, and nine regex passes
    # over every text dominate a build otherwise.
    has_at, has_dot, has_colon = "@" in text, "." in text, ":" in text
    digits = len(_DIGITS.findall(text))
    for token, pattern in _PATTERNS:
        if token in ("[EMAIL]", "[HANDLE]") and not (has_at or (has_dot and token == "[HANDLE]")):
            continue
        if token in ("[URL]", "[IP]") and not (has_dot or has_colon):
            continue
        if token == "[DID]" and not has_colon:
            continue
        if token == "[PHONE]" and digits < 7:
            continue
        if token == "[PHONE]":
            text = pattern.sub(_phone, text)
        else:
            text = pattern.sub(token, text)
    return text


def day_of(time_us: int | None) -> str | None:
    """UTC day 'YYYY-MM-DD' of a microsecond timestamp (the 'keep day' option)."""
    if time_us is None:
        return None
    import datetime as dt

    return dt.datetime.fromtimestamp(time_us / 1e6, dt.timezone.utc).strftime("%Y-%m-%d")
