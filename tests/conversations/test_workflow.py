import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from conversations import workflow
from conversations.models import Conversation, FollowUpStatus, Outcome, WorkflowState
from leasebot import clock, txmarks
from leasebot.models import AuditEvent
from tests.conversations.factories import make_conversation

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def conv(agent_a, frozen_now):
    return make_conversation(agent=agent_a.agent_profile)


def reload(conv):
    return Conversation.objects.get(pk=conv.pk)


def test_it_records_not_interested_as_a_terminal_outcome_and_audits_it(conv):
    workflow.apply_outcome(conv, Outcome.NOT_INTERESTED, actor=None, cause="triage")
    conv = reload(conv)
    assert (conv.workflow_state, conv.workflow_outcome) == ("outcome", "not_interested")
    event = AuditEvent.objects.get(action="workflow_state_transitioned")
    assert event.details["from"] == "lead" and event.details["to"] == "outcome" and event.conversation_id == conv.pk


def test_it_refuses_a_confirmed_showing_without_a_booked_showing(conv):
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.apply_outcome(conv, Outcome.SHOWING_CONFIRMED, actor=None, cause="test")
    assert error.value.code == "needs_showing"


@pytest.mark.parametrize("outcome", [Outcome.NO_SHOW, Outcome.COMPLETED])
def test_it_refuses_no_show_or_completed_from_lead(conv, outcome):
    with pytest.raises(workflow.WorkflowError):
        workflow.apply_outcome(conv, outcome, actor=None, cause="test")


@pytest.mark.parametrize("outcome", [Outcome.HUMAN_REQUIRED, Outcome.NO_REPLY])
def test_it_keeps_queue_and_no_reply_outcomes_to_their_named_transitions(conv, outcome):
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.apply_outcome(conv, outcome, actor=None, cause="test")
    assert error.value.code == "named_transition_only"


def test_it_refuses_general_question_on_a_closed_conversation(conv):
    workflow.apply_outcome(conv, Outcome.NOT_INTERESTED, actor=None, cause="t")
    with pytest.raises(workflow.WorkflowError):
        workflow.apply_outcome(conv, Outcome.GENERAL_QUESTION, actor=None, cause="t")


def test_it_escalates_and_resolves_back_to_where_work_continues(conv, agent_a):
    workflow.apply_outcome(conv, Outcome.GENERAL_QUESTION, actor=None, cause="t")
    workflow.escalate(conv, reason_code="fair_housing_topic", actor=None, cause="triage")
    escalated = reload(conv)
    assert escalated.human_required and escalated.workflow_outcome == "human_required"
    assert escalated.human_reason_code == "fair_housing_topic" and escalated.human_queued_at == clock.now()
    workflow.resolve_escalation(escalated, actor=agent_a)
    resolved = reload(conv)
    assert not resolved.human_required
    assert resolved.workflow_outcome == "general_question" and resolved.workflow_state == "lead"
    assert resolved.human_resolved_by == agent_a


def test_it_refuses_to_resolve_what_is_not_escalated(conv):
    with pytest.raises(workflow.WorkflowError):
        workflow.resolve_escalation(conv, actor=None)


def test_it_schedules_follow_ups_on_the_configured_delays_and_ends_in_no_reply(conv, frozen_now):
    workflow.schedule_follow_up(conv, actor=None, cause="offered_slots")
    conv = reload(conv)
    assert conv.follow_up_status == "pending" and conv.follow_up_due_at == frozen_now + dt.timedelta(hours=24)
    assert conv.follow_up_owner_id == conv.assigned_agent_id
    with pytest.raises(workflow.WorkflowError):
        workflow.advance_follow_up(conv, actor=None)  # not due yet
    with clock.frozen(frozen_now + dt.timedelta(hours=24)):
        workflow.advance_follow_up(conv, actor=None)
    conv = reload(conv)
    assert conv.workflow_state == "follow_up_1" and conv.follow_up_due_at == frozen_now + dt.timedelta(hours=72)
    with clock.frozen(frozen_now + dt.timedelta(hours=72)):
        workflow.advance_follow_up(conv, actor=None)
    conv = reload(conv)
    assert conv.workflow_state == "follow_up_2" and conv.follow_up_stage == 2
    with clock.frozen(frozen_now + dt.timedelta(hours=100)):
        with pytest.raises(workflow.WorkflowError):
            workflow.record_no_reply(conv, actor=None)
    with clock.frozen(frozen_now + dt.timedelta(hours=120)):
        workflow.record_no_reply(conv, actor=None)
    conv = reload(conv)
    assert (conv.workflow_state, conv.workflow_outcome, conv.follow_up_status) == ("outcome", "no_reply", "done")


