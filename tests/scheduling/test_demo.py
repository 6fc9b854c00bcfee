"""The demo seed: units, assignments and hours for the demo agents, idempotent."""

import pytest

from leasebot import demo_data
from scheduling import demo
from scheduling.agents import create_agent_profile
from scheduling.models import Showing, Unit, UnitAssignment, WeeklyRule

pytestmark = pytest.mark.django_db


def counts():
    return (Unit.objects.count(), UnitAssignment.objects.count(), WeeklyRule.objects.count(), Showing.objects.count())


def test_the_demo_seed_is_idempotent(frozen_now):
    for username, password, name, zone in demo_data.AGENTS:
        create_agent_profile(demo_data._user(username, password, name, "agent"), display_name=name, timezone=zone)
    demo.seed()
    first = counts()
    demo.seed()
    assert counts() == first
    assert first[0] == 4 and first[3] == 2
    assert UnitAssignment.objects.filter(mode="passive").exists()
