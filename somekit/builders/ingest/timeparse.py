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


def from_epoch(value) -> datetime | None:
    """Unix seconds (int/float/str) -> aware UTC datetime; None when absent."""
    if value is None or value == "":
        return None
    try:
        return datetime.fromtimestamp(float(value), timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


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
