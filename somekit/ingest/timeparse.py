"""Date parsing for the formats crawls actually contain."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

#: Weibo shows China Standard Time; stored times are UTC.
CST = timezone(timedelta(hours=8))
_FULL = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_NO_YEAR = re.compile(r"^(\d{1,2})月(\d{1,2})日\s*(\d{1,2}):(\d{2})$")


def parse_weibo_date(text: str, reference: datetime | None = None) -> datetime | None:
    """'2013-10-05 19:37:52' or '10月06日 22:24' (no year: the year of `reference`, rolled forward
    when that would put the date before the reference) -> aware UTC datetime; None if unparseable."""
    text = (text or "").strip()
    m = _FULL.match(text)
    if m:
        y, mo, d, h, mi, s = (int(x) if x else 0 for x in m.groups())
        try:
            return datetime(y, mo, d, h, mi, s, tzinfo=CST).astimezone(timezone.utc)
        except ValueError:
            return None
    m = _NO_YEAR.match(text)
    if m and reference is not None:
        mo, d, h, mi = (int(x) for x in m.groups())
        ref = reference.astimezone(CST)
        try:
            dt = datetime(ref.year, mo, d, h, mi, tzinfo=CST)
            if dt < ref - timedelta(days=1):
                dt = dt.replace(year=ref.year + 1)
        except ValueError:
            return None
        return dt.astimezone(timezone.utc)
    return None


#: Epoch values at or above this are milliseconds: 1e11 seconds is the year 5138, 1e11 ms is 1973.
_MS_FROM = 100_000_000_000
_EPOCH_STR = re.compile(r"^-?\d+(?:\.\d+)?$")


def from_epoch(value) -> datetime | None:
    """Unix seconds or milliseconds (int/float/numeric str) -> aware UTC datetime; None when absent
    or not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(value)
        if abs(number) >= _MS_FROM:
            number /= 1000.0
        return datetime.fromtimestamp(number, timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def parse_time(value, reference: datetime | None = None) -> datetime | None:
    """Any time a crawl writes -> aware UTC datetime, None if it is none of them:
    epoch seconds or milliseconds (int, float or a string of digits), Weibo's display forms
    (see parse_weibo_date; `reference` resolves year-less dates), ISO 8601 with or without an
    offset ('Z', '+08:00'; naive = China time) and the Weibo API form."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return from_epoch(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _EPOCH_STR.match(text):
        return from_epoch(text)
    return parse_weibo_date(text, reference) or parse_any_time(text)


#: What parse_time accepts, for error messages.
TIME_FORMS = ("'YYYY-MM-DD HH:MM[:SS]' (China time), 'MM月DD日 HH:MM', epoch seconds or milliseconds, "
              "ISO 8601 with an optional offset")


_WEIBO_API = "%a %b %d %H:%M:%S %z %Y"   # 'Mon Jan 20 12:00:00 +0800 2025' (Weibo API)


def parse_any_time(text: str) -> datetime | None:
    """ISO 8601 (naive = China time), Weibo's API format or '2025-01-20 12:00' -> aware UTC."""
    text = (text or "").strip()
    if not text:
        return None
    dt = parse_weibo_date(text)
    if dt is not None:
        return dt
    for parse in (lambda t: datetime.fromisoformat(t.replace("Z", "+00:00")), lambda t: datetime.strptime(t, _WEIBO_API)):
        try:
            dt = parse(text)
        except ValueError:
            continue
        return (dt if dt.tzinfo else dt.replace(tzinfo=CST)).astimezone(timezone.utc)
    return None
