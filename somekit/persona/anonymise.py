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

from ..errors import PersonaError

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


NAMES_ENV = "SOMEKIT_PII_NAMES"


def names_default() -> bool:
    """Whether personal names are scrubbed when nobody says: yes unless SOMEKIT_PII_NAMES is
    0/false/no/off. Never "no because a package is missing": that is an error naming the
    `persona` extra (persona/pii.py), not a silent fallback."""
    flag = os.environ.get(NAMES_ENV)
    if flag is not None:
        return flag.strip().lower() not in ("0", "false", "no", "off", "")
    return True


def scrub_text(text: str, names: bool | None = None) -> str:
    """Replace emails, phone numbers, URLs, @handles, IP addresses and DIDs (persona/pii.py) and,
    with `names` (default: names_default()), personal names by placeholder tokens."""
    if not text:
        return text
    from . import pii

    return _scrub(text, names if names is not None else names_default(), pii.NAME_SIGNALS)


@functools.lru_cache(maxsize=1 << 16)
def _scrub(text: str, names: bool, signals: tuple[str, ...]) -> str:
    """The cached work of scrub_text; `signals` is in the key so a change of name signals
    (bench/persona.py's baseline) never returns a result made with others."""
    from .pii import scrub_names, scrub_structured

    out = scrub_structured(text)
    return scrub_names(out) if names else out


def day_of(time_us: int | None) -> str | None:
    """UTC day 'YYYY-MM-DD' of a microsecond timestamp (the 'keep day' option)."""
    if time_us is None:
        return None
    import datetime as dt

    return dt.datetime.fromtimestamp(time_us / 1e6, dt.timezone.utc).strftime("%Y-%m-%d")


#: Namespace of BluePrint's 64-hex ids, so they never equal a plain SHA-256 of some other string.
_BLUEPRINT_NAMESPACE = b"somekit/blueprint-user\x00"


def blueprint_user_id(hashed_user: str | None) -> str:
    """64-hex id of a salted user id (empty string when unknown, e.g. an author outside the capture)."""
    if not hashed_user:
        return ""
    return hashlib.sha256(_BLUEPRINT_NAMESPACE + hashed_user.encode("utf-8")).hexdigest()
