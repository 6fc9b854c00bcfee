"""Availability validation: end after start, no overlapping rules per owner and weekday, a message per field."""

import datetime as dt

import pytest
from django.urls import reverse

from leasebot.clock import utc
from leasebot.models import AuditEvent
from scheduling import availability
from scheduling.models import AvailabilityBlock
from tests.scheduling.factories import block, make_agent_profile, make_unit, override, weekly

pytestmark = pytest.mark.django_db

RULES, OVERRIDES, BLOCKS = (availability.KINDS[k] for k in ("rules", "overrides", "blocks"))


def rule_form(owner, **data):
    return availability.bind(RULES, owner, {f"rules-{k}": v for k, v in data.items()})


def override_form(owner, **data):
    return availability.bind(OVERRIDES, owner, {f"overrides-{k}": v for k, v in data.items()})


def test_a_rule_must_end_after_it_starts():
    form = rule_form(make_agent_profile(), weekday=0, start_time="12:00", end_time="12:00")
    assert not form.is_valid()
    assert form.errors["end_time"] == ["End time must be after the start time."]


def test_overlapping_rules_for_one_owner_and_weekday_are_refused():
    agent = make_agent_profile()
    weekly(agent, "09:00", "12:00", weekdays=[0])
    form = rule_form(agent, weekday=0, start_time="11:30", end_time="14:00")
    assert not form.is_valid()
    assert "Overlaps the existing Monday 09:00–12:00 rule" in form.errors["start_time"][0]


def test_an_overlap_is_reported_once_in_words_not_also_as_the_database_constraint():
    agent = make_agent_profile()
    weekly(agent, "09:00", "12:00", weekdays=[0])
    form = rule_form(agent, weekday=0, start_time="11:30", end_time="14:00")
    assert not form.is_valid()
    assert list(form.errors) == ["start_time"] and len(form.errors["start_time"]) == 1


def test_a_touching_rule_passes_validation_and_the_database():
    agent = make_agent_profile()
    weekly(agent, "09:00", "12:00", weekdays=[0])
    form = rule_form(agent, weekday=0, start_time="12:00", end_time="14:00")
    assert form.is_valid()
    availability.save(RULES, form)
    assert agent.weeklyrules.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"weekday": 1, "start_time": "09:00", "end_time": "12:00"},  # another weekday
        {"weekday": 0, "start_time": "12:00", "end_time": "14:00"},  # touching, not overlapping
        {"weekday": 0, "start_time": "09:00", "end_time": "12:00", "effective_from": "2027-06-01"},  # later period
    ],
)
def test_rules_that_do_not_overlap_are_accepted(data):
    agent = make_agent_profile()
    weekly(agent, "09:00", "12:00", weekdays=[0], effective_until=dt.date(2027, 5, 31))
    assert rule_form(agent, **data).is_valid()


def test_the_same_hours_for_another_owner_do_not_clash():
    agent, unit = make_agent_profile(), make_unit()
    weekly(agent, "09:00", "12:00", weekdays=[0])
    assert availability.bind(RULES, unit, {"rules-weekday": 0, "rules-start_time": "09:00",
                                           "rules-end_time": "12:00"}).is_valid()


def test_editing_a_rule_does_not_clash_with_itself():
    agent = make_agent_profile()
    rule = weekly(agent, "09:00", "12:00", weekdays=[0])[0]
    form = availability.bind(RULES, agent, {"rules-weekday": 0, "rules-start_time": "10:00",
                                            "rules-end_time": "12:00"}, instance=rule)
    assert form.is_valid()


def test_effective_until_must_not_precede_effective_from():
    form = rule_form(make_agent_profile(), weekday=0, start_time="09:00", end_time="10:00",
                     effective_from="2027-02-01", effective_until="2027-01-01")
    assert not form.is_valid() and "effective_until" in form.errors


def test_a_closed_day_has_no_times():
    form = override_form(make_agent_profile(), date="2027-01-08", closed="on", start_time="09:00")
    assert not form.is_valid() and "closed" in form.errors


def test_an_open_override_needs_both_times():
    form = override_form(make_agent_profile(), date="2027-01-08")
    assert not form.is_valid()
    assert form.errors["start_time"] == ["Give a start time, or tick “closed”."]
    assert form.errors["end_time"] == ["Give an end time, or tick “closed”."]


def test_override_windows_on_one_date_may_not_overlap_or_mix_with_closed():
    agent = make_agent_profile()
    override(agent, dt.date(2027, 1, 8), "09:00", "12:00")
    clash = override_form(agent, date="2027-01-08", start_time="11:00", end_time="13:00")
    assert not clash.is_valid() and "start_time" in clash.errors
    closing = override_form(agent, date="2027-01-08", closed="on")
    assert not closing.is_valid() and "closed" in closing.errors
    assert override_form(agent, date="2027-01-08", start_time="13:00", end_time="15:00").is_valid()


def test_a_block_must_end_after_it_starts():
    form = availability.bind(BLOCKS, make_agent_profile(), {"blocks-starts_at": "2027-01-08T10:00",
                                                            "blocks-ends_at": "2027-01-08T09:00"})
    assert not form.is_valid()
    assert form.errors["ends_at"] == ["The block must end after it starts."]


def test_block_times_are_read_in_the_agents_zone(agent_b, client_agent_b, frozen_now):
    profile = agent_b.agent_profile  # America/Chicago
    url = reverse("scheduling:availability_add", args=[profile.pk, "blocks"])
    client_agent_b.post(url, {"blocks-starts_at": "2027-01-08T10:00", "blocks-ends_at": "2027-01-08T12:00",
                              "blocks-reason": "Dentist"})
    saved = AvailabilityBlock.objects.get(agent=profile)
    assert saved.starts_at == utc(2027, 1, 8, 16, 0) and saved.ends_at == utc(2027, 1, 8, 18, 0)
    event = AuditEvent.objects.get(action="availability_entry_saved")
    assert event.agent_id == profile.pk and event.details["kind"] == "blocks"


def test_the_preview_applies_overrides_closures_and_blocks():
    agent = make_agent_profile(timezone="America/New_York")
    weekly(agent, "09:00", "12:00")
    override(agent, dt.date(2027, 1, 7), "14:00", "15:00")
    override(agent, dt.date(2027, 1, 8), closed=True)
    block(agent, utc(2027, 1, 9, 15, 0), utc(2027, 1, 9, 16, 0))  # 10:00–11:00 local
    days = dict(availability.preview(agent, utc(2027, 1, 6, 15, 0), days=4))

    def hours(day):
        return [(s.strftime("%H:%M"), e.strftime("%H:%M"), k) for s, e, k in days[day]]

    assert hours(dt.date(2027, 1, 6)) == [("09:00", "12:00", "weekly")]
    assert hours(dt.date(2027, 1, 7)) == [("14:00", "15:00", "override")]
    assert hours(dt.date(2027, 1, 8)) == []
    assert hours(dt.date(2027, 1, 9)) == [("09:00", "10:00", "weekly"), ("11:00", "12:00", "weekly")]

