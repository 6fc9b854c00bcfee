"""Agents read what a Needs-human reason means and what to do, never a bare code."""

import pytest
from django.urls import reverse

from conversations import escalations, followups, workflow
from conversations.triage import pipeline, reminders
from conversations.triage import reasons as rc
from tests.conversations.factories import make_conversation, make_inbound

RECORDED_CODES = sorted({
    *rc.HUMAN_REASONS, pipeline.MISSING_LISTING_FACT, pipeline.BOOKING_REFUSED, pipeline.TRIAGE_FAILED,
    followups.NOT_POSSIBLE, followups.BLOCKED, reminders.REMINDER_BLOCKED, reminders.OUTCOME_NEEDED,
})


@pytest.mark.unit
@pytest.mark.parametrize("code", RECORDED_CODES)
def test_every_reason_lease_bot_records_has_a_label_and_advice(code):
    reason = escalations.describe(code)
    assert reason.label and reason.label != code and reason.advice


@pytest.mark.unit
def test_an_unknown_reason_is_shown_as_written():
    assert escalations.describe("owner asked to call back").label == "owner asked to call back"


@pytest.fixture
def escalated(agent_a, frozen_now):
    conv = make_conversation(agent=agent_a.agent_profile, lead_name="Robin")
    make_inbound(conv, "Are there many families in the building?")
    workflow.escalate(conv, reason_code=rc.RISK_FAIR_HOUSING, actor="worker:test", cause="triage")
    return conv


@pytest.mark.web
@pytest.mark.django_db
def test_the_inbox_and_the_conversation_show_the_label_and_the_advice(client_agent_a, escalated):
    inbox = client_agent_a.get(reverse("conversations:inbox")).content.decode()
    assert "Needs human: Fair-housing topic" in inbox
    page = client_agent_a.get(reverse("conversations:detail", args=[escalated.pk])).content.decode()
    assert "Fair-housing topic" in page and "same facts you give everyone" in page


@pytest.mark.web
@pytest.mark.django_db
def test_an_agents_own_reason_is_rendered_escaped(client_agent_a, agent_a, frozen_now):
    conv = make_conversation(agent=agent_a.agent_profile)
    workflow.escalate(conv, reason_code="<b>call owner</b>", actor=agent_a, cause="agent_escalated")
    page = client_agent_a.get(reverse("conversations:detail", args=[conv.pk])).content.decode()
    assert "&lt;b&gt;call owner&lt;/b&gt;" in page and "<b>call owner</b>" not in page
