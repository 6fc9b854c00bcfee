"""What Postgres itself refuses, whatever code path writes the rows."""

import pytest
from django.db import IntegrityError, transaction

from leasebot.clock import utc
from tests.scheduling.factories import assign, make_agent_profile, make_showing, make_unit

pytestmark = pytest.mark.django_db


def test_it_refuses_one_agent_in_two_overlapping_live_showings_of_different_units():
    agent = make_agent_profile()
    unit_a, unit_b = make_unit(), make_unit()
    make_showing(unit_a, agent, utc(2027, 1, 8, 15, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_showing(unit_b, agent, utc(2027, 1, 8, 15, 15))


def test_it_allows_a_group_showing_of_the_same_unit_at_the_same_time():
    agent = make_agent_profile()
    unit = make_unit(group_capacity=2)
    make_showing(unit, agent, utc(2027, 1, 8, 15, 0))
    make_showing(unit, agent, utc(2027, 1, 8, 15, 0))


def test_it_ignores_showings_that_are_no_longer_live():
    agent = make_agent_profile()
    unit_a, unit_b = make_unit(), make_unit()
    make_showing(unit_a, agent, utc(2027, 1, 8, 15, 0), status="cancelled")
    make_showing(unit_b, agent, utc(2027, 1, 8, 15, 0))


def test_it_allows_back_to_back_showings_of_different_units():
    agent = make_agent_profile()
    make_showing(make_unit(), agent, utc(2027, 1, 8, 15, 0))
    make_showing(make_unit(), agent, utc(2027, 1, 8, 15, 30))


def test_it_refuses_two_active_assignments_with_one_priority_on_a_unit():
    unit = make_unit()
    assign(unit, make_agent_profile(), priority=1)
    assign(unit, make_agent_profile(), priority=1, mode="passive")
    with pytest.raises(IntegrityError), transaction.atomic():
        assign(unit, make_agent_profile(), priority=1)
