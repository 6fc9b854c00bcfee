"""The slot engine: offered times are the unit ∩ an active assignment's agent availability − conflicts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from leasebot.clock import utc
from scheduling import slots
from tests.scheduling.factories import (
    assign,
    block,
    make_agent_profile,
    make_showing,
    make_unit,
    override,
    weekly,
)

pytestmark = pytest.mark.django_db

# Wednesday 2027-01-06 15:00 UTC = 10:00 New York (EST, UTC-5).
NOW = utc(2027, 1, 6, 15, 0)
THURSDAY = dt.date(2027, 1, 7)


def ny(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.timezone(dt.timedelta(hours=-5))).astimezone(dt.UTC)


def starts(result):
    return [s.starts_at for s in result]


def on_day(result, day):
    return [s for s in result if s.local_start.date() == day]


@pytest.fixture
def unit():
    unit = make_unit(timezone="America/New_York")
    weekly(unit, "10:00", "12:00")
    return unit


@pytest.fixture
def agent():
    agent = make_agent_profile(timezone="America/New_York", name="Alex Free")
    weekly(agent, "09:00", "17:00")
    return agent


def test_it_offers_the_intersection_of_unit_and_agent_windows_on_the_grid(unit, agent):
    assign(unit, agent)
    result = on_day(slots.candidates(unit, NOW), THURSDAY)
    assert starts(result) == [ny(THURSDAY, 10), ny(THURSDAY, 10, 30), ny(THURSDAY, 11), ny(THURSDAY, 11, 30)]
    assert all(s.ends_at - s.starts_at == dt.timedelta(minutes=30) for s in result)


def test_a_time_the_unit_is_open_but_no_assigned_agent_is_free_is_never_offered(unit):
    late_agent = make_agent_profile()
    weekly(late_agent, "11:00", "17:00")
    assign(unit, late_agent)
    result = on_day(slots.candidates(unit, NOW), THURSDAY)
    assert starts(result) == [ny(THURSDAY, 11), ny(THURSDAY, 11, 30)]


def test_a_passive_agent_is_never_offered(unit, agent):
    assign(unit, agent, mode="passive")
    assert slots.candidates(unit, NOW) == []


def test_an_unassigned_agent_is_never_offered(unit, agent):
    other_unit = make_unit()
    assign(other_unit, agent)
    assert slots.candidates(unit, NOW) == []


def test_an_inactive_agent_or_unit_is_never_offered(unit, agent):
    assign(unit, agent)
    agent.active = False
    agent.save()
    assert slots.candidates(unit, NOW) == []
    agent.active = True
    agent.save()
    unit.active = False
    unit.save()
    assert slots.candidates(unit, NOW) == []


def test_an_agent_busy_on_another_unit_is_not_offered_nor_in_the_buffer(unit, agent):
    assign(unit, agent)
    elsewhere = make_unit()
    make_showing(elsewhere, agent, ny(THURSDAY, 11), status="pending")
    result = on_day(slots.candidates(unit, NOW), THURSDAY)
    # 11:00–11:30 busy, widened by 15 min: 10:30 would end at 11:00 (inside the buffer), 11:30 starts in it.
    assert starts(result) == [ny(THURSDAY, 10)]


def test_a_cancelled_showing_elsewhere_does_not_block(unit, agent):
    assign(unit, agent)
    make_showing(make_unit(), agent, ny(THURSDAY, 11), status="cancelled")
    assert len(on_day(slots.candidates(unit, NOW), THURSDAY)) == 4


def test_the_slot_source_names_the_assignment_and_both_windows(unit, agent):
    assignment = assign(unit, agent, priority=7)
    slot = on_day(slots.candidates(unit, NOW), THURSDAY)[0]
    source = slot.source_dict()
    assert source["assignment"] == {"id": assignment.pk, "priority": 7}
    assert source["agent_id"] == agent.pk
    assert source["unit_window"]["kind"] == "weekly"
    assert source["unit_window"]["start"] == "10:00" and source["unit_window"]["end"] == "12:00"
    assert source["unit_window"]["rule_id"] == unit_rule_id(unit, THURSDAY)
    assert source["agent_window"]["start"] == "09:00" and source["agent_window"]["end"] == "17:00"
    assert source["agent_window"]["timezone"] == "America/New_York"
    assert slots.Slot.from_source(source, agent.display_name) == slot


def unit_rule_id(unit, day):
    from scheduling.models import WeeklyRule

    return WeeklyRule.objects.get(unit=unit, weekday=day.weekday()).pk


def test_several_free_agents_give_one_slot_per_time_for_the_best_priority(unit, agent):
    second = make_agent_profile(name="Second")
    weekly(second, "09:00", "17:00")
    assign(unit, second, priority=1)
    assign(unit, agent, priority=2)
    result = on_day(slots.candidates(unit, NOW), THURSDAY)
    assert len(result) == 4
    assert {s.agent_id for s in result} == {second.pk}


def test_on_equal_priority_the_agent_with_fewer_upcoming_showings_wins(unit, agent):
    # The database allows one active assignment per priority, so the tie-break is proven on a plan.
    second = make_agent_profile(name="Second")
    weekly(second, "09:00", "17:00")
    assign(unit, second, priority=1)
    assign(unit, agent, priority=2)
    plan = slots.load_plan(unit, NOW)
    for agent_plan in plan.agents:
        agent_plan.priority = 5
    first_listed = plan.agents[0]
    first_listed.showings.append(slots.Busy(0, utc(2027, 1, 12, 15), utc(2027, 1, 12, 16), NOW))
    result = on_day(slots.compute(plan, NOW), THURSDAY)
    assert {s.agent_id for s in result} == {plan.agents[1].agent_id}


def test_when_the_best_agent_is_busy_another_assigned_agent_takes_the_time(unit, agent):
    second = make_agent_profile(name="Second")
    weekly(second, "09:00", "17:00")
    assign(unit, agent, priority=1)
    assign(unit, second, priority=2)
    make_showing(make_unit(), agent, ny(THURSDAY, 10), minutes=120)
    result = on_day(slots.candidates(unit, NOW), THURSDAY)
    assert len(result) == 4
    assert {s.agent_id for s in result} == {second.pk}


def test_minimum_notice_and_grid_apply_from_now(unit, agent):
    assign(unit, agent)
    # 10:00 Wednesday + 2 h notice: the first slot is Wednesday... unit closes at 12:00, so Thursday 10:00.
    result = slots.candidates(unit, NOW)
    assert result[0].starts_at == ny(THURSDAY, 10)
    with override_settings(LEASEBOT_SLOT_MIN_NOTICE_MINUTES=45):
        assert slots.candidates(unit, NOW)[0].starts_at == ny(dt.date(2027, 1, 6), 11)


def test_minimum_notice_carries_across_midnight(agent):
    night = make_unit(timezone="America/New_York")
    weekly(night, "00:00", "03:00")
    weekly(agent, "00:00", "09:00")
    assign(night, agent)
    now = ny(dt.date(2027, 1, 6), 23)  # Wednesday 23:00 local
    result = slots.candidates(night, now)
    assert result[0].starts_at == ny(THURSDAY, 1)  # 23:00 + 2 h = 01:00 the next local day


def test_the_horizon_bounds_the_offers(unit, agent):
    assign(unit, agent)
    result = slots.candidates(unit, NOW)
    assert max(s.starts_at for s in result) < NOW + dt.timedelta(days=14)
    unit.horizon_days = 2
    unit.save()
    assert max(s.starts_at for s in slots.candidates(unit, NOW)) < NOW + dt.timedelta(days=2)


def test_the_daily_cap_stops_offers_on_a_full_day(unit, agent):
    assign(unit, agent)
    agent.daily_showing_cap = 2
    agent.save()
    elsewhere = make_unit()
    make_showing(elsewhere, agent, ny(THURSDAY, 14))
    make_showing(elsewhere, agent, ny(THURSDAY, 15))
    result = slots.candidates(unit, NOW)
    assert on_day(result, THURSDAY) == []
    assert len(on_day(result, dt.date(2027, 1, 8))) == 4
    with override_settings(LEASEBOT_SLOT_DAILY_CAP=3):
        agent.daily_showing_cap = None
        agent.save()
        assert len(on_day(slots.candidates(unit, NOW), THURSDAY)) == 4


def test_group_capacity_allows_sharing_a_time_until_full(unit, agent):
    assign(unit, agent)
    unit.group_capacity = 2
    unit.save()
    make_showing(unit, agent, ny(THURSDAY, 10))
    assert ny(THURSDAY, 10) in starts(slots.candidates(unit, NOW))
    make_showing(unit, agent, ny(THURSDAY, 10))
    assert ny(THURSDAY, 10) not in starts(slots.candidates(unit, NOW))


def test_a_showing_of_this_unit_blocks_its_time_at_capacity_one(unit, agent):
    assign(unit, agent)
    make_showing(unit, agent, ny(THURSDAY, 10))
    assert starts(on_day(slots.candidates(unit, NOW), THURSDAY)) == [
        ny(THURSDAY, 10, 30), ny(THURSDAY, 11), ny(THURSDAY, 11, 30)
    ]


def test_blocks_remove_time_for_units_and_agents(unit, agent):
    assign(unit, agent)
    block(unit, ny(THURSDAY, 10), ny(THURSDAY, 11))
    block(agent, ny(THURSDAY, 11, 30), ny(THURSDAY, 12))
    assert starts(on_day(slots.candidates(unit, NOW), THURSDAY)) == [ny(THURSDAY, 11)]


def test_an_override_replaces_the_day_or_closes_it(unit, agent):
    assign(unit, agent)
    override(unit, THURSDAY, "15:00", "16:00")
    override(unit, dt.date(2027, 1, 8), closed=True)
    result = slots.candidates(unit, NOW)
    assert starts(on_day(result, THURSDAY)) == [ny(THURSDAY, 15), ny(THURSDAY, 15, 30)]
    assert on_day(result, THURSDAY)[0].unit_window.kind == "override"
    assert on_day(result, dt.date(2027, 1, 8)) == []


def test_effective_dates_limit_a_weekly_rule(agent):
    unit = make_unit()
    weekly(unit, "10:00", "12:00", effective_from=dt.date(2027, 1, 11), effective_until=dt.date(2027, 1, 12))
    assign(unit, agent)
    days = {s.local_start.date() for s in slots.candidates(unit, NOW)}
    assert days == {dt.date(2027, 1, 11), dt.date(2027, 1, 12)}


def test_showing_length_and_grid_come_from_the_unit(unit, agent):
    assign(unit, agent)
    unit.showing_length_minutes = 45
    unit.slot_grid_minutes = 15
    unit.save()
    result = on_day(slots.candidates(unit, NOW), THURSDAY)
    assert starts(result)[:2] == [ny(THURSDAY, 10), ny(THURSDAY, 10, 15)]
    assert result[-1].ends_at == ny(THURSDAY, 12)


def test_spreading_offers_choices_on_different_days(unit, agent):
    assign(unit, agent)
    plain = slots.candidates(unit, NOW, limit=3, spread=False)
    assert len({s.local_start.date() for s in plain}) == 1
    spread = slots.candidates(unit, NOW, limit=3, spread=True)
    assert len({s.local_start.date() for s in spread}) == 3
    assert starts(spread) == sorted(starts(spread))


def test_candidates_read_the_database_once(unit, agent):
    assign(unit, agent)
    second = make_agent_profile()
    weekly(second, "09:00", "17:00")
    assign(unit, second)
    make_showing(make_unit(), agent, ny(THURSDAY, 15))
    block(agent, ny(THURSDAY, 9), ny(THURSDAY, 9, 30))
    override(second, THURSDAY, closed=True)
    with CaptureQueriesContext(connection) as queries:
        result = slots.candidates(unit, NOW)
    assert result
    assert len(queries) == 1


def test_a_now_with_microseconds_on_a_whole_second_keeps_the_first_window(unit, agent):
    assign(unit, agent)
    with override_settings(LEASEBOT_SLOT_MIN_NOTICE_MINUTES=0):
        result = slots.candidates(unit, NOW.replace(microsecond=600000))
    assert starts(on_day(result, dt.date(2027, 1, 6))) == [ny(dt.date(2027, 1, 6), h, m) for h, m in
                                                           ((10, 30), (11, 0), (11, 30))]


def test_a_showing_across_two_touching_windows_is_offered(agent):
    unit = make_unit(showing_length_minutes=60)
    weekly(unit, "10:00", "11:00")
    weekly(unit, "11:00", "12:00")
    assign(unit, agent)
    result = on_day(slots.candidates(unit, NOW), THURSDAY)
    assert starts(result) == [ny(THURSDAY, 10), ny(THURSDAY, 10, 30), ny(THURSDAY, 11)]
    assert result[1].unit_window.start == dt.time(10) and result[1].unit_window.end == dt.time(12)
