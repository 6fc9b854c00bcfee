"""Showing reminders before, and the "did it happen?" prompt after, a showing booked from a conversation."""

import datetime as dt

import pytest

from conversations import showings as conversation_showings
from conversations import workflow
from conversations.models import Message, Outcome, ReplyTemplate
from conversations.triage import reminders
from leasebot import clock
from leasebot.models import AuditEvent
from scheduling.models import Showing
from tests.scheduling.factories import make_showing
from tests.triage.pipeline_factories import make_thread, outbound

pytestmark = [pytest.mark.django_db]


def _booked(conv, starts_at, *, booked_at=None):
    showing = make_showing(conv.unit, conv.assigned_agent, starts_at)
    if booked_at is not None:
        Showing.objects.filter(pk=showing.pk).update(created_at=booked_at)
        showing.refresh_from_db()
    workflow.link_showing(conv, showing, actor="worker:test", cause="test")
    workflow.apply_outcome(conv, Outcome.SHOWING_CONFIRMED, actor="worker:test", cause="test")
    return showing


def _run():
    return reminders.run(actor="worker:test")


def test_it_reminds_the_lead_once_within_the_lead_time_before_the_showing(frozen_now):
    conv = make_thread()
    showing = _booked(conv, frozen_now + dt.timedelta(hours=20), booked_at=frozen_now - dt.timedelta(days=3))
    assert _run() == {"reminders": 1, "outcome_prompts": 0}
    [reminder] = outbound(conv)
    assert reminder.status == "queued" and reminder.sender == "ai"
    assert "reminder" in reminder.body and "Thu Jan 7, 6:00 AM EST" in reminder.body
    assert reminder.dispatch_key == reminders.reminder_key(showing)
    assert _run() == {"reminders": 0, "outcome_prompts": 0}
    assert len(outbound(conv)) == 1
    event = AuditEvent.objects.get(action="showing_reminder_queued")
    assert event.conversation_id == conv.pk and event.details["showing_id"] == showing.pk
    assert event.platform == "spareroom" and event.agent_id == conv.assigned_agent_id


def test_the_reminder_lead_time_is_a_setting(frozen_now, settings):
    conv = make_thread()
    _booked(conv, frozen_now + dt.timedelta(hours=30), booked_at=frozen_now - dt.timedelta(days=5))
    assert _run()["reminders"] == 0
    settings.LEASEBOT_SHOWING_REMINDER_HOURS = 48
    assert _run()["reminders"] == 1


def test_a_showing_booked_inside_the_lead_time_gets_no_extra_reminder(frozen_now):
    conv = make_thread()
    _booked(conv, frozen_now + dt.timedelta(hours=5), booked_at=frozen_now - dt.timedelta(hours=1))
    assert _run()["reminders"] == 0 and outbound(conv) == []


def test_a_draft_only_account_gets_the_reminder_as_a_draft(frozen_now):
    conv = make_thread(send_mode="draft_only")
    _booked(conv, frozen_now + dt.timedelta(hours=20), booked_at=frozen_now - dt.timedelta(days=3))
    _run()
    assert [m.status for m in outbound(conv)] == ["draft"]
    assert _run()["reminders"] == 0


def test_an_opted_out_lead_gets_no_reminder(frozen_now):
    conv = make_thread()
    _booked(conv, frozen_now + dt.timedelta(hours=20), booked_at=frozen_now - dt.timedelta(days=3))
    workflow.record_opt_out(conv, actor="worker:test")
    assert _run()["reminders"] == 0 and outbound(conv) == []


def test_a_moved_showing_gets_a_reminder_for_its_new_time(frozen_now):
    conv = make_thread()
    showing = _booked(conv, frozen_now + dt.timedelta(hours=20), booked_at=frozen_now - dt.timedelta(days=3))
    _run()
    from scheduling import showings as lifecycle

    lifecycle.transition(showing, Showing.Status.RESCHEDULE_REQUESTED)
    lifecycle.transition(showing, Showing.Status.CONFIRMED, starts_at=frozen_now + dt.timedelta(hours=22))
    assert _run()["reminders"] == 1
    assert len(outbound(conv)) == 2


def test_a_reminder_blocked_by_guardrails_goes_to_a_human_and_is_not_retried(frozen_now):
    conv = make_thread()
    _booked(conv, frozen_now + dt.timedelta(hours=20), booked_at=frozen_now - dt.timedelta(days=3))
    ReplyTemplate.objects.filter(name="showing_reminder", account=None).update(
        body="Reminder for {{showing_time}}: bring your SSN and pay the deposit by Zelle before you come."
    )
    assert _run()["reminders"] == 0
    conv.refresh_from_db()
    assert conv.human_required and conv.human_reason_code == "guardrail_blocked_reminder"
    assert outbound(conv) == []
    _run()
    assert AuditEvent.objects.filter(action="showing_reminder_blocked").count() == 1


def test_after_the_showing_the_agent_is_asked_whether_it_happened_once(frozen_now):
    conv = make_thread()
    showing = _booked(conv, frozen_now - dt.timedelta(hours=2))
    assert _run() == {"reminders": 0, "outcome_prompts": 1}
    conv.refresh_from_db()
    assert conv.human_required and conv.human_reason_code == "showing_outcome_needed"
    event = AuditEvent.objects.get(action="showing_outcome_prompted")
    assert event.details["showing_id"] == showing.pk and event.agent_id == conv.assigned_agent_id
    assert _run()["outcome_prompts"] == 0
    assert Message.objects.filter(conversation=conv).count() == 0  # the lead is not messaged


@pytest.mark.parametrize("outcome,status", [(Outcome.COMPLETED, "completed"), (Outcome.NO_SHOW, "no_show")])
def test_the_agents_one_tap_answer_records_the_outcome_and_clears_the_prompt(frozen_now, agent_a, outcome, status):
    conv = make_thread()
    showing = _booked(conv, frozen_now - dt.timedelta(hours=2))
    _run()
    conv.refresh_from_db()
    conversation_showings.apply_agent_outcome(conv, outcome, user=agent_a)
    showing.refresh_from_db()
    conv.refresh_from_db()
    assert showing.status == status
    assert not conv.human_required and conv.workflow_outcome == outcome and conv.workflow_state == "outcome"
    assert _run()["outcome_prompts"] == 0


def test_a_showing_still_running_or_long_past_is_not_prompted(frozen_now):
    running = make_thread()
    _booked(running, frozen_now - dt.timedelta(minutes=10))  # a 30-minute showing that started 10 min ago
    old = make_thread()
    with clock.frozen(frozen_now - dt.timedelta(days=30)):
        _booked(old, frozen_now - dt.timedelta(days=10))
    assert _run()["outcome_prompts"] == 0
