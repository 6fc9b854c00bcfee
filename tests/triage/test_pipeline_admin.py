"""The "Re-triage" admin action: the only way a message is triaged a second time."""

import pytest
from django.urls import reverse

from conversations.models import Message
from leasebot.models import AuditEvent
from tests.triage.pipeline_factories import decision_events, lead_says, make_thread, triage

pytestmark = [pytest.mark.django_db, pytest.mark.web]


def _retriage(client, *messages):
    return client.post(
        reverse("admin:conversations_message_changelist"),
        {"action": "retriage_messages", "_selected_action": [m.pk for m in messages]},
        follow=True,
    )


def test_an_admin_can_send_an_inbound_message_back_to_triage(client_admin, admin_user, frozen_now):
    conv = make_thread()
    message = lead_says(conv, "Blue giraffe umbrella quantum")
    assert triage(message).reason_code == "low_confidence"
    response = _retriage(client_admin, message)
    assert response.status_code == 200 and "Queued 1 message(s) for triage again." in response.content.decode()
    message.refresh_from_db()
    assert message.triage_state == "pending" and message.triage_claimed_at is None
    event = AuditEvent.objects.get(action="ai_retriage_requested")
    assert event.actor_user == admin_user and event.details["from_state"] == "done"
    assert triage(message).decision == "escalate"
    assert len(decision_events(conv)) == 2


def test_outbound_messages_are_not_retriaged(client_admin, frozen_now):
    conv = make_thread()
    reply = Message.objects.create(conversation=conv, direction="outbound", sender="ai", body="Hi", status="draft")
    response = _retriage(client_admin, reply)
    assert "Queued 0 message(s)" in response.content.decode()
    reply.refresh_from_db()
    assert reply.triage_state == ""


def test_an_agent_cannot_use_the_admin_action(client_agent_a, frozen_now):
    conv = make_thread()
    message = lead_says(conv, "Hello??")
    triage(message)
    response = _retriage(client_agent_a, message)
    message.refresh_from_db()
    assert message.triage_state == "done"
    assert not AuditEvent.objects.filter(action="ai_retriage_requested").exists()
    assert response.redirect_chain and "login" in response.redirect_chain[-1][0]
