"""Demo units, assignments, availability and a couple of showings. Safe to run again (idempotent)."""

import datetime as dt

from leasebot import clock
from scheduling import booking, slots
from scheduling.models import AgentProfile, Showing, Unit, UnitAssignment, WeeklyRule

UNITS = (
    # property, unit, address, beds, baths, zone
    ("Maple Court", "4B", "120 Maple St, Brooklyn, NY", 2, 1, "America/New_York"),
    ("Maple Court", "2A", "120 Maple St, Brooklyn, NY", 1, 1, "America/New_York"),
    ("Lakeview Lofts", "12", "800 N Lake Shore Dr, Chicago, IL", 3, 2, "America/Chicago"),
    ("Riverside Flats", "3", "45 W Wacker Dr, Chicago, IL", 1, 1, "America/Chicago"),
)
# (property, unit) -> [(username, mode, priority)]
ASSIGNMENTS = {
    ("Maple Court", "4B"): [("alex", "active", 1), ("sam", "passive", 10)],
    ("Maple Court", "2A"): [("alex", "active", 1)],
    ("Lakeview Lofts", "12"): [("sam", "active", 1), ("alex", "active", 2)],
    ("Riverside Flats", "3"): [("sam", "active", 1)],
}
WEEKDAYS, SATURDAY = range(5), 5
DEMO_SHOWINGS = (("demo-showing-1", ("Maple Court", "4B"), "Jordan Demo"), ("demo-showing-2", ("Lakeview Lofts", "12"), "Casey Demo"))


def _hours(owner_field, owner, weekday_hours):
    if WeeklyRule.objects.filter(**{owner_field: owner}).exists():
        return
    for weekdays, start, end in weekday_hours:
        for day in weekdays:
            WeeklyRule.objects.create(**{owner_field: owner}, weekday=day, start_time=dt.time.fromisoformat(start),
                                      end_time=dt.time.fromisoformat(end))


def seed(stdout=None):
    agents = {p.user.username: p for p in AgentProfile.objects.select_related("user").filter(
        user__username__in=["alex", "sam"])}
    units = {}
    for name, number, address, beds, baths, zone in UNITS:
        unit, _ = Unit.objects.get_or_create(
            property_name=name, unit_number=number,
            defaults={"address": address, "bedrooms": beds, "bathrooms": baths, "timezone": zone},
        )
        units[(name, number)] = unit
        _hours("unit", unit, [(WEEKDAYS, "10:00", "18:00"), ([SATURDAY], "10:00", "14:00")])
    for key, rows in ASSIGNMENTS.items():
        for username, mode, priority in rows:
            if username in agents:
                UnitAssignment.objects.get_or_create(
                    unit=units[key], agent=agents[username], defaults={"mode": mode, "priority": priority}
                )
    for agent in agents.values():
        _hours("agent", agent, [(WEEKDAYS, "09:00", "17:00"), ([SATURDAY], "10:00", "13:00")])

    booked = 0
    for key, unit_key, lead_name in DEMO_SHOWINGS:
        if Showing.objects.filter(idempotency_key=key).exists():
            continue
        unit = units[unit_key]
        offer = slots.candidates(unit, clock.now(), limit=1)
        if offer:
            result = booking.book(unit, offer[0], key, booking.Lead(lead_name, "lead@demo.leasebot.test"), "admin")
            booked += isinstance(result, booking.Booked)
    if stdout is not None:
        stdout.write(f"scheduling: {len(units)} units, {len(agents)} agents with hours, {booked} new demo showings")
