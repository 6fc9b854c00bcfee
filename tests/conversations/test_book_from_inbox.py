import datetime as dt

import pytest
from django.urls import reverse

from conversations.models import Conversation
from scheduling.models import Showing
from tests.conversations.factories import make_conversation, make_inbound
from tests.scheduling.factories import assign, make_unit, weekly

pytestmark = [pytest.mark.web, pytest.mark.django_db]


@pytest.fixture
def conv(agent_a, frozen_now):
    unit = make_unit(property_name="Maple Court", unit_number="4B")
    assign(unit, agent_a.agent_profile, priority=1)
    weekly(unit, "10:00", "18:00")
    weekly(agent_a.agent_profile, "10:00", "18:00")
    conv = make_conversation(agent=agent_a.agent_profile, unit=unit, lead_name="Pat")
    make_inbound(conv, "Can I see it?")
    return conv


def test_the_conversation_shows_next_times_with_their_source(client_agent_a, conv):
    response = client_agent_a.get(reverse("conversations:detail", args=[conv.pk]))
    slots = response.context["slots"]
    assert slots and all(s.unit_id == conv.unit_id for s in slots)
    assert "assignment priority 1" in response.content.decode()


def test_an_agent_books_an_offered_time_for_the_lead(client_agent_a, conv):
    slot = client_agent_a.get(reverse("conversations:detail", args=[conv.pk])).context["slots"][0]
    response = client_agent_a.post(
        reverse("conversations:book", args=[conv.pk]),
        {"starts_at": slot.starts_at.isoformat(), "agent": slot.agent_id},
    )
    assert response.status_code == 302
    conv = Conversation.objects.get(pk=conv.pk)
    showing = conv.current_showing
    assert showing.starts_at == slot.starts_at and showing.status == "confirmed" and showing.source == "agent"
    assert (conv.workflow_state, conv.workflow_outcome, conv.showing_state) == ("showing", "showing_confirmed", "confirmed")


def test_it_refuses_a_time_that_is_not_on_offer(client_agent_a, conv, frozen_now):
    response = client_agent_a.post(
        reverse("conversations:book", args=[conv.pk]),
        {"starts_at": (frozen_now + dt.timedelta(days=1, minutes=7)).isoformat(), "agent": conv.assigned_agent_id},
        follow=True,
    )
    assert b"no longer available" in response.content
    assert not Showing.objects.exists()


def test_a_cancelled_showing_is_mirrored_on_the_conversation(client_agent_a, conv):
    from scheduling import showings

    slot = client_agent_a.get(reverse("conversations:detail", args=[conv.pk])).context["slots"][0]
    client_agent_a.post(reverse("conversations:book", args=[conv.pk]), {"starts_at": slot.starts_at.isoformat(), "agent": slot.agent_id})
    showing = Conversation.objects.get(pk=conv.pk).current_showing
    showings.transition(showing, "cancelled")
    assert Conversation.objects.get(pk=conv.pk).showing_state == "cancelled"


def test_an_agent_moves_the_lead_s_showing_within_their_own_full_day(client_agent_a, conv):
    profile = conv.assigned_agent
    profile.daily_showing_cap = 1
    profile.save(update_fields=["daily_showing_cap"])
    detail = reverse("conversations:detail", args=[conv.pk])
    before = client_agent_a.get(detail)
    assert "Book this" in before.content.decode() and "Move here" not in before.content.decode()
    first = before.context["slots"][0]
    client_agent_a.post(reverse("conversations:book", args=[conv.pk]),
                        {"starts_at": first.starts_at.isoformat(), "agent": first.agent_id})
    old = Conversation.objects.get(pk=conv.pk).current_showing

    page = client_agent_a.get(detail)
    offered = page.context["slots"]
    assert "Move the showing to" in page.content.decode() and "Move here" in page.content.decode()
    day = first.starts_at.astimezone(profile.zone).date()
    same_day = [s for s in offered if s.starts_at.astimezone(profile.zone).date() == day]
    assert same_day and all(s.starts_at != old.starts_at for s in offered)
    client_agent_a.post(reverse("conversations:book", args=[conv.pk]),
                        {"starts_at": same_day[0].starts_at.isoformat(), "agent": same_day[0].agent_id})

    conv = Conversation.objects.get(pk=conv.pk)
    old.refresh_from_db()
    assert old.status == "cancelled"
    assert conv.current_showing.starts_at == same_day[0].starts_at and conv.showing_state == "confirmed"
