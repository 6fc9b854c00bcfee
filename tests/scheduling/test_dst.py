"""Time zones: weekly rules stay local across DST, gaps are skipped, folds are taken once, zones mix."""

import datetime as dt
import zoneinfo

import pytest

from leasebot.clock import utc
from scheduling import slots
from tests.scheduling.factories import assign, make_agent_profile, make_unit, weekly

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SPRING_FORWARD = dt.date(2027, 3, 14)  # 02:00 EST → 03:00 EDT
FALL_BACK = dt.date(2027, 11, 7)  # 02:00 EDT → 01:00 EST


def local_times(result, day):
    return [s.local_start.strftime("%H:%M") for s in result if s.local_start.date() == day]


def utc_hours(result, day):
    return sorted({s.starts_at.astimezone(dt.UTC).strftime("%H:%M") for s in result if s.local_start.date() == day})


def pair(unit_zone="America/New_York", agent_zone="America/New_York", unit_hours=("10:00", "12:00"),
         agent_hours=("00:00", "23:30")):
    unit = make_unit(timezone=unit_zone)
    weekly(unit, *unit_hours)
    agent = make_agent_profile(timezone=agent_zone)
    weekly(agent, *agent_hours)
    assign(unit, agent)
    return unit, agent


def test_a_weekly_10_to_12_rule_stays_10_to_12_local_across_spring_forward():
    unit, _ = pair()
    result = slots.candidates(unit, utc(2027, 3, 10, 12))
    before, after = dt.date(2027, 3, 13), dt.date(2027, 3, 15)
    assert local_times(result, before) == ["10:00", "10:30", "11:00", "11:30"]
    assert local_times(result, after) == ["10:00", "10:30", "11:00", "11:30"]
    assert utc_hours(result, before)[0] == "15:00"  # EST
    assert utc_hours(result, after)[0] == "14:00"  # EDT


def test_a_weekly_rule_stays_local_across_fall_back():
    unit, _ = pair()
    result = slots.candidates(unit, utc(2027, 11, 3, 12))
    assert utc_hours(result, dt.date(2027, 11, 6))[0] == "14:00"  # EDT
    assert utc_hours(result, dt.date(2027, 11, 8))[0] == "15:00"  # EST
    assert local_times(result, dt.date(2027, 11, 8)) == ["10:00", "10:30", "11:00", "11:30"]


def test_a_slot_in_the_spring_forward_gap_is_skipped():
    unit, _ = pair(unit_hours=("01:00", "04:00"))
    result = slots.candidates(unit, utc(2027, 3, 10, 12))
    assert local_times(result, SPRING_FORWARD) == ["01:00", "01:30", "03:00", "03:30"]
    gap_day = [s for s in result if s.local_start.date() == SPRING_FORWARD]
    assert all(s.ends_at - s.starts_at == dt.timedelta(minutes=30) for s in gap_day)


def test_a_slot_in_the_fall_back_fold_is_taken_once():
    unit, _ = pair(unit_hours=("00:00", "03:00"))
    result = slots.candidates(unit, utc(2027, 11, 3, 12))
    times = local_times(result, FALL_BACK)
    assert times == ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30"]
    one_am = [s for s in result if s.local_start.date() == FALL_BACK and s.local_start.hour == 1]
    assert [s.starts_at for s in one_am] == [utc(2027, 11, 7, 5, 0), utc(2027, 11, 7, 5, 30)]  # first (EDT) pass
    assert len({s.starts_at for s in result}) == len(result)


def test_mixed_zones_intersect_in_real_time():
    # Agent in Chicago 09:00–10:30 is 10:00–11:30 in New York.
    unit, _ = pair(agent_zone="America/Chicago", agent_hours=("09:00", "10:30"))
    result = slots.candidates(unit, utc(2027, 1, 6, 12))
    assert local_times(result, dt.date(2027, 1, 7)) == ["10:00", "10:30", "11:00"]
    assert result[0].agent_window.timezone == "America/Chicago"
    assert result[0].agent_window.start == dt.time(9, 0)


def test_mixed_zones_whose_dst_dates_differ_shift_against_each_other():
    # London keeps GMT until 28 March while New York is on EDT from 14 March.
    unit, _ = pair(unit_hours=("09:00", "13:00"), agent_zone="Europe/London", agent_hours=("15:00", "16:00"))
    result = slots.candidates(unit, utc(2027, 3, 9, 12))
    assert local_times(result, dt.date(2027, 3, 12)) == ["10:00", "10:30"]  # EST, UTC-5
    assert local_times(result, dt.date(2027, 3, 16)) == ["11:00", "11:30"]  # EDT, UTC-4


def test_minimum_notice_counts_real_time_across_a_dst_night():
    unit, _ = pair(unit_hours=("00:00", "06:00"))
    now = dt.datetime(2027, 3, 14, 0, 30, tzinfo=NEW_YORK).astimezone(dt.UTC)
    result = slots.candidates(unit, now)
    # 00:30 EST + 2 real hours = 03:30 EDT.
    assert result[0].local_start.strftime("%H:%M") == "03:30"
