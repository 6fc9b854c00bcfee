"""Around a showing booked from a conversation: a reminder to the lead before it, a question to the agent after.

- Before: LEASEBOT_SHOWING_REMINDER_HOURS (default 24) before each confirmed showing, the lead gets the
  `showing_reminder` template (through the outbox, so guardrails, opt-out and the send mode apply),
  once per showing and start time: the message's dispatch key is derived from them, so a second run
  finds it. A showing booked less than that far ahead gets no reminder (its confirmation just went out).
- After: once a live showing has ended, its conversation goes to the agent's Needs-human queue with
  `showing_outcome_needed`, where the one-tap completed / no-show actions record what happened.
"""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.db import transaction

from conversations import outbox, templating, workflow
from conversations.models import Conversation, Message, PlatformAccount
from conversations.triage import replies
from leasebot import audit, clock
from scheduling.models import Showing

logger = logging.getLogger(__name__)

OUTCOME_NEEDED = "showing_outcome_needed"
REMINDER_BLOCKED = "guardrail_blocked_reminder"
OUTCOME_LOOKBACK = dt.timedelta(days=7)  # older showings are not prompted for (they were, or predate this)
_KEY_NAMESPACE = uuid.UUID("6f1d3c2e-5b8a-4c1e-9a0d-2f4b7e9c1a55")


def reminder_lead_time():
    return dt.timedelta(hours=float(getattr(settings, "LEASEBOT_SHOWING_REMINDER_HOURS", 24)))


def reminder_key(showing):
    """One reminder per showing and start time (a moved showing gets a new one)."""
    start = showing.starts_at.astimezone(dt.UTC).isoformat()
    return uuid.uuid5(_KEY_NAMESPACE, f"showing-reminder:{showing.pk}:{start}")


def run(now=None, *, actor="worker:reminders"):
    now = now or clock.now()
    reminded = sum(1 for showing in due_reminders(now) if send_reminder(showing, actor=actor))
    prompted = sum(1 for showing in ended_showings(now) if prompt_outcome(showing, actor=actor))
    return {"reminders": reminded, "outcome_prompts": prompted}


def due_reminders(now):
    lead = reminder_lead_time()
    showings = list(
        Showing.objects.filter(
            status=Showing.Status.CONFIRMED, starts_at__gt=now, starts_at__lte=now + lead,
            conversations__isnull=False,
        ).distinct().order_by("starts_at")[:500]
    )
    showings = [s for s in showings if s.created_at <= s.starts_at - lead]
    sent = set(Message.objects.filter(dispatch_key__in=[reminder_key(s) for s in showings])
               .values_list("dispatch_key", flat=True))
    return [s for s in showings if reminder_key(s) not in sent]


def ended_showings(now):
    return list(
        Showing.objects.filter(
            status__in=(Showing.Status.CONFIRMED, Showing.Status.PENDING), ends_at__lte=now,
            ends_at__gt=now - OUTCOME_LOOKBACK, conversations__human_required=False,
        ).distinct().order_by("ends_at")[:500]
    )


def _locked_conversation(showing):
    return (
        Conversation.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("account", "listing", "unit", "assigned_agent")
        .filter(current_showing=showing)
        .first()
    )


def _event(action, conv, showing, actor, **details):
    audit.record(
        action, entity=showing, platform=conv.account.platform, agent_id=conv.assigned_agent_id,
        conversation_id=conv.pk, actor_kind="worker", actor_label=actor, details={"showing_id": showing.pk, **details},
    )


@transaction.atomic
def send_reminder(showing, *, actor):
    """Queue (or draft) the reminder for one showing. Returns True when a message was created."""
    conv = _locked_conversation(showing)
    if conv is None or conv.opted_out or not conv.account.active or conv.human_required:
        return False  # nobody to remind, or a person owns the conversation now
    body = templating.template_body(replies.SHOWING_REMINDER, conv.account)
    if body is None:
        logger.warning("no %s template: showing %s gets no reminder", replies.SHOWING_REMINDER, showing.pk)
        return False
    context = templating.conversation_context(conv)
    context.update(showing_time=replies.slot_label(showing.starts_at, showing.timezone),
                   agent_name=showing.agent.display_name)
    reply = replies.render(body, context)
    if reply.missing:
        logger.warning("showing %s: reminder needs %s", showing.pk, ", ".join(reply.missing))
        return False
    as_draft = conv.account.effective_send_mode() != PlatformAccount.SendMode.AUTO_SEND
    result = outbox.create_outbound(
        conv, reply.body, sender=Message.Sender.AI, path="follow_up", actor=actor, as_draft=as_draft,
        dispatch_key=reminder_key(showing),
    )
    if result.blocked:
        workflow.escalate(conv, reason_code=REMINDER_BLOCKED, actor=actor, cause="showing_reminder")
        _event("showing_reminder_blocked", conv, showing, actor, reason_code=REMINDER_BLOCKED)
        return False
    if result.replayed:
        return False
    _event("showing_reminder_queued", conv, showing, actor, decision="draft" if as_draft else "send",
           outbound_id=result.message.pk)
    return True


@transaction.atomic
def prompt_outcome(showing, *, actor):
    """Ask the agent whether an ended showing happened (completed / no-show). Returns True when queued."""
    conv = _locked_conversation(showing)
    if conv is None or conv.human_required:
        return False
    workflow.escalate(conv, reason_code=OUTCOME_NEEDED, actor=actor, cause="showing_ended")
    _event("showing_outcome_prompted", conv, showing, actor, reason_code=OUTCOME_NEEDED)
    return True
