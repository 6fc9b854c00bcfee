"""The slot loader reads one unit's horizon in a single query, and reads exactly what the ORM did."""

import datetime as dt

import pytest
from django.db.models import Q

from leasebot.clock import utc
from scheduling import models, slots
from tests.scheduling import factories

pytestmark = pytest.mark.django_db

# Wednesday 2027-01-06 15:00 UTC. The loader's bounds: low = NOW - 1 day, high = NOW + 15 days + 2 h,
# override dates from low's date - 1 day through high's date + 1 day.
NOW = utc(2027, 1, 6, 15, 0)
LOW = NOW - dt.timedelta(days=1)
HIGH = NOW + dt.timedelta(days=15, hours=2)
WEEKDAYS = range(5)


def orm_plan(unit, now, agent_id=None):
    """The loader as it was before the single query: one ORM read per kind of row (the reference)."""
    options = slots.unit_settings(unit)
    plan = slots.UnitPlan(unit_id=unit.pk, timezone=unit.timezone, agents=[],
                          availability=slots.Availability(unit.timezone), **options)
    assignments = models.UnitAssignment.objects.filter(unit_id=unit.pk, mode="active", agent__active=True)
    if agent_id is not None:
        assignments = assignments.filter(agent_id=agent_id)
    assignments = list(assignments.select_related("agent"))
    if not assignments or not unit.active:
        return plan

    owners = {a.agent_id: slots.Availability(a.agent.timezone) for a in assignments}
    owned = Q(unit_id=unit.pk) | Q(agent_id__in=list(owners))
    low = now - dt.timedelta(days=1)
    high = now + dt.timedelta(days=options["horizon_days"] + 1, minutes=options["min_notice_minutes"])

    def owner(row):
        return plan.availability if row.unit_id else owners[row.agent_id]

    for r in models.WeeklyRule.objects.filter(owned):
        owner(r).rules.append(
            slots.Rule(r.pk, r.weekday, r.start_time, r.end_time, r.effective_from, r.effective_until)
        )
    first_date, last_date = low.date() - dt.timedelta(days=1), high.date() + dt.timedelta(days=1)
    for o in models.DateOverride.objects.filter(owned, date__gte=first_date, date__lte=last_date):
        owner(o).overrides.append(slots.Override(o.pk, o.date, o.closed, o.start_time, o.end_time))
    for b in models.AvailabilityBlock.objects.filter(owned, ends_at__gt=low, starts_at__lt=high):
        owner(b).blocks.append((b.starts_at, b.ends_at))

    live = models.Showing.objects.filter(owned, status__in=models.LIVE_STATUSES, ends_at__gt=low,
                                         starts_at__lt=high)
    busy = [(s.agent_id, slots.Busy(s.unit_id, s.starts_at, s.ends_at, s.created_at)) for s in live]
    plan.showings = [b for _agent, b in busy if b.unit_id == unit.pk]
    for a in assignments:
        plan.agents.append(slots.AgentPlan(
            assignment_id=a.pk, priority=a.priority, agent_id=a.agent_id, agent_name=a.agent.display_name,
            availability=owners[a.agent_id], showings=[b for agent, b in busy if agent == a.agent_id],
            daily_cap=a.agent.daily_showing_cap,
        ))
    return plan


def at(day, hour, minute=0, second=0, micro=0):
    return utc(2027, 1, day, hour, minute) + dt.timedelta(seconds=second, microseconds=micro)


