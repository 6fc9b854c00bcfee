"""The slot engine: unit windows ∩ each active assignment's agent windows − blocks − conflicts, on a grid.

`compute(plan, now)` is pure: it works on a `UnitPlan` of already-loaded intervals, so every rule
here is testable without a database. `candidates(unit, now, ...)` loads one unit's horizon in one
query and calls it.

All intervals are aware UTC datetimes, half-open [start, end). Local wall-clock times are turned into
instants per date in the owner's own zone, so a weekly 10:00–12:00 rule stays 10:00–12:00 local on
both sides of a DST change. Slots sit on a grid of the unit's local clock: a grid time that does not
exist (spring-forward gap) is skipped, and one that exists twice (fall-back fold) is taken once (its
first occurrence).
"""

import bisect
import dataclasses
import datetime as dt
import functools
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings as django_settings
from django.db import connection

from scheduling.models import (
    LIVE_STATUSES,
    AgentProfile,
    AvailabilityBlock,
    DateOverride,
    Showing,
    UnitAssignment,
    WeeklyRule,
)

UTC = dt.UTC
DEFAULTS = {
    "GRID_MINUTES": 30,
    "MIN_NOTICE_MINUTES": 120,
    "HORIZON_DAYS": 14,
    "BUFFER_MINUTES": 15,
    "DAILY_CAP": 8,
    "SPREAD_DAYS": False,
    "ALTERNATIVES": 3,
}


def setting(name):
    """Site-wide slot settings: LEASEBOT_SLOT_GRID_MINUTES, ..._MIN_NOTICE_MINUTES, ..._HORIZON_DAYS,
    ..._BUFFER_MINUTES, ..._DAILY_CAP, ..._SPREAD_DAYS, ..._ALTERNATIVES."""
    return getattr(django_settings, f"LEASEBOT_SLOT_{name}", DEFAULTS[name])


# ---------------------------------------------------------------- loaded intervals (plain data)


@dataclass(frozen=True)
class WindowSource:
    """Where an availability window came from, in its owner's local terms."""

    kind: str  # "weekly" | "override"
    rule_id: int
    timezone: str
    date: dt.date
    start: dt.time
    end: dt.time

    def as_dict(self):
        return {
            "kind": self.kind,
            "rule_id": self.rule_id,
            "timezone": self.timezone,
            "date": self.date.isoformat(),
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
        }

    def label(self):
        return f"{self.kind} {self.date:%a %Y-%m-%d} {self.start:%H:%M}–{self.end:%H:%M} {self.timezone}"


@dataclass(frozen=True)
class Rule:
    id: int
    weekday: int
    start: dt.time
    end: dt.time
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None

    def applies_on(self, day):
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_until and day > self.effective_until)


@dataclass(frozen=True)
class Override:
    id: int
    date: dt.date
    closed: bool
    start: dt.time | None = None
    end: dt.time | None = None


@dataclass
class Availability:
    """One owner's weekly rules, date overrides and blocks, read in `timezone`."""

    timezone: str
    rules: list = field(default_factory=list)
    overrides: list = field(default_factory=list)
    blocks: list = field(default_factory=list)  # [(starts_at, ends_at)]


@dataclass(frozen=True)
class Busy:
    """A live showing, as the engine needs it."""

    unit_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    created_at: dt.datetime | None = None


@dataclass
class AgentPlan:
    assignment_id: int
    priority: int
    agent_id: int
    agent_name: str
    availability: Availability
    showings: list = field(default_factory=list)  # [Busy] live showings of this agent, any unit
    daily_cap: int | None = None


@dataclass
class UnitPlan:
    unit_id: int
    timezone: str
    availability: Availability
    agents: list  # [AgentPlan] active assignments only
    showings: list = field(default_factory=list)  # [Busy] live showings of this unit, any agent
    length_minutes: int = 30
    group_capacity: int = 1
    grid_minutes: int = 30
    min_notice_minutes: int = 120
    horizon_days: int = 14
    buffer_minutes: int = 15
    daily_cap: int = 8


# ---------------------------------------------------------------- the result