def test_it_recovers_a_no_reply_conversation_when_the_lead_writes_again(conv, frozen_now):
    workflow.schedule_follow_up(conv, actor=None, cause="t")
    for hours in (24, 72):
        with clock.frozen(frozen_now + dt.timedelta(hours=hours)):
            workflow.advance_follow_up(reload(conv), actor=None)
    with clock.frozen(frozen_now + dt.timedelta(hours=120)):
        workflow.record_no_reply(reload(conv), actor=None)
    workflow.reengage(reload(conv), actor=None)
    conv = reload(conv)
    assert conv.workflow_state == "lead"
    assert AuditEvent.objects.filter(action="workflow_no_reply_recovered", conversation_id=conv.pk).exists()


def test_it_cancels_pending_follow_ups_on_inbound_escalation_and_opt_out(conv, agent_a):
    for cancel in (
        lambda c: workflow.reengage(c, actor=None),
        lambda c: workflow.escalate(c, reason_code="x", actor=None, cause="t"),
        lambda c: workflow.record_opt_out(c, actor=None),
    ):
        fresh = reload(conv)
        if fresh.human_required:
            workflow.resolve_escalation(fresh, actor=agent_a)
        workflow.schedule_follow_up(reload(conv), actor=None, cause="t")
        cancel(reload(conv))
        assert reload(conv).follow_up_status == FollowUpStatus.CANCELLED


def test_it_refuses_follow_ups_for_opted_out_leads(conv):
    workflow.record_opt_out(conv, actor=None)
    conv = reload(conv)
    assert conv.opted_out and conv.workflow_outcome == "not_interested"
    with pytest.raises(workflow.WorkflowError):
        workflow.schedule_follow_up(conv, actor=None, cause="t")
    workflow.reengage(conv, actor=None)
    assert reload(conv).workflow_state == WorkflowState.OUTCOME  # an opted-out lead is not reopened


def test_it_refuses_inconsistent_workflow_fields_written_around_the_workflow_module(conv):
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.filter(pk=conv.pk).update(workflow_state="follow_up_1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.filter(pk=conv.pk).update(human_required=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.filter(pk=conv.pk).update(follow_up_status="pending")


def _held(conv):
    locked = Conversation.objects.select_for_update(of=("self",)).select_related("account", "current_showing").get(pk=conv.pk)
    return txmarks.note_locked(locked)


def test_it_changes_a_conversation_its_caller_holds_locked_in_place_without_reading_it_again(conv):
    with transaction.atomic():
        locked = _held(conv)
        with CaptureQueriesContext(connection) as queries:
            workflow.apply_outcome(locked, Outcome.GENERAL_QUESTION, actor=None, cause="test")
        assert locked.workflow_outcome == Outcome.GENERAL_QUESTION
    sql = [query["sql"] for query in queries.captured_queries]
    assert not [s for s in sql if s.startswith(("SELECT", "SAVEPOINT"))], sql
    assert reload(conv).workflow_outcome == Outcome.GENERAL_QUESTION


def test_it_rereads_under_the_lock_a_conversation_its_caller_did_not_lock(conv):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        workflow.apply_outcome(conv, Outcome.GENERAL_QUESTION, actor=None, cause="test")
    assert any("FOR UPDATE" in query["sql"] for query in queries.captured_queries)


def test_a_refusal_on_a_held_conversation_leaves_the_callers_transaction_usable(conv):
    with transaction.atomic():
        locked = _held(conv)
        with pytest.raises(workflow.WorkflowError):
            workflow.apply_outcome(locked, Outcome.SHOWING_CONFIRMED, actor=None, cause="test")
        workflow.escalate(locked, reason_code="test", actor=None, cause="test")
    assert reload(conv).human_required is True


def test_an_outcome_whose_reply_asks_the_lead_something_makes_follow_up_one_due_in_the_same_transition(conv, frozen_now):
    workflow.apply_outcome(conv, Outcome.GENERAL_QUESTION, actor=None, cause="triage", follow_up=True)
    conv = reload(conv)
    assert (conv.workflow_outcome, conv.follow_up_status) == (Outcome.GENERAL_QUESTION, FollowUpStatus.PENDING)
    assert conv.follow_up_due_at == frozen_now + dt.timedelta(hours=24)
    assert conv.follow_up_owner_id == conv.assigned_agent_id
    assert AuditEvent.objects.filter(action="workflow_state_transitioned", conversation_id=conv.pk).count() == 1


def test_a_closing_outcome_schedules_no_follow_up_even_when_asked(conv):
    workflow.apply_outcome(conv, Outcome.NOT_INTERESTED, actor=None, cause="triage", follow_up=True)
    conv = reload(conv)
    assert conv.workflow_state == WorkflowState.OUTCOME and conv.follow_up_status != FollowUpStatus.PENDING