@pytest.fixture
def rich():
    """A unit with two active agents, a passive one and an inactive one; rules with effective dates,
    closed and open overrides, blocks and showings in and just outside every bound."""
    unit = factories.make_unit(timezone="America/New_York")
    elsewhere = factories.make_unit(timezone="America/Chicago")
    first = factories.make_agent_profile(timezone="America/Chicago", name="First Agent", daily_showing_cap=3)
    second = factories.make_agent_profile(timezone="America/New_York", name="Second Agent")
    passive = factories.make_agent_profile(name="Passive Agent")
    inactive = factories.make_agent_profile(name="Inactive Agent", active=False)
    factories.assign(unit, first, priority=1)
    factories.assign(unit, second, priority=2)
    factories.assign(unit, inactive, priority=3)
    factories.assign(unit, passive, priority=4, mode="passive")
    factories.assign(elsewhere, first, priority=1)
    factories.assign(elsewhere, second, priority=2)

    factories.weekly(unit, "10:00", "12:00", weekdays=WEEKDAYS, effective_until=dt.date(2027, 1, 12))
    factories.weekly(unit, "13:00", "17:00", weekdays=WEEKDAYS, effective_from=dt.date(2027, 1, 13))
    factories.weekly(unit, "09:30:15", "11:00", weekdays=[5])
    factories.weekly(first, "08:00", "18:00", weekdays=range(6))
    factories.weekly(second, "09:00", "17:00", effective_from=dt.date(2027, 1, 10))
    factories.weekly(passive, "00:00", "23:00")
    factories.weekly(inactive, "00:00", "23:00")
    factories.weekly(elsewhere, "07:00", "08:00")

    factories.override(unit, dt.date(2027, 1, 3), "10:00", "11:00")  # before the first date: not read
    factories.override(unit, dt.date(2027, 1, 4), "10:00", "11:00")  # the first date read
    factories.override(unit, dt.date(2027, 1, 8), closed=True)
    factories.override(unit, dt.date(2027, 1, 9), "16:30", "17:30")
    factories.override(unit, dt.date(2027, 1, 9), "15:00", "16:00")
    factories.override(unit, dt.date(2027, 1, 22), closed=True)  # the last date read
    factories.override(unit, dt.date(2027, 1, 23), closed=True)  # after it: not read
    factories.override(first, dt.date(2027, 1, 11), closed=True)
    factories.override(second, dt.date(2027, 1, 7), "11:00", "14:00")
    factories.override(passive, dt.date(2027, 1, 7), closed=True)

    factories.block(unit, at(7, 15), at(7, 16, 0, 0, 123456))
    factories.block(unit, at(1, 9), LOW)  # ends at low: not read
    factories.block(unit, HIGH, HIGH + dt.timedelta(hours=1))  # starts at high: not read
    factories.block(first, LOW - dt.timedelta(hours=2), LOW + dt.timedelta(seconds=1))
    factories.block(second, at(10, 14, 30), at(10, 18))
    factories.block(inactive, at(10, 14, 30), at(10, 18))
    factories.block(elsewhere, at(10, 14, 30), at(10, 18))

    factories.make_showing(unit, first, at(7, 18), status="confirmed")
    factories.make_showing(unit, passive, at(8, 16), status="pending")  # this unit's: counts for capacity
    factories.make_showing(unit, second, at(5, 14, 30), minutes=30)  # ends at low: not read
    factories.make_showing(unit, second, at(5, 14, 45), minutes=30)  # ends just after low
    factories.make_showing(unit, first, HIGH - dt.timedelta(minutes=1))  # starts just before high
    factories.make_showing(unit, second, HIGH)  # starts at high: not read
    factories.make_showing(unit, first, at(12, 18), status="completed")
    factories.make_showing(elsewhere, first, at(9, 17), status="pending")
    factories.make_showing(elsewhere, first, at(9, 19), status="cancelled")
    factories.make_showing(elsewhere, first, at(9, 20, 30, 5, 250000), status="reschedule_requested")
    factories.make_showing(elsewhere, second, at(12, 20), status="reschedule_requested")
    factories.make_showing(elsewhere, inactive, at(10, 16))  # an agent who is not offered: not read
    factories.make_showing(elsewhere, passive, at(11, 16))
    return {"unit": unit, "elsewhere": elsewhere, "first": first, "second": second, "passive": passive,
            "inactive": inactive}


def assert_same_plan(unit, now, agent_id=None):
    loaded, reference = slots.load_plan(unit, now, agent_id=agent_id), orm_plan(unit, now, agent_id)
    assert loaded == reference
    # repr also compares types and time zones (UTC datetimes, dates, times), which == does not.
    assert repr(loaded) == repr(reference)
    return loaded


def test_it_loads_the_same_plan_as_the_orm_queries(rich):
    plan = assert_same_plan(rich["unit"], NOW)
    assert [a.agent_id for a in plan.agents] == [rich["first"].pk, rich["second"].pk]
    assert len(plan.availability.rules) == 11 and len(plan.availability.overrides) == 5
    assert plan.availability.blocks == [(at(7, 15), at(7, 16, 0, 0, 123456))]
    assert len(plan.showings) == 4
    first = plan.agents[0]
    assert first.daily_cap == 3 and first.availability.timezone == "America/Chicago"
    assert len(first.showings) == 4 and len(first.availability.blocks) == 1


@pytest.mark.parametrize("now", [NOW, NOW + dt.timedelta(days=3, hours=7, seconds=1, microseconds=5)])
def test_it_loads_the_same_plan_at_other_instants_and_horizons(rich, now):
    assert_same_plan(rich["unit"], now)
    rich["unit"].horizon_days, rich["unit"].min_notice_minutes = 3, 0
    rich["unit"].save()
    assert_same_plan(rich["unit"], now)


def test_it_loads_the_same_plan_for_one_agent(rich):
    second = rich["second"].pk
    assert [a.agent_id for a in assert_same_plan(rich["unit"], NOW, second).agents] == [second]
    for agent in ("passive", "inactive"):
        assert assert_same_plan(rich["unit"], NOW, rich[agent].pk).agents == []


def test_it_loads_the_same_empty_plan_for_an_inactive_or_unassigned_unit(rich):
    assert assert_same_plan(factories.make_unit(), NOW).agents == []
    rich["unit"].active = False
    rich["unit"].save()
    plan = assert_same_plan(rich["unit"], NOW)
    assert plan.agents == [] and plan.availability.rules == []


def test_it_loads_the_same_plan_for_a_unit_whose_agents_are_all_inactive(rich):
    for agent in ("first", "second"):
        rich[agent].active = False
        rich[agent].save()
    assert assert_same_plan(rich["unit"], NOW).agents == []


def test_it_reads_an_assigned_unit_in_one_query(rich, django_assert_num_queries):
    with django_assert_num_queries(1):
        plan = slots.load_plan(rich["unit"], NOW)
    assert plan.agents and slots.compute(plan, NOW)
    with django_assert_num_queries(1):
        assert slots.load_plan(rich["unit"], NOW, agent_id=rich["first"].pk).agents


def test_it_reads_nothing_for_an_inactive_unit(rich, django_assert_num_queries):
    rich["unit"].active = False
    rich["unit"].save()
    with django_assert_num_queries(0):
        assert slots.load_plan(rich["unit"], NOW).agents == []
