"""Scheduling pages: scope (foreign ids are 404), filters, HTMX partials, one-tap actions."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from leasebot.clock import utc
from scheduling.models import Showing, Unit, WeeklyRule
from tests.scheduling.factories import assign, make_showing, make_unit, weekly

pytestmark = [pytest.mark.django_db, pytest.mark.web]

HTMX = {"HTTP_HX_REQUEST": "true"}
THURSDAY_10_NY = utc(2027, 1, 7, 15, 0)


@pytest.fixture
def world(agent_a, agent_b, frozen_now):
    a, b = agent_a.agent_profile, agent_b.agent_profile
    ny_unit = make_unit(timezone="America/New_York", property_name="Maple Court", unit_number="4B")
    other_unit = make_unit(timezone="America/New_York", property_name="Oak House", unit_number="1")
    assign(ny_unit, a)
    assign(other_unit, a)
    assign(ny_unit, b, priority=2)
    return {
        "a": a, "b": b, "unit": ny_unit, "other": other_unit,
        "a_pending": make_showing(ny_unit, a, THURSDAY_10_NY, status="pending", lead_name="Pat <script>x</script>"),
        "a_cancelled": make_showing(other_unit, a, THURSDAY_10_NY + dt.timedelta(days=1), status="cancelled"),
        "b_confirmed": make_showing(ny_unit, b, THURSDAY_10_NY + dt.timedelta(hours=2), lead_name="Bea Lead"),
    }


def test_anonymous_users_are_sent_to_sign_in(client_anon):
    response = client_anon.get(reverse("scheduling:showings"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_agent_sees_only_their_own_showings(client_agent_a, world):
    response = client_agent_a.get(reverse("scheduling:showings"))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="showing-{world["a_pending"].pk}"' in body
    assert f'id="showing-{world["b_confirmed"].pk}"' not in body
    assert "Pat &lt;script&gt;x&lt;/script&gt;" in body and "<script>x" not in body


def test_an_admin_sees_every_agents_showings(client_admin, world):
    body = client_admin.get(reverse("scheduling:showings")).content.decode()
    assert f'id="showing-{world["a_pending"].pk}"' in body and f'id="showing-{world["b_confirmed"].pk}"' in body


def test_an_agent_cannot_act_on_another_agents_showing(client_agent_a, world):
    url = reverse("scheduling:showing_transition", args=[world["b_confirmed"].pk])
    assert client_agent_a.post(url, {"to": "cancelled"}).status_code == 404
    world["b_confirmed"].refresh_from_db()
    assert world["b_confirmed"].status == "confirmed"


def test_one_tap_confirm_goes_through_the_lifecycle(client_agent_a, world):
    url = reverse("scheduling:showing_transition", args=[world["a_pending"].pk])
    response = client_agent_a.post(url, {"to": "confirmed"})
    assert response.status_code == 302
    world["a_pending"].refresh_from_db()
    assert world["a_pending"].status == "confirmed"


def test_an_htmx_tap_gets_the_updated_row_only(client_agent_a, world):
    url = reverse("scheduling:showing_transition", args=[world["a_pending"].pk])
    response = client_agent_a.post(url, {"to": "cancelled"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'id="showing-{world["a_pending"].pk}"' in body and "Cancelled" in body


def test_an_illegal_tap_is_explained_in_place(client_agent_a, world):
    url = reverse("scheduling:showing_transition", args=[world["a_cancelled"].pk])
    response = client_agent_a.post(url, {"to": "confirmed"}, **HTMX)
    assert "cannot go from cancelled to confirmed" in response.content.decode()
    assert Showing.objects.get(pk=world["a_cancelled"].pk).status == "cancelled"


def test_filters_by_status_unit_and_date_range(client_agent_a, world):
    url = reverse("scheduling:showings")
    body = client_agent_a.get(url, {"status": "cancelled"}).content.decode()
    assert f'showing-{world["a_cancelled"].pk}"' in body and f'showing-{world["a_pending"].pk}"' not in body
    body = client_agent_a.get(url, {"unit": world["unit"].pk}).content.decode()
    assert f'showing-{world["a_pending"].pk}"' in body and f'showing-{world["a_cancelled"].pk}"' not in body
    body = client_agent_a.get(url, {"date_from": "2027-01-08", "date_to": "2027-01-08"}).content.decode()
    assert f'showing-{world["a_cancelled"].pk}"' in body and f'showing-{world["a_pending"].pk}"' not in body


def test_filters_that_match_nothing_say_so(client_agent_a, world):
    body = client_agent_a.get(reverse("scheduling:showings"), {"date_from": "2027-03-01"}).content.decode()
    assert "No showings match these filters." in body


def test_an_agent_without_showings_gets_an_explicit_empty_state(client_agent_b, frozen_now):
    body = client_agent_b.get(reverse("scheduling:showings")).content.decode()
    assert "No upcoming showings." in body


def test_filtering_with_htmx_returns_the_results_partial(client_agent_a, world):
    response = client_agent_a.get(reverse("scheduling:showings"), {"status": "pending"}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body and 'id="showing-filters"' not in body
    assert f'showing-{world["a_pending"].pk}"' in body


def test_the_week_view_groups_showings_by_day(client_agent_a, world):
    body = client_agent_a.get(reverse("scheduling:showings"), {"view": "week"}).content.decode()
    assert "Thu 7 Jan" in body and "Tue 12 Jan" in body
    assert body.index("Thu 7 Jan") < body.index(f'showing-{world["a_pending"].pk}"') < body.index("Fri 8 Jan")


def test_week_navigation_keeps_the_other_filters(client_agent_a, world):
    unit = world["unit"].pk
    body = client_agent_a.get(reverse("scheduling:showings"), {"view": "week", "unit": unit}, **HTMX).content.decode()
    assert 'name="view" value="week" form="showing-filters"' in body
    assert f"?unit={unit}&amp;view=week&amp;date_from=2027-01-13" in body
    assert f"?unit={unit}&amp;view=week&amp;date_from=2026-12-30" in body


def test_times_are_in_the_agents_zone_with_the_units_zone_when_different(client_agent_b, world):
    body = client_agent_b.get(reverse("scheduling:showings")).content.decode()
    assert "Thu 7 Jan, 11:00" in body  # 12:00 New York is 11:00 in Chicago
    assert "12:00 at the unit (America/New_York)" in body


def test_the_agent_adds_a_weekly_rule(client_agent_a, world):
    url = reverse("scheduling:availability_add", args=[world["a"].pk, "rules"])
    data = {"rules-weekday": 0, "rules-start_time": "09:00", "rules-end_time": "12:00"}
    response = client_agent_a.post(url, data, **HTMX)
    assert response.status_code == 200 and 'id="section-rules"' in response.content.decode()
    assert 'hx-swap-oob="true"' in response.content.decode()
    assert WeeklyRule.objects.filter(agent=world["a"], weekday=0).count() == 1


def test_invalid_rules_show_errors_in_place(client_agent_a, world):
    weekly(world["a"], "09:00", "12:00", weekdays=[0])
    url = reverse("scheduling:availability_add", args=[world["a"].pk, "rules"])
    body = client_agent_a.post(url, {"rules-weekday": 0, "rules-start_time": "11:00", "rules-end_time": "10:00"},
                               **HTMX).content.decode()
    assert "End time must be after the start time." in body
    body = client_agent_a.post(url, {"rules-weekday": 0, "rules-start_time": "11:00", "rules-end_time": "13:00"}
                               ).content.decode()
    assert "Overlaps the existing Monday 09:00–12:00 rule" in body and "<html" in body
    assert WeeklyRule.objects.filter(agent=world["a"]).count() == 1


def test_an_agent_cannot_touch_another_agents_availability(client_agent_a, world):
    rule = weekly(world["b"], "09:00", "12:00", weekdays=[1])[0]
    assert client_agent_a.get(reverse("scheduling:agent_availability", args=[world["b"].pk])).status_code == 404
    assert client_agent_a.post(reverse("scheduling:availability_delete", args=["rules", rule.pk])).status_code == 404
    assert client_agent_a.get(reverse("scheduling:availability_edit", args=["rules", rule.pk])).status_code == 404
    add = reverse("scheduling:availability_add", args=[world["b"].pk, "rules"])
    assert client_agent_a.post(add, {"rules-weekday": 2, "rules-start_time": "09:00",
                                     "rules-end_time": "10:00"}).status_code == 404
    assert WeeklyRule.objects.filter(agent=world["b"]).count() == 1


def test_an_agent_edits_and_deletes_their_own_rule_without_javascript(client_agent_a, world):
    rule = weekly(world["a"], "09:00", "12:00", weekdays=[1])[0]
    edit = reverse("scheduling:availability_edit", args=["rules", rule.pk])
    assert 'name="rules-start_time"' in client_agent_a.get(edit).content.decode()
    response = client_agent_a.post(edit, {"rules-weekday": 1, "rules-start_time": "08:00", "rules-end_time": "12:00"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.start_time == dt.time(8, 0)
    client_agent_a.post(reverse("scheduling:availability_delete", args=["rules", rule.pk]))
    assert not WeeklyRule.objects.filter(pk=rule.pk).exists()


def test_the_availability_page_previews_two_weeks(client_agent_a, world):
    weekly(world["a"], "09:00", "12:00", weekdays=[3])
    body = client_agent_a.get(reverse("scheduling:availability")).content.decode()
    assert "Next two weeks" in body and "Thu 7 Jan" in body and "09:00–12:00" in body
    assert "Tue 19 Jan" in body and "Wed 20 Jan" not in body


def test_an_admin_can_manage_any_agents_availability(client_admin, world):
    assert client_admin.get(reverse("scheduling:availability")).status_code == 200  # the agent chooser
    response = client_admin.get(reverse("scheduling:agent_availability", args=[world["b"].pk]))
    assert response.status_code == 200 and "Blake Agent" in response.content.decode()


def test_the_unit_assignments_page_shows_candidates_with_their_source(client_admin, client_agent_a, world):
    weekly(world["unit"], "10:00", "12:00")
    weekly(world["a"], "09:00", "17:00")
    url = reverse("scheduling:unit_assignments", args=[world["unit"].pk])
    body = client_admin.get(url).content.decode()
    assignment = world["unit"].assignments.get(agent=world["a"])
    assert f"Assignment #{assignment.pk}, priority 1" in body
    assert "unit window: weekly" in body and "agent window: weekly" in body
    assert client_agent_a.get(url).status_code == 403
    assert client_admin.get(reverse("scheduling:units")).status_code == 200


@pytest.mark.parametrize("model", ["unit", "agentprofile", "unitassignment", "weeklyrule", "dateoverride",
                                   "availabilityblock", "showing"])
def test_the_django_admin_lists_and_opens_scheduling_records(client_admin, world, model):
    weekly(world["unit"], "10:00", "12:00", weekdays=[0])
    changelist = client_admin.get(reverse(f"admin:scheduling_{model}_changelist"))
    assert changelist.status_code == 200
    objects = {"unit": world["unit"], "agentprofile": world["a"], "showing": world["a_pending"],
               "unitassignment": world["unit"].assignments.first()}
    if model in objects:
        assert client_admin.get(reverse(f"admin:scheduling_{model}_change", args=[objects[model].pk])).status_code == 200


def _inline_management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial,
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}


def test_the_unit_admin_adds_a_unit_with_an_assignment_and_hours_inline(client_admin, world):
    data = {
        "property_name": "Birch Row", "unit_number": "7", "address": "7 Birch Row", "bedrooms": 2, "bathrooms": "1.5",
        "timezone": "America/Chicago", "active": "on", "showing_length_minutes": 30, "group_capacity": 1,
        **_inline_management("assignments", 1), "assignments-0-agent": world["b"].pk,
        "assignments-0-mode": "active", "assignments-0-priority": 1,
        **_inline_management("weeklyrules", 2),
        "weeklyrules-0-weekday": 0, "weeklyrules-0-start_time": "10:00", "weeklyrules-0-end_time": "12:00",
        "weeklyrules-1-weekday": 1, "weeklyrules-1-start_time": "12:00", "weeklyrules-1-end_time": "11:00",
        **_inline_management("dateoverrides", 0), **_inline_management("availabilityblocks", 0),
    }
    response = client_admin.post(reverse("admin:scheduling_unit_add"), data)
    assert response.status_code == 200  # the bad rule keeps the form open with its message
    assert "End time must be after the start time." in response.content.decode()
    data.update({"weeklyrules-1-weekday": 0, "weeklyrules-1-end_time": "14:00", "weeklyrules-1-start_time": "11:00"})
    response = client_admin.post(reverse("admin:scheduling_unit_add"), data)
    assert "Overlaps Monday 10:00–12:00 in this form." in response.content.decode()
    data.update({"weeklyrules-1-weekday": 1, "weeklyrules-1-start_time": "12:00"})
    response = client_admin.post(reverse("admin:scheduling_unit_add"), data)
    assert response.status_code == 302
    unit = Unit.objects.get(property_name="Birch Row")
    assert unit.assignments.get().agent == world["b"]
    assert sorted(WeeklyRule.objects.filter(unit=unit).values_list("weekday", flat=True)) == [0, 1]


def test_an_admin_books_an_offered_slot_once_even_if_the_form_is_sent_twice(client_admin, client_agent_a, world):
    weekly(world["unit"], "10:00", "12:00")
    weekly(world["a"], "09:00", "17:00")
    page = client_admin.get(reverse("scheduling:unit_assignments", args=[world["unit"].pk])).content.decode()
    prefix = re.search(r'name="prefix" value="([^"]+)"', page).group(1)
    fields = dict(re.findall(rf'name="({prefix}-[a-z_]+)" value="([^"]*)"', page))
    data = {"prefix": prefix, **fields, f"{prefix}-lead_name": "Walk In", f"{prefix}-lead_contact": "555-0100"}
    url = reverse("scheduling:unit_book", args=[world["unit"].pk])
    assert client_agent_a.post(url, data).status_code == 403
    assert client_admin.post(url, data).status_code == 302
    assert client_admin.post(url, data).status_code == 302
    booked = Showing.objects.filter(lead_name="Walk In")
    assert booked.count() == 1 and booked.get().source == "admin" and booked.get().agent == world["a"]


def test_an_admin_can_narrow_showings_to_one_agent(client_admin, client_agent_a, world):
    body = client_admin.get(reverse("scheduling:showings"), {"agent": world["b"].pk}).content.decode()
    assert f'showing-{world["b_confirmed"].pk}"' in body and f'showing-{world["a_pending"].pk}"' not in body
    # An agent has no agent filter: the parameter cannot widen their scope.
    body = client_agent_a.get(reverse("scheduling:showings"), {"agent": world["b"].pk}).content.decode()
    assert f'showing-{world["b_confirmed"].pk}"' not in body and 'name="agent"' not in body
