"""What Postgres itself refuses, whatever code path writes the rows."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from leasebot.clock import utc
from scheduling.models import Unit, WeeklyRule
from tests.scheduling.factories import assign, hm, make_agent_profile, make_showing, make_unit

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


def _rule(owner, start, end, *, weekday=0, effective_from=None, effective_until=None):
    """An unsaved rule: bulk_create writes it without model validation."""
    key = "unit" if isinstance(owner, Unit) else "agent"
    return WeeklyRule(**{key: owner}, weekday=weekday, start_time=hm(start), end_time=hm(end),
                      effective_from=effective_from, effective_until=effective_until)


def _refused(*rules):
    with pytest.raises(IntegrityError, match="weeklyrule_no_"), transaction.atomic():
        WeeklyRule.objects.bulk_create(rules)


@pytest.mark.parametrize("make_owner", [make_unit, make_agent_profile], ids=["unit", "agent"])
def test_it_refuses_overlapping_weekly_rules_of_one_owner_that_skip_validation(make_owner):
    owner = make_owner()
    WeeklyRule.objects.bulk_create([_rule(owner, "10:00", "12:00")])
    _refused(_rule(owner, "11:00", "13:00"))
    _refused(_rule(owner, "09:00", "17:00"))  # around it
    _refused(_rule(owner, "10:30", "11:00"))  # inside it
    _refused(_rule(owner, "14:00", "15:00"), _rule(owner, "14:30", "16:00"))  # two new ones in one statement
    assert WeeklyRule.objects.count() == 1


def test_it_refuses_an_update_that_makes_two_rules_overlap():
    unit = make_unit()
    WeeklyRule.objects.bulk_create([_rule(unit, "10:00", "12:00"), _rule(unit, "13:00", "14:00")])
    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyRule.objects.filter(start_time=hm("13:00")).update(start_time=hm("11:30"))


def test_it_refuses_overlapping_effective_periods_including_a_shared_last_day():
    unit = make_unit()
    WeeklyRule.objects.bulk_create([_rule(unit, "10:00", "12:00", effective_until=dt.date(2027, 3, 31))])
    _refused(_rule(unit, "10:00", "12:00", effective_from=dt.date(2027, 3, 31)))  # both cover 31 March
    _refused(_rule(unit, "10:00", "12:00"))  # open-ended both ways


def test_it_allows_touching_rules_other_weekdays_owners_and_separate_effective_periods():
    unit, other_unit, agent = make_unit(), make_unit(), make_agent_profile()
    WeeklyRule.objects.bulk_create([
        _rule(unit, "10:00", "12:00"),
        _rule(unit, "12:00", "14:00"),  # adjacent: one ends as the other starts
        _rule(unit, "10:00", "12:00", weekday=1),
        _rule(other_unit, "10:00", "12:00"),
        _rule(agent, "10:00", "12:00"),
        _rule(unit, "15:00", "17:00", effective_until=dt.date(2027, 3, 31)),
        _rule(unit, "15:00", "17:00", effective_from=dt.date(2027, 4, 1), effective_until=dt.date(2027, 6, 30)),
        _rule(unit, "15:00", "17:00", effective_from=dt.date(2027, 7, 1)),
    ])
    assert WeeklyRule.objects.count() == 8


def test_the_database_and_model_validation_agree_on_what_overlaps():
    unit = make_unit()
    saved = _rule(unit, "10:00", "12:00", effective_from=dt.date(2027, 1, 1), effective_until=dt.date(2027, 1, 31))
    saved.save()
    cases = [
        _rule(unit, "12:00", "13:00"),
        _rule(unit, "11:59", "13:00"),
        _rule(unit, "10:00", "12:00", effective_from=dt.date(2027, 2, 1)),
        _rule(unit, "10:00", "12:00", effective_from=dt.date(2027, 1, 31)),
        _rule(unit, "10:00", "12:00", effective_until=dt.date(2026, 12, 31)),
        _rule(unit, "10:00", "12:00", effective_until=dt.date(2027, 1, 1)),
    ]
    for candidate in cases:
        validation_refuses = candidate.overlapping_rules().exists()
        try:
            with transaction.atomic():
                candidate.save()
            database_refuses = False
            candidate.delete()
        except IntegrityError:
            database_refuses = True
        assert database_refuses == validation_refuses, candidate
