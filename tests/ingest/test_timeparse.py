import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ingest import timeparse
from ingest.sandbox import timefmt

pytestmark = pytest.mark.unit

NY = ZoneInfo("America/New_York")
# Wednesday 2027-01-06 10:00 in New York (15:00 UTC).
NOW = dt.datetime(2027, 1, 6, 15, 0, tzinfo=dt.UTC)


def ny(*args):
    return dt.datetime(*args, tzinfo=NY)


@pytest.mark.parametrize(
    ("raw", "expected", "precision"),
    [
        ("Today 9:41am", ny(2027, 1, 6, 9, 41), "minute"),
        ("today, 8:05 AM", ny(2027, 1, 6, 8, 5), "minute"),
        ("Yesterday 3:41pm", ny(2027, 1, 5, 15, 41), "minute"),
        ("Yesterday", ny(2027, 1, 5), "day"),
        ("Mon 11:02am", ny(2027, 1, 4, 11, 2), "minute"),
        ("Wed 9am", ny(2026, 12, 30, 9, 0), "minute"),  # today is Wednesday: a weekday name means last week
        ("Sunday", ny(2027, 1, 3), "day"),
        ("12 Nov", ny(2026, 11, 12), "day"),
        ("Nov 12", ny(2026, 11, 12), "day"),
        ("12 Dec 2026, 3:41pm EST", dt.datetime(2026, 12, 12, 20, 41, tzinfo=dt.UTC), "minute"),
        ("Nov 12, 2026 3:41 PM EST", dt.datetime(2026, 11, 12, 20, 41, tzinfo=dt.UTC), "minute"),
        ("Jul 4, 2026 9:00 AM EDT", dt.datetime(2026, 7, 4, 13, 0, tzinfo=dt.UTC), "minute"),
        ("Jul 4, 2026 9:00 AM PT", dt.datetime(2026, 7, 4, 16, 0, tzinfo=dt.UTC), "minute"),  # PT follows DST
        ("11/12/2026 3:41 PM CST", dt.datetime(2026, 11, 12, 21, 41, tzinfo=dt.UTC), "minute"),
        ("1/5/27 7:15 PM", ny(2027, 1, 5, 19, 15), "minute"),
        ("8h ago", NOW - dt.timedelta(hours=8), "relative"),
        ("5 minutes ago", NOW - dt.timedelta(minutes=5), "relative"),
        ("an hour ago", NOW - dt.timedelta(hours=1), "relative"),
        ("2d ago", NOW - dt.timedelta(days=2), "relative"),
        ("just now", NOW, "relative"),
        ("2026-11-12T15:41:00Z", dt.datetime(2026, 11, 12, 15, 41, tzinfo=dt.UTC), "second"),
        ("2026-11-12T10:41:00-05:00", dt.datetime(2026, 11, 12, 15, 41, tzinfo=dt.UTC), "second"),
        ("2026-11-12 10:41", ny(2026, 11, 12, 10, 41), "second"),  # naive ISO is platform-local
        ("9:30am", ny(2027, 1, 6, 9, 30), "minute"),
    ],
)
def test_it_reads_platform_times_in_the_platform_zone(raw, expected, precision):
    parsed = timeparse.parse(raw, now=NOW, tz="America/New_York")
    assert parsed.ok, parsed.error
    assert parsed.at == expected
    assert parsed.at.tzinfo is not None
    assert parsed.precision == precision
    assert parsed.raw == raw


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("sometime", "unrecognised"),
        ("31 Feb", "no such date"),
        ("Today 13:00pm", "hour 13"),
        ("Today 3:41pm XYZ", "abbreviation"),
        ("Today 3:41pm", "future"),  # 15:41 New York is still ahead of 10:00
        ("3 fortnights ago", "unit"),
    ],
)
def test_an_unreadable_time_is_marked_unparseable_never_now(raw, reason):
    parsed = timeparse.parse(raw, now=NOW, tz="America/New_York")

    assert parsed.at is None and not parsed.ok
    assert reason in parsed.error
    assert parsed.raw == raw


def test_a_date_without_a_year_is_never_in_the_future():
    parsed = timeparse.parse("28 Dec", now=NOW, tz="America/New_York")
    assert parsed.at == ny(2026, 12, 28)


def test_times_are_read_across_daylight_saving():
    summer_now = dt.datetime(2026, 7, 15, 20, 0, tzinfo=dt.UTC)
    parsed = timeparse.parse("Today 3:41pm", now=summer_now, tz="America/New_York")
    assert parsed.at == dt.datetime(2026, 7, 15, 19, 41, tzinfo=dt.UTC)


def test_it_refuses_a_naive_now():
    with pytest.raises(ValueError):
        timeparse.parse("8h ago", now=dt.datetime(2027, 1, 6, 15, 0), tz="America/New_York")


AGES = [dt.timedelta(minutes=3), dt.timedelta(hours=5), dt.timedelta(hours=20), dt.timedelta(days=3),
        dt.timedelta(days=40)]


@pytest.mark.parametrize("age", AGES)
@pytest.mark.parametrize(
    ("render", "zone", "tolerance"),
    [
        (lambda at, now: timefmt.spareroom_long(at, now), "America/New_York", dt.timedelta(days=1)),
        (lambda at, now: timefmt.iso_utc(at), "America/New_York", dt.timedelta(seconds=1)),
        (lambda at, now: timefmt.leasebreak(at), "America/New_York", dt.timedelta(minutes=1)),
        (lambda at, now: timefmt.ago(at, now, short=True), "America/New_York", dt.timedelta(days=1)),
        (lambda at, now: timefmt.furnishedfinder(at), "America/Chicago", dt.timedelta(minutes=1)),
    ],
    ids=["spareroom", "roomies", "leasebreak", "renthop", "furnishedfinder"],
)
def test_every_sandbox_time_format_reads_back(render, zone, tolerance, age):
    at = (NOW - age).replace(second=0)
    parsed = timeparse.parse(render(at, NOW), now=NOW, tz=zone)
    assert parsed.ok, (render(at, NOW), parsed.error)
    assert abs(parsed.at - at) <= tolerance