@dataclass(frozen=True)
class Slot:
    unit_id: int
    agent_id: int
    agent_name: str
    assignment_id: int
    priority: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str
    unit_window: WindowSource
    agent_window: WindowSource

    @property
    def local_start(self):
        return self.starts_at.astimezone(_zone(self.timezone))

    @property
    def local_end(self):
        return self.ends_at.astimezone(_zone(self.timezone))

    def source_dict(self):
        """JSON-able provenance, stored on the showing as `slot_source` and in audit details."""
        return {
            "unit_id": self.unit_id,
            "agent_id": self.agent_id,
            "assignment": {"id": self.assignment_id, "priority": self.priority},
            "starts_at": self.starts_at.astimezone(UTC).isoformat(),
            "ends_at": self.ends_at.astimezone(UTC).isoformat(),
            "timezone": self.timezone,
            "unit_window": self.unit_window.as_dict(),
            "agent_window": self.agent_window.as_dict(),
        }

    @classmethod
    def from_source(cls, source, agent_name=""):
        """Rebuild an offered slot from its `source_dict()` (e.g. stored with an outbound offer)."""

        def window(data):
            return WindowSource(
                kind=data["kind"], rule_id=data["rule_id"], timezone=data["timezone"],
                date=dt.date.fromisoformat(data["date"]), start=dt.time.fromisoformat(data["start"]),
                end=dt.time.fromisoformat(data["end"]),
            )

        return cls(
            unit_id=source["unit_id"], agent_id=source["agent_id"], agent_name=agent_name,
            assignment_id=source["assignment"]["id"], priority=source["assignment"]["priority"],
            starts_at=dt.datetime.fromisoformat(source["starts_at"]),
            ends_at=dt.datetime.fromisoformat(source["ends_at"]), timezone=source["timezone"],
            unit_window=window(source["unit_window"]), agent_window=window(source["agent_window"]),
        )


# ---------------------------------------------------------------- local time → instants


@functools.cache
def _zone(name):
    """The ZoneInfo for a name, looked up once per process: the engine needs it per owner per call."""
    return zoneinfo.ZoneInfo(name)


def _exists(naive, zone):
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


# Cached: every call for a unit turns the same rule times on the same dates into instants.
@functools.lru_cache(maxsize=16384)
def _instant(day, time, zone):
    """A local wall-clock time as an instant: in a gap, the first minute after it; in a fold, the first."""
    naive = dt.datetime.combine(day, time)
    for _ in range(240):
        if _exists(naive, zone):
            return naive.replace(tzinfo=zone).astimezone(UTC)
        naive += dt.timedelta(minutes=1)
    raise ValueError(f"no valid local time near {day} {time} in {zone}")


# Cached: every call for a unit walks the same local dates, and this is most of the engine's
# time-zone work (three conversions per grid time).
@functools.lru_cache(maxsize=2048)
def _day_grid(zone, day, grid, phase):
    """Instants of the grid times `phase`, `phase + grid`, ... minutes after local midnight of `day`
    that exist on the local clock (none in a spring-forward gap; a fall-back time's first occurrence)."""
    midnight = dt.datetime.combine(day, dt.time())
    instants = []
    for minutes in range(phase, 24 * 60, grid):
        naive = midnight + dt.timedelta(minutes=minutes)
        if _exists(naive, zone):
            instants.append(naive.replace(tzinfo=zone).astimezone(UTC))
    return tuple(instants)


def _windows(availability, first_day, last_day):
    """[(start, end, WindowSource)] for each local date in the range, sorted by start."""
    zone = _zone(availability.timezone)
    rules_by_weekday = defaultdict(list)
    for rule in availability.rules:
        rules_by_weekday[rule.weekday].append(rule)
    overrides_by_date = defaultdict(list)
    for item in availability.overrides:
        overrides_by_date[item.date].append(item)

    result = []
    day = first_day
    while day <= last_day:
        overrides = overrides_by_date.get(day)
        if overrides is not None:
            spans = [] if any(o.closed for o in overrides) else [("override", o.id, o.start, o.end) for o in overrides]
        else:
            spans = [("weekly", r.id, r.start, r.end) for r in rules_by_weekday[day.weekday()] if r.applies_on(day)]
        for kind, rule_id, start, end in spans:
            starts_at, ends_at = _instant(day, start, zone), _instant(day, end, zone)
            if ends_at > starts_at:
                source = WindowSource(kind, rule_id, availability.timezone, day, start, end)
                result.append((starts_at, ends_at, source))
        day += dt.timedelta(days=1)
    result.sort(key=lambda w: (w[0], w[1]))
    return _join_touching(result)


