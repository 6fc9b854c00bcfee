"""Units, assignments, availability and showings for scheduling tests."""

import datetime as dt
import itertools

from django.contrib.auth.models import Group

from leasebot import roles
from scheduling.models import AvailabilityBlock, DateOverride, Showing, Unit, UnitAssignment, WeeklyRule
from tests import factories

_seq = itertools.count(1)

ALL_WEEK = range(7)


def make_unit(*, timezone="America/New_York", **fields):
    n = next(_seq)
    fields.setdefault("property_name", f"Test Property {n}")
    fields.setdefault("unit_number", str(n))
    fields.setdefault("address", f"{n} Test Street")
    return Unit.objects.create(timezone=timezone, **fields)


def ensure_role_groups():
    """Transactional tests flush the tables, including the role groups a data migration created."""
    for role in roles.ROLES:
        Group.objects.get_or_create(name=role)


def make_agent_profile(*, timezone="America/New_York", name=None, **fields):
    n = next(_seq)
    ensure_role_groups()
    user = factories.make_agent(name=name or f"Agent {n}", timezone=timezone)
    profile = user.agent_profile
    for key, value in fields.items():
        setattr(profile, key, value)
    if fields:
        profile.save()
    return profile


def assign(unit, agent, *, priority=None, mode="active"):
    if priority is None:
        priority = UnitAssignment.objects.filter(unit=unit).count() + 1
    return UnitAssignment.objects.create(unit=unit, agent=agent, priority=priority, mode=mode)


def hm(text):
    return dt.time.fromisoformat(text)


def weekly(owner, start, end, *, weekdays=ALL_WEEK, effective_from=None, effective_until=None):
    """Weekly rules for a unit or an agent profile, e.g. weekly(unit, "10:00", "12:00")."""
    key = "unit" if isinstance(owner, Unit) else "agent"
    return [
        WeeklyRule.objects.create(
            **{key: owner}, weekday=day, start_time=hm(start), end_time=hm(end),
            effective_from=effective_from, effective_until=effective_until,
        )
        for day in weekdays
    ]


def override(owner, date, start=None, end=None, *, closed=False):
    key = "unit" if isinstance(owner, Unit) else "agent"
    return DateOverride.objects.create(
        **{key: owner}, date=date, closed=closed,
        start_time=hm(start) if start else None, end_time=hm(end) if end else None,
    )


def block(owner, starts_at, ends_at, reason="blocked"):
    key = "unit" if isinstance(owner, Unit) else "agent"
    return AvailabilityBlock.objects.create(**{key: owner}, starts_at=starts_at, ends_at=ends_at, reason=reason)


def make_showing(unit, agent, starts_at, *, minutes=None, status="confirmed", **fields):
    n = next(_seq)
    minutes = minutes or unit.showing_length_minutes
    fields.setdefault("idempotency_key", f"test-showing-{n}")
    fields.setdefault("source", "admin")
    fields.setdefault("lead_name", f"Lead {n}")
    return Showing.objects.create(
        unit=unit, agent=agent, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=minutes),
        timezone=unit.timezone, status=status, **fields,
    )
