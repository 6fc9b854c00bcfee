"""Randomized proof of the slot engine against an independent, brute-force reading of availability.

For many seeded random plans (zones with DST in both hemispheres, 30-minute DST, odd offsets; rules,
overrides, blocks, showings, caps, capacities, grids), the oracle below reads every 5 minutes of a
slot directly from the wall-clock rules. Soundness: every offered slot is open for the unit and its
agent, clear of the agent's other showings ± buffer, under capacity and the daily cap, on the unit's
local grid (first occurrence), after the notice and inside the horizon. Completeness: every grid time
at which some active agent is plainly free (open for unit and agent throughout, no fold
ambiguity; touching windows count as one) is offered, to an agent of that priority or better.
"""

import datetime as dt
import random
import zoneinfo

import pytest

from scheduling import slots

pytestmark = pytest.mark.unit

UTC = dt.UTC
STEP = dt.timedelta(minutes=5)  # every boundary the generator makes lies on this lattice
ZONES = [
    "America/New_York", "America/Chicago", "Europe/London", "Asia/Kolkata",
    "Australia/Lord_Howe", "America/St_Johns", "UTC",
]
# Instants a few days before DST changes (US, Europe, Lord Howe both ways), some with sub-second parts
# and a zero second, which is how `clock.now()` looks in production.
NOWS = [
    dt.datetime(2027, 3, 12, 13, 0, 0, 600000, tzinfo=UTC),
    dt.datetime(2027, 11, 5, 14, 0, tzinfo=UTC),
    dt.datetime(2027, 3, 26, 9, 17, 42, 123, tzinfo=UTC),
    dt.datetime(2027, 4, 2, 3, 0, 0, 1, tzinfo=UTC),
    dt.datetime(2027, 10, 1, 20, 30, tzinfo=UTC),
    dt.datetime(2027, 1, 6, 15, 0, 0, 250000, tzinfo=UTC),
]


# ---------------------------------------------------------------- random plans