def _join_touching(windows):
    """Touching windows (12:00–13:00 then 13:00–17:00, or two sides of a DST jump) are one window,
    so a showing across the seam is offered; the joined window keeps the first one's source."""
    joined = []
    for start, end, source in windows:
        if joined and start <= joined[-1][1]:
            first_start, first_end, first_source = joined[-1]
            if end > first_end:
                if first_source.date == source.date:
                    first_source = dataclasses.replace(first_source, end=source.end)
                joined[-1] = (first_start, end, first_source)
        else:
            joined.append((start, end, source))
    return joined


def open_windows(availability, first_day, last_day):
    """The owner's windows for local dates in the range, minus its blocks."""
    return _subtract(_windows(availability, first_day, last_day), availability.blocks)


# ---------------------------------------------------------------- interval arithmetic


def _merge(spans):
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return merged


def _subtract(windows, spans):
    """Windows minus busy spans; each remaining piece keeps its window's source."""
    busy = _merge(spans)
    if not busy:
        return windows
    result = []
    for start, end, source in windows:
        cursor = start
        for b_start, b_end in busy:
            if b_end <= cursor:
                continue
            if b_start >= end:
                break
            if b_start > cursor:
                result.append((cursor, b_start, source))
            cursor = max(cursor, b_end)
            if cursor >= end:
                break
        if cursor < end:
            result.append((cursor, end, source))
    return result


def _intersect(unit_windows, agent_windows):
    """[(start, end, unit_source, agent_source)] where both are open."""
    result = []
    i = j = 0
    while i < len(unit_windows) and j < len(agent_windows):
        u_start, u_end, u_src = unit_windows[i]
        a_start, a_end, a_src = agent_windows[j]
        start, end = max(u_start, a_start), min(u_end, a_end)
        if start < end:
            result.append((start, end, u_src, a_src))
        if u_end <= a_end:
            i += 1
        else:
            j += 1
    return result


def _grid_starts(start, end, zone, grid, length, earliest, latest):
    """Grid times of the local clock whose whole showing fits in [start, end) and that start in
    [earliest, latest), in order.

    The grid counts from local midnight of the piece's first instant and runs on past midnight, so a
    grid that does not divide the day keeps its phase. A fall-back time is its first occurrence,
    which can fall before the piece: then it is not offered.
    """
    low = max(start, earliest)
    if low >= end or low >= latest:
        return []
    last = end - length  # the latest start whose showing still ends by `end`
    day = low.astimezone(zone).date()
    minutes_from_midnight = 0  # from the grid's own midnight to `day`'s
    starts = []
    # A local midnight is within a day of the same wall time read as UTC, so past this no time fits.
    while dt.datetime.combine(day, dt.time(), tzinfo=UTC) - _ONE_DAY < end:
        instants = _day_grid(zone, day, grid, -minutes_from_midnight % grid)
        fits = min(bisect.bisect_right(instants, last), bisect.bisect_left(instants, latest))
        starts.extend(instants[bisect.bisect_left(instants, low):fits])
        if fits < len(instants):  # a later time does not fit either
            break
        day += _ONE_DAY
        minutes_from_midnight += 24 * 60
    return starts


_ONE_DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------- the computation


def _overlaps(spans, start, end):
    return sum(1 for s in spans if s.starts_at < end and s.ends_at > start)


def _agent_options(plan, agent, unit_windows, earliest, latest, first_day, last_day):
    """[(starts_at, unit_source, agent_source)] of the slots this agent can take, earliest first."""
    zone = _zone(plan.timezone)
    agent_zone = _zone(agent.availability.timezone)
    buffer = dt.timedelta(minutes=plan.buffer_minutes)
    length = dt.timedelta(minutes=plan.length_minutes)
    cap = agent.daily_cap or plan.daily_cap
    if cap <= 0:
        return []  # every day is full

    other_units = [(s.starts_at - buffer, s.ends_at + buffer) for s in agent.showings if s.unit_id != plan.unit_id]
    windows = _windows(agent.availability, first_day, last_day)
    windows = _subtract(windows, list(agent.availability.blocks) + other_units)
    per_day = Counter(s.starts_at.astimezone(agent_zone).date() for s in agent.showings)
    # Usually no day is at the cap, and then a slot's local date is not needed at all.
    full_days = {day for day, count in per_day.items() if count >= cap}

    options = []
    for start, end, unit_source, agent_source in _intersect(unit_windows, windows):
        if start >= latest:
            break  # pieces come in time order
        starts = _grid_starts(start, end, zone, plan.grid_minutes, length, earliest, latest)
        # Only this piece's showings can overlap its slots; fewer than the capacity cannot fill one.
        busy = [s for s in plan.showings if s.starts_at < end and s.ends_at > start]
        crowded = len(busy) >= plan.group_capacity
        for slot_start in starts:
            if full_days and slot_start.astimezone(agent_zone).date() in full_days:
                continue
            if crowded and _overlaps(busy, slot_start, slot_start + length) >= plan.group_capacity:
                continue
            options.append((slot_start, unit_source, agent_source))
    return options


