"""The unit's local grid, read from cached per-date grids, is exactly a walk of the local clock."""

import datetime as dt
import random
import zoneinfo

import pytest

from scheduling import slots
from tests.scheduling import test_slot_invariants as invariants

pytestmark = pytest.mark.unit

UTC = dt.UTC
# DST of one hour and of 30 minutes, changes at 00:00 and 24:00 local, both hemispheres, no DST.
ZONES = [
    "America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago", "America/Havana",
    "Asia/Beirut", "America/St_Johns", "Asia/Kolkata", "UTC",
]
GRIDS = [5, 7, 15, 30, 45, 50, 60, 90, 240]


def walked_grid_starts(start, end, zone, grid, length, earliest, latest):
    """The reference: step the local clock from midnight of the piece's first instant, one grid at a
    time, skipping times that do not exist and taking a fall-back time's first occurrence."""
    low = max(start, earliest)
    if low >= end:
        return []
    wall = low.astimezone(zone).replace(tzinfo=None)
    midnight = wall.replace(hour=0, minute=0, second=0, microsecond=0)
    minutes = -(-(wall - midnight) // dt.timedelta(minutes=grid)) * grid
    starts = []
    while True:
        naive = midnight + dt.timedelta(minutes=minutes)
        minutes += grid
        if naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
            continue
        slot_start = naive.replace(tzinfo=zone).astimezone(UTC)
        if slot_start + length > end or slot_start >= latest:
            return starts
        if slot_start >= low:
            starts.append(slot_start)


def clock_changes(zone, year):
    """Instants at which the zone's UTC offset changes during `year` (to the hour)."""
    changes, instant = [], dt.datetime(year, 1, 1, tzinfo=UTC)
    offset = instant.astimezone(zone).utcoffset()
    while instant.year == year:
        instant += dt.timedelta(hours=1)
        if instant.astimezone(zone).utcoffset() != offset:
            changes.append(instant)
            offset = instant.astimezone(zone).utcoffset()
    return changes


@pytest.mark.parametrize("name", ZONES)
def test_grid_starts_match_a_walk_of_the_local_clock(name):
    zone = zoneinfo.ZoneInfo(name)
    rng = random.Random(name)
    around = clock_changes(zone, 2027) or [dt.datetime(2027, 6, 1, tzinfo=UTC)]
    for _ in range(300):
        start = rng.choice(around) + dt.timedelta(minutes=rng.randrange(-36 * 60, 12 * 60),
                                                  microseconds=rng.choice([0, 0, 1, 600000]))
        end = start + dt.timedelta(minutes=rng.randrange(1, 3 * 24 * 60))
        earliest = start + dt.timedelta(minutes=rng.randrange(-600, 600), microseconds=rng.choice([0, 250000]))
        latest = earliest + dt.timedelta(minutes=rng.randrange(0, 4 * 24 * 60))
        grid, length = rng.choice(GRIDS), dt.timedelta(minutes=rng.choice([5, 30, 45, 60, 240]))
        args = (start, end, zone, grid, length, earliest, latest)
        assert slots._grid_starts(*args) == walked_grid_starts(*args), args


def test_results_do_not_depend_on_what_the_caches_hold():
    for seed in range(20):
        plan, now = invariants.random_plan(seed)
        warm = slots.compute(plan, now, dedupe=False)
        slots._instant.cache_clear()
        slots._day_grid.cache_clear()
        assert slots.compute(plan, now, dedupe=False) == warm
