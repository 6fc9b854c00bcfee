"""Platform timestamps to aware datetimes, read in the platform's zone relative to a given `now`.

Handles what the five inboxes show: ISO 8601 (`time[datetime]`), absolute dates with or without a
year, US numeric dates, "Today 3:41pm", "Yesterday", "Mon 11:02am", "12 Nov", "8h ago",
"5 minutes ago", "just now", and abbreviated zones (EST/EDT/CT/PT...). Anything else goes to
dateparser; what nobody can read comes back as ParsedTime(at=None, error=...), never as "now".
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from ingest.types import ParsedTime

# Fixed-offset abbreviations carry their own offset; generic ones (ET, PT) follow the zone's DST.
_FIXED_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "BST": 1,
}
_GENERIC_ZONES = {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"), ("thu", "thur", "thurs", "thursday"),
         ("fri", "friday"), ("sat", "saturday"), ("sun", "sunday")]
    )
    for name in names
}
_UNITS = {
    "s": "seconds", "sec": "seconds", "secs": "seconds", "second": "seconds", "seconds": "seconds",
    "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
}
_MONTH_UNITS = {"mo": 1, "mos": 1, "month": 1, "months": 1, "y": 12, "yr": 12, "yrs": 12, "year": 12, "years": 12}

_TIME = r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
_ZONE = r"(?:\s*(?P<zone>[A-Z]{1,4}))?"
_AGO = re.compile(r"^(?:about\s+)?(?P<n>\d+|an?|one)\s*(?P<unit>[a-z]+)\.?\s+ago$")
_RELATIVE_DAY = re.compile(rf"^(?P<day>today|yesterday)(?:,?\s*(?:at\s+)?{_TIME})?{_ZONE}$", re.I)
_WEEKDAY = re.compile(rf"^(?P<weekday>[a-z]+)\.?,?(?:\s+(?:at\s+)?{_TIME})?{_ZONE}$", re.I)
_DAY_MONTH = re.compile(
    rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>[a-z]+)\.?,?(?:\s+(?P<y>\d{{4}}))?,?(?:\s+(?:at\s+)?{_TIME})?{_ZONE}$", re.I
)
_MONTH_DAY = re.compile(
    rf"^(?:[a-z]+,\s+)?(?P<mon>[a-z]+)\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?(?:\s+(?P<y>\d{{4}}))?,?(?:\s+(?:at\s+)?{_TIME})?{_ZONE}$",
    re.I,
)
_US_NUMERIC = re.compile(rf"^(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})/(?P<y>\d{{2}}|\d{{4}})(?:,?\s+{_TIME})?{_ZONE}$", re.I)
_TIME_ONLY = re.compile(rf"^{_TIME}{_ZONE}$", re.I)
_FUTURE_TOLERANCE = dt.timedelta(minutes=10)


class _Unreadable(ValueError):
    pass


def parse(raw, *, now, tz):
    """Read `raw` as shown by a platform whose local zone is `tz` (name or tzinfo), relative to `now`."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    text = " ".join((raw or "").split())
    if not text:
        return ParsedTime(raw=raw or "", at=None, precision="none", error="empty timestamp")
    try:
        result = _parse(text, now=now, zone=zone)
    except _Unreadable as exc:
        return ParsedTime(raw=raw, at=None, precision="none", error=str(exc))
    if result is None:
        return ParsedTime(raw=raw, at=None, precision="none", error="unrecognised timestamp format")
    at, precision = result
    if at > now + _FUTURE_TOLERANCE:
        return ParsedTime(raw=raw, at=None, precision="none", error=f"timestamp reads as the future ({at.isoformat()})")
    return ParsedTime(raw=raw, at=at, precision=precision)


def _parse(text, *, now, zone):
    lowered = text.lower().strip()
    if lowered in ("just now", "now", "a moment ago", "moments ago", "few seconds ago", "a few seconds ago"):
        return now, "relative"
    for parser in (_parse_iso, _parse_ago, _parse_relative_day, _parse_weekday, _parse_calendar, _parse_time_only):
        result = parser(text, now=now, zone=zone)
        if result is not None:
            return result
    return _parse_with_dateparser(text, now=now, zone=zone)


def _parse_iso(text, *, now, zone):
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text)
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value, "second"


