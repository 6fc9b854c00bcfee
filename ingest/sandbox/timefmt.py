"""How each imitation platform writes times (the quirks the adapters must read back)."""

import datetime as dt
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")
CENTRAL = ZoneInfo("America/Chicago")


def _clock(value):
    return value.strftime("%I:%M%p").lstrip("0").lower()


def spareroom(at, now):
    """'Today 3:41pm', 'Yesterday 9:02am', 'Mon 11:02am', '12 Nov' (US site, Eastern)."""
    local, today = at.astimezone(EASTERN), now.astimezone(EASTERN).date()
    days = (today - local.date()).days
    if days <= 0:
        return f"Today {_clock(local)}"
    if days == 1:
        return f"Yesterday {_clock(local)}"
    if days < 7:
        return f"{local.strftime('%a')} {_clock(local)}"
    return f"{local.day} {local.strftime('%b')}"


def spareroom_long(at, now):
    """Thread pages: relative when recent, else the full date with the zone abbreviation."""
    local = at.astimezone(EASTERN)
    if (now.astimezone(EASTERN).date() - local.date()).days < 7:
        return spareroom(at, now)
    return f"{local.day} {local.strftime('%b %Y')}, {_clock(local)} {local.strftime('%Z')}"


def ago(at, now, *, short=False):
    seconds = max(0, int((now - at).total_seconds()))
    if seconds < 45:
        return "just now"
    for size, unit, abbreviation in ((86400, "day", "d"), (3600, "hour", "h"), (60, "minute", "m")):
        if seconds >= size:
            count = seconds // size
            if short:
                return f"{count}{abbreviation} ago"
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


def iso_utc(at):
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_eastern(at):
    return at.astimezone(EASTERN).isoformat(timespec="seconds")


def leasebreak(at):
    local = at.astimezone(EASTERN)
    return f"{local.strftime('%b')} {local.day}, {local.year} {local.strftime('%I:%M %p').lstrip('0')} {local.strftime('%Z')}"


def furnishedfinder(at):
    local = at.astimezone(CENTRAL)
    return f"{local.month}/{local.day}/{local.year} {local.strftime('%I:%M %p').lstrip('0')}"