def _preference(agent, now):
    """Best priority first, then fewest upcoming showings, then the one booked least recently."""
    upcoming = [s for s in agent.showings if s.starts_at >= now]
    last_booked = max((s.created_at for s in agent.showings if s.created_at), default=None)
    return (agent.priority, len(upcoming), last_booked.timestamp() if last_booked else 0.0, agent.assignment_id)


def _spread(slots, limit):
    """Round-robin over local days so a short list still shows different days, kept in time order."""
    by_day = defaultdict(list)
    for slot in slots:
        by_day[slot.local_start.date()].append(slot)
    days = sorted(by_day)
    chosen = []
    depth = 0
    while len(chosen) < limit and any(len(by_day[d]) > depth for d in days):
        for day in days:
            if len(by_day[day]) > depth and len(chosen) < limit:
                chosen.append(by_day[day][depth])
        depth += 1
    return sorted(chosen, key=lambda s: s.starts_at)


# The first partial horizon tried when only a few slots are wanted; it grows until enough are found.
_FIRST_SPAN = dt.timedelta(days=2)


def compute(plan, now, *, limit=None, spread=False, dedupe=True):
    """Offerable slots for one unit, earliest first; one per start time unless `dedupe` is False.

    With a `limit` (and no day spreading) the horizon is searched in growing spans from the earliest
    day: a span's slots that end inside it are exactly the full horizon's first slots, so as soon as
    a span yields `limit` of them the answer is the same as computing all 14 days.
    """
    if not plan.agents:
        return []
    earliest = now + dt.timedelta(minutes=plan.min_notice_minutes)
    latest = now + dt.timedelta(days=plan.horizon_days)
    length = dt.timedelta(minutes=plan.length_minutes)
    if limit is not None and not spread:
        span = _FIRST_SPAN
        while earliest + span < latest:
            cutoff = earliest + span
            found = [o for o in _compute(plan, now, earliest, cutoff, dedupe) if o[0] + length <= cutoff]
            if len(found) >= limit:
                return _slots(plan, found[:limit])
            # Grow by the density seen so far (with a margin), so a large `limit` costs about one more pass.
            growth = max(2, -(-limit * 5 // (4 * max(len(found), 1))))
            span = min(span * min(growth, 1000), latest - earliest)
    options = _compute(plan, now, earliest, latest, dedupe)
    if limit is not None and not spread:
        options = options[:limit]
    result = _slots(plan, options)
    return _spread(result, limit) if limit is not None and spread else result


def _compute(plan, now, earliest, latest, dedupe):
    """Every offerable slot starting in [earliest, latest), earliest first, as
    (starts_at, preference, agent index, unit_source, agent_source).

    Windows are built for local dates through the day after `latest`'s UTC date, so they are exact
    well past `latest`: a slot ending by `latest` is the same here as in any longer horizon.
    """
    # Any zone's local date is within a day of the UTC date.
    first_day = earliest.astimezone(UTC).date() - dt.timedelta(days=1)
    last_day = latest.astimezone(UTC).date() + dt.timedelta(days=1)

    unit_windows = open_windows(plan.availability, first_day, last_day)
    if not unit_windows:
        return []
    preference = {agent.agent_id: _preference(agent, now) for agent in plan.agents}
    options = []
    for index, agent in enumerate(plan.agents):
        rank = preference[agent.agent_id]
        for starts_at, unit_source, agent_source in _agent_options(
            plan, agent, unit_windows, earliest, latest, first_day, last_day
        ):
            options.append((starts_at, rank, index, unit_source, agent_source))
    # One agent offers a start time once, so (start, preference, index) is unique and the sort never
    # compares sources; equal preferences keep the agents' order.
    options.sort()
    if dedupe:  # the best agent for a time sorts first
        options = [o for i, o in enumerate(options) if i == 0 or o[0] != options[i - 1][0]]
    return options


def _slots(plan, options):
    length = dt.timedelta(minutes=plan.length_minutes)
    slots = []
    for starts_at, _rank, index, unit_source, agent_source in options:
        agent = plan.agents[index]
        slots.append(
            Slot(
                unit_id=plan.unit_id, agent_id=agent.agent_id, agent_name=agent.agent_name,
                assignment_id=agent.assignment_id, priority=agent.priority, starts_at=starts_at,
                ends_at=starts_at + length, timezone=plan.timezone, unit_window=unit_source,
                agent_window=agent_source,
            )
        )
    return slots


# ---------------------------------------------------------------- loading one unit's horizon


def unit_settings(unit):
    """The unit's own slot settings where set, else the site defaults."""

    def pick(value, name):
        return setting(name) if value is None else value

    return {
        "length_minutes": unit.showing_length_minutes,
        "group_capacity": unit.group_capacity,
        "grid_minutes": pick(unit.slot_grid_minutes, "GRID_MINUTES"),
        "min_notice_minutes": pick(unit.min_notice_minutes, "MIN_NOTICE_MINUTES"),
        "horizon_days": pick(unit.horizon_days, "HORIZON_DAYS"),
        "buffer_minutes": pick(unit.buffer_minutes, "BUFFER_MINUTES"),
        "daily_cap": setting("DAILY_CAP"),
    }


def load_plan(unit, now, *, agent_id=None, moving=None):
    """Everything `compute` needs for one unit, bounded to the horizon, in one query (none for an
    inactive unit): active assignments (with agents), weekly rules, date overrides in range, blocks in
    range, live showings in range (the agents' and the unit's).

    moving: the id of a showing the lead is moving (booking.book's `moving`); its time counts as free.
    """
    options = unit_settings(unit)
    plan = UnitPlan(unit_id=unit.pk, timezone=unit.timezone, availability=Availability(unit.timezone), agents=[],
                    **options)
    if not unit.active:
        return plan
    low = now - dt.timedelta(days=1)
    high = now + dt.timedelta(days=options["horizon_days"] + 1, minutes=options["min_notice_minutes"])
    params = {
        "unit": unit.pk, "agent": agent_id, "active": UnitAssignment.Mode.ACTIVE, "live": list(LIVE_STATUSES),
        "moving": moving or 0,  # 0: no showing has that id
        "low": low, "high": high,
        "first_date": low.date() - dt.timedelta(days=1), "last_date": high.date() + dt.timedelta(days=1),
    }
    with connection.cursor() as cursor:
        cursor.execute(_plan_sql(one_agent=agent_id is not None), params)
        assignments, rules, overrides, blocks, showings = cursor.fetchone()
    if not assignments:
        return plan

    by_agent = {agent: Availability(zone) for _id, _priority, agent, _name, zone, _cap in assignments}

    def owner_of(unit_pk, agent_pk):
        return plan.availability if unit_pk else by_agent[agent_pk]

    for rid, u, a, weekday, start, end, eff_from, eff_until in rules:
        owner_of(u, a).rules.append(
            Rule(rid, weekday, _time(start), _time(end), _date(eff_from), _date(eff_until))
        )
    for oid, u, a, day, closed, start, end in overrides:
        owner_of(u, a).overrides.append(Override(oid, _date(day), closed, _time(start), _time(end)))
    for u, a, starts_at, ends_at in blocks:
        owner_of(u, a).blocks.append((_timestamp(starts_at), _timestamp(ends_at)))

    showings_by_agent = defaultdict(list)
    for u, a, starts_at, ends_at, created_at in showings:
        busy = Busy(u, _timestamp(starts_at), _timestamp(ends_at), _timestamp(created_at))
        if u == unit.pk:
            plan.showings.append(busy)
        if a in by_agent:
            showings_by_agent[a].append(busy)

    for assignment_id, priority, agent, name, _zone, cap in assignments:
        plan.agents.append(
            AgentPlan(
                assignment_id=assignment_id, priority=priority, agent_id=agent, agent_name=name,
                availability=by_agent[agent], showings=showings_by_agent[agent], daily_cap=cap,
            )
        )
    return plan


# JSON carries dates, times and timestamps as ISO text; these turn them back into what the ORM returns.


def _date(text):
    return None if text is None else dt.date.fromisoformat(text)


def _time(text):
    return None if text is None else dt.time.fromisoformat(text)


def _timestamp(text):
    return None if text is None else dt.datetime.fromisoformat(text).astimezone(UTC)


def _names(model, alias):
    """The model's table (as `alias`) and each concrete field's column (as `alias.column`), quoted."""
    quote = connection.ops.quote_name
    names = {field.name: f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields}
    names["table"] = f"{quote(model._meta.db_table)} {alias}"
    return names


@functools.cache
def _plan_sql(*, one_agent):
    """The loader's single statement: one column per kind of row, each a JSON array of row arrays.

    `load_plan` runs once per inbound message on the triage hot path, so the five reads it needs
    (assignments, rules, overrides, blocks, showings) go in one round trip instead of five. Each
    subquery keeps the filters and ordering the ORM queries had (plus an id tie-break); names come
    from the models' metadata.
    """
    a, p = _names(UnitAssignment, "a"), _names(AgentProfile, "p")
    r, o = _names(WeeklyRule, "r"), _names(DateOverride, "o")
    b, s = _names(AvailabilityBlock, "b"), _names(Showing, "s")

    def owned(x):
        # Rows of the unit or of one of its assigned agents. `= ANY(ARRAY(...))` (not `IN (SELECT ...)`)
        # makes the agent ids one value computed first, so both sides of the OR use their index.
        return f"({x['unit']} = %(unit)s OR {x['agent']} = ANY(ARRAY(SELECT agent_id FROM assigned)))"

    only_agent = f"AND {a['agent']} = %(agent)s" if one_agent else ""
    return f"""
        WITH assigned AS (
            SELECT {a['id']} AS assignment_id, {a['priority']} AS priority, {a['agent']} AS agent_id,
                   {p['display_name']} AS name, {p['timezone']} AS timezone, {p['daily_showing_cap']} AS daily_cap
            FROM {a['table']} JOIN {p['table']} ON {p['id']} = {a['agent']}
            WHERE {a['unit']} = %(unit)s AND {a['mode']} = %(active)s AND {p['active']} {only_agent}
        )
        SELECT
            (SELECT COALESCE(json_agg(json_build_array(assignment_id, priority, agent_id, name, timezone, daily_cap)
                                      ORDER BY priority, assignment_id), '[]')
             FROM assigned),
            (SELECT COALESCE(json_agg(json_build_array({r['id']}, {r['unit']}, {r['agent']}, {r['weekday']},
                                                       {r['start_time']}, {r['end_time']}, {r['effective_from']},
                                                       {r['effective_until']})
                                      ORDER BY {r['weekday']}, {r['start_time']}, {r['id']}), '[]')
             FROM {r['table']}
             WHERE {owned(r)}),
            (SELECT COALESCE(json_agg(json_build_array({o['id']}, {o['unit']}, {o['agent']}, {o['date']},
                                                       {o['closed']}, {o['start_time']}, {o['end_time']})
                                      ORDER BY {o['date']}, {o['start_time']}, {o['id']}), '[]')
             FROM {o['table']}
             WHERE {owned(o)} AND {o['date']} >= %(first_date)s AND {o['date']} <= %(last_date)s),
            (SELECT COALESCE(json_agg(json_build_array({b['unit']}, {b['agent']}, {b['starts_at']}, {b['ends_at']})
                                      ORDER BY {b['starts_at']}, {b['id']}), '[]')
             FROM {b['table']}
             WHERE {owned(b)} AND {b['ends_at']} > %(low)s AND {b['starts_at']} < %(high)s),
            (SELECT COALESCE(json_agg(json_build_array({s['unit']}, {s['agent']}, {s['starts_at']}, {s['ends_at']},
                                                       {s['created_at']})
                                      ORDER BY {s['starts_at']}, {s['id']}), '[]')
             FROM {s['table']}
             WHERE {owned(s)} AND {s['status']} = ANY(%(live)s) AND {s['id']} <> %(moving)s
               AND {s['ends_at']} > %(low)s AND {s['starts_at']} < %(high)s)
    """


def candidates(unit, now, *, limit=None, spread=None, agent_id=None, dedupe=True, moving=None):
    """Slots a lead may be offered for `unit`, earliest first, each carrying its source."""
    if spread is None:
        spread = setting("SPREAD_DAYS")
    plan = load_plan(unit, now, agent_id=agent_id, moving=moving)
    return compute(plan, now, limit=limit, spread=spread, dedupe=dedupe)