def _parse_ago(text, *, now, zone):
    match = _AGO.match(text.lower())
    if not match:
        return None
    count = 1 if match["n"] in ("a", "an", "one") else int(match["n"])
    unit = match["unit"]
    if unit in _UNITS:
        return now - dt.timedelta(**{_UNITS[unit]: count}), "relative"
    if unit in _MONTH_UNITS:
        local = now.astimezone(zone)
        return _shift_months(local, -count * _MONTH_UNITS[unit]), "day"
    raise _Unreadable(f"unknown time unit {unit!r}")


def _parse_relative_day(text, *, now, zone):
    match = _RELATIVE_DAY.match(text)
    if not match:
        return None
    local_now = now.astimezone(_zone_for(match, zone))
    day = local_now.date() - dt.timedelta(days=1 if match["day"].lower() == "yesterday" else 0)
    return _combine(day, match, _zone_for(match, zone))


def _parse_weekday(text, *, now, zone):
    match = _WEEKDAY.match(text)
    if not match or match["weekday"].lower() not in _WEEKDAYS:
        return None
    target = _WEEKDAYS[match["weekday"].lower()]
    local_now = now.astimezone(_zone_for(match, zone))
    # Inboxes write "Today" for today, so a weekday name means one of the previous six days.
    back = (local_now.weekday() - target) % 7 or 7
    return _combine(local_now.date() - dt.timedelta(days=back), match, _zone_for(match, zone))


def _parse_calendar(text, *, now, zone):
    match = _DAY_MONTH.match(text) or _MONTH_DAY.match(text)
    if match:
        month = _MONTHS.get(match["mon"].lower())
        if month is None:
            return None
        return _dated(int(match["y"]) if match["y"] else None, month, int(match["d"]), match, now=now, zone=zone)
    match = _US_NUMERIC.match(text)
    if match:
        year = int(match["y"])
        year = year + 2000 if year < 100 else year
        return _dated(year, int(match["m"]), int(match["d"]), match, now=now, zone=zone)
    return None


def _parse_time_only(text, *, now, zone):
    match = _TIME_ONLY.match(text)
    if not match or (match["minute"] is None and match["ampm"] is None):
        return None
    local_now = now.astimezone(_zone_for(match, zone))
    return _combine(local_now.date(), match, _zone_for(match, zone))


def _parse_with_dateparser(text, *, now, zone):
    import dateparser

    local_now = now.astimezone(zone)
    settings = {
        "RELATIVE_BASE": local_now.replace(tzinfo=None),
        "TIMEZONE": str(zone),
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
        "STRICT_PARSING": False,
    }
    value = dateparser.parse(text, languages=["en"], settings=settings)
    if value is None:
        return None
    return value, "minute"


def _dated(year, month, day, match, *, now, zone):
    actual_zone = _zone_for(match, zone)
    local_now = now.astimezone(actual_zone)
    explicit_year = year is not None
    year = year or local_now.year
    try:
        date = dt.date(year, month, day)
    except ValueError as exc:
        raise _Unreadable(f"no such date: {exc}") from None
    result = _combine(date, match, actual_zone)
    if not explicit_year and result[0] > now + dt.timedelta(days=1):
        # "12 Dec" read in January is last December.
        try:
            date = dt.date(year - 1, month, day)
        except ValueError as exc:
            raise _Unreadable(f"no such date: {exc}") from None
        result = _combine(date, match, actual_zone)
    return result


def _combine(date, match, zone):
    if match["hour"] is None:
        return dt.datetime(date.year, date.month, date.day, tzinfo=zone), "day"
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    second = int(match["second"] or 0)
    ampm = (match["ampm"] or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise _Unreadable(f"hour {hour} with {ampm}")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise _Unreadable("time out of range")
    value = dt.datetime(date.year, date.month, date.day, hour, minute, second, tzinfo=zone)
    return value, "second" if match["second"] else "minute"


def _zone_for(match, default):
    abbreviation = (match["zone"] or "").upper()
    if not abbreviation:
        return default
    if abbreviation in _FIXED_ZONES:
        return dt.timezone(dt.timedelta(hours=_FIXED_ZONES[abbreviation]), abbreviation)
    if abbreviation in _GENERIC_ZONES:
        return ZoneInfo(_GENERIC_ZONES[abbreviation])
    raise _Unreadable(f"unknown time zone abbreviation {abbreviation!r}")


def _shift_months(value, months):
    month_index = value.month - 1 + months
    year = value.year + month_index // 12
    month = month_index % 12 + 1
    day = min(value.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
                          31, 31, 30, 31, 30, 31][month - 1])
    return value.replace(year=year, month=month, day=day)