def _spans(rng, all_day=0.2):
    """1–4 disjoint local windows on a 15-minute lattice (some touching), often around 00:00–05:00."""
    if rng.random() < all_day:
        return [(dt.time(0), dt.time(23, 45))]
    top = 20 if rng.random() < 0.3 else 95
    count = rng.randint(1, 3)
    points = sorted(rng.sample(range(top + 1), min(2 * count, top + 1)))
    pairs = list(zip(points[::2], points[1::2], strict=True))
    if pairs and rng.random() < 0.3:
        # Touching rules (09:00–12:00 and 12:00–17:00) are allowed; a showing may span the seam.
        a, b = pairs.pop(rng.randrange(len(pairs)))
        pairs += [(a, (a + b) // 2), ((a + b) // 2, b)] if b - a >= 2 else [(a, b)]
    return [(dt.time(*divmod(a * 15, 60)), dt.time(*divmod(b * 15, 60))) for a, b in sorted(pairs)]


def _lattice(rng, start, days):
    minutes = rng.randrange(0, days * 24 * 60, 5)
    return start.replace(minute=0, second=0, microsecond=0) + dt.timedelta(minutes=minutes)


def _availability(rng, ids, zone, now, days, all_day=0.2):
    availability = slots.Availability(zone)
    for weekday in range(7):
        for start, end in _spans(rng, all_day):
            effective_from = effective_until = None
            if rng.random() < 0.15:
                effective_from = (now + dt.timedelta(days=rng.randint(0, days))).date()
            if rng.random() < 0.15:
                effective_until = (now + dt.timedelta(days=rng.randint(0, days))).date()
            availability.rules.append(slots.Rule(next(ids), weekday, start, end, effective_from, effective_until))
    local_today = now.astimezone(zoneinfo.ZoneInfo(zone)).date()
    for _ in range(rng.randint(0, 2)):
        day = local_today + dt.timedelta(days=rng.randint(0, days))
        if any(o.date == day for o in availability.overrides):
            continue
        if rng.random() < 0.4:
            availability.overrides.append(slots.Override(next(ids), day, True))
        else:
            for start, end in _spans(rng):
                availability.overrides.append(slots.Override(next(ids), day, False, start, end))
    for _ in range(rng.randint(0, 2)):
        start = _lattice(rng, now - dt.timedelta(hours=6), days)
        availability.blocks.append((start, start + dt.timedelta(minutes=rng.randrange(30, 600, 5))))
    return availability


def random_plan(seed):
    rng = random.Random(seed)
    ids = iter(range(1, 10_000))
    now = rng.choice(NOWS)
    days = rng.randint(2, 3)
    unit_id, other_unit = 1, 2
    grid = rng.choice([15, 30, 45, 60])
    plan = slots.UnitPlan(
        unit_id=unit_id, timezone=rng.choice(ZONES), availability=None, agents=[],
        length_minutes=rng.choice([30, 45, 60]), group_capacity=rng.choice([1, 1, 2]), grid_minutes=grid,
        min_notice_minutes=rng.choice([0, 120, 600]), horizon_days=days, buffer_minutes=rng.choice([0, 15]),
        daily_cap=rng.choice([3, 8, 8]),
    )
    plan.availability = _availability(rng, ids, plan.timezone, now, days)
    for agent_id, priority in enumerate(rng.sample(range(1, 6), rng.randint(1, 3)), start=1):
        zone = rng.choice(ZONES)
        showings = []
        for _ in range(rng.randint(0, 4)):
            start = _lattice(rng, now - dt.timedelta(hours=12), days)
            showings.append(slots.Busy(rng.choice([unit_id, other_unit, other_unit]), start,
                                       start + dt.timedelta(minutes=rng.choice([30, 60]))))
        plan.agents.append(slots.AgentPlan(
            assignment_id=100 + agent_id, priority=priority, agent_id=agent_id, agent_name=f"A{agent_id}",
            availability=_availability(rng, ids, zone, now, days, all_day=0.5), showings=showings,
            daily_cap=rng.choice([None, None, None, 2, 4]),
        ))
    plan.showings = [b for agent in plan.agents for b in agent.showings if b.unit_id == unit_id]
    for _ in range(rng.randint(0, 2)):
        start = _lattice(rng, now, days)
        plan.showings.append(slots.Busy(unit_id, start, start + dt.timedelta(minutes=30)))
    return plan, now


# ---------------------------------------------------------------- the oracle


AMBIGUOUS = "ambiguous"


def span_at(availability, instant):
    """Which local window holds `instant` (a hashable id), None when closed, AMBIGUOUS inside a fold."""
    zone = zoneinfo.ZoneInfo(availability.timezone)
    local = instant.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return AMBIGUOUS
    if any(start <= instant < end for start, end in availability.blocks):
        return None
    day, wall = local.date(), local.time().replace(tzinfo=None)
    overrides = [o for o in availability.overrides if o.date == day]
    if overrides:
        if any(o.closed for o in overrides):
            return None
        spans = [("override", o.id, o.start, o.end) for o in overrides]
    else:
        spans = [("weekly", r.id, r.start, r.end) for r in availability.rules
                 if r.weekday == day.weekday() and r.applies_on(day)]
    for kind, pk, start, end in spans:
        if start <= wall < end:
            return (kind, pk, day)
    return None


def samples(start, end):
    instant = start
    while instant < end:
        yield instant
        instant += STEP


def agent_clear(plan, agent, start, end):
    """Everything except the windows: other units ± buffer, capacity, daily cap."""
    buffer = dt.timedelta(minutes=plan.buffer_minutes)
    for busy in agent.showings:
        if busy.unit_id != plan.unit_id and busy.starts_at - buffer < end and busy.ends_at + buffer > start:
            return False
    if sum(1 for b in plan.showings if b.starts_at < end and b.ends_at > start) >= plan.group_capacity:
        return False
    agent_zone = zoneinfo.ZoneInfo(agent.availability.timezone)
    day = start.astimezone(agent_zone).date()
    cap = agent.daily_cap or plan.daily_cap
    return sum(1 for b in agent.showings if b.starts_at.astimezone(agent_zone).date() == day) < cap


def plainly_free(plan, agent, start, end):
    """Open for unit and agent at every sampled instant (touching windows count as one), no fold ambiguity."""
    for availability in (plan.availability, agent.availability):
        seen = {span_at(availability, instant) for instant in samples(start, end)}
        if None in seen or AMBIGUOUS in seen:
            return False
    return agent_clear(plan, agent, start, end)


def grid_times(plan, now):
    """Every first-occurrence wall-clock grid time of the unit between notice and horizon."""
    zone = zoneinfo.ZoneInfo(plan.timezone)
    earliest = now + dt.timedelta(minutes=plan.min_notice_minutes)
    latest = now + dt.timedelta(days=plan.horizon_days)
    day = earliest.astimezone(zone).date()
    while day <= latest.astimezone(zone).date():
        for k in range(24 * 60 // plan.grid_minutes):
            wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=k * plan.grid_minutes)
            instant = wall.replace(tzinfo=zone).astimezone(UTC)
            if instant.astimezone(zone).replace(tzinfo=None) != wall:
                continue  # inside a spring-forward gap
            if earliest <= instant < latest:
                yield instant
        day += dt.timedelta(days=1)


# ---------------------------------------------------------------- the properties

SEEDS = range(120)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_offered_slot_is_really_open_for_the_unit_and_its_agent(seed):
    plan, now = random_plan(seed)
    offered = slots.compute(plan, now)
    agents = {agent.agent_id: agent for agent in plan.agents}
    zone = zoneinfo.ZoneInfo(plan.timezone)
    length = dt.timedelta(minutes=plan.length_minutes)
    starts = [slot.starts_at for slot in offered]
    assert starts == sorted(set(starts)), "one slot per start time, earliest first"
    for slot in offered:
        agent = agents[slot.agent_id]
        assert slot.assignment_id == agent.assignment_id and slot.priority == agent.priority
        assert slot.ends_at - slot.starts_at == length
        assert now + dt.timedelta(minutes=plan.min_notice_minutes) <= slot.starts_at
        assert slot.starts_at < now + dt.timedelta(days=plan.horizon_days)
        local = slot.starts_at.astimezone(zone)
        assert (local.hour * 60 + local.minute) % plan.grid_minutes == 0 and not local.second
        assert local.fold == 0, "a fall-back time is offered at its first occurrence only"
        for instant in samples(slot.starts_at, slot.ends_at):
            assert span_at(plan.availability, instant) is not None, f"unit closed at {instant}"
            assert span_at(agent.availability, instant) is not None, f"agent closed at {instant}"
        assert agent_clear(plan, agent, slot.starts_at, slot.ends_at)
        assert slot.unit_window.timezone == plan.timezone
        assert slot.agent_window.timezone == agent.availability.timezone


@pytest.mark.parametrize("seed", SEEDS)
def test_every_plainly_free_grid_time_is_offered_to_the_best_free_agent(seed):
    plan, now = random_plan(seed)
    offered = {slot.starts_at: slot for slot in slots.compute(plan, now)}
    length = dt.timedelta(minutes=plan.length_minutes)
    for start in grid_times(plan, now):
        free = [agent.priority for agent in plan.agents if plainly_free(plan, agent, start, start + length)]
        if free:
            assert start in offered, f"{start} is free for priority {min(free)} but not offered"
            assert offered[start].priority <= min(free)


def test_a_now_with_a_zero_second_and_microseconds_still_offers_the_current_window():
    """Regression: sub-second parts of `now` once pushed the first grid time days ahead."""

    def open_all_day(zone):
        return slots.Availability(zone, rules=[slots.Rule(day + 1, day, dt.time(9), dt.time(17)) for day in range(7)])

    plan = slots.UnitPlan(
        unit_id=1, timezone="UTC", availability=open_all_day("UTC"), min_notice_minutes=0, horizon_days=1,
        agents=[slots.AgentPlan(assignment_id=1, priority=1, agent_id=1, agent_name="A",
                                availability=open_all_day("UTC"))],
    )
    for now, first in (
        (dt.datetime(2027, 1, 6, 10, 0, 0, 600000, tzinfo=UTC), "10:30"),
        (dt.datetime(2027, 1, 6, 10, 0, 1, tzinfo=UTC), "10:30"),
        (dt.datetime(2027, 1, 6, 10, 0, tzinfo=UTC), "10:00"),
    ):
        offered = slots.compute(plan, now)
        assert offered[0].starts_at.strftime("%H:%M") == first
        assert len([s for s in offered if s.starts_at.date() == now.date()]) == 14 - (first == "10:30")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("first_span_hours", [3, 48])
def test_a_limited_search_stops_early_yet_returns_exactly_the_full_horizons_first_slots(
    seed, first_span_hours, monkeypatch
):
    plan, now = random_plan(seed)
    plan.horizon_days = 9  # weekly rules repeat past the generated days, so later days have windows too
    monkeypatch.setattr(slots, "_FIRST_SPAN", dt.timedelta(hours=first_span_hours))
    for dedupe in (True, False):
        full = slots.compute(plan, now, dedupe=dedupe)
        for limit in (0, 1, 3, 8, 40, len(full) + 1):
            assert slots.compute(plan, now, limit=limit, dedupe=dedupe) == full[:limit], (dedupe, limit)
