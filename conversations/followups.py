"""The periodic follow-up sweep: send follow-up 1, then 2, then record no reply."""

import logging

from django.db import transaction

from conversations import outbox, templating, workflow
from conversations.models import Conversation, FollowUpStatus, Message, PlatformAccount
from conversations.triage import replies
from leasebot import clock

logger = logging.getLogger(__name__)
# Reasons a follow-up hands the conversation to a person (see conversations.escalations).
NOT_POSSIBLE = "follow_up_not_possible"
BLOCKED = "guardrail_blocked_follow_up"


def due_ids(now, limit=200):
    return list(
        Conversation.objects.filter(follow_up_status=FollowUpStatus.PENDING, follow_up_due_at__lte=now)
        .order_by("follow_up_due_at")
        .values_list("pk", flat=True)[:limit]
    )


def run_due(now=None, *, actor="worker:follow_ups"):
    now = now or clock.now()
    done = []
    for pk in due_ids(now):
        with transaction.atomic():
            conv = (
                Conversation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("account", "listing", "unit", "assigned_agent")
                .filter(pk=pk, follow_up_status=FollowUpStatus.PENDING, follow_up_due_at__lte=now)
                .first()
            )
            if conv is None:
                continue  # another worker has it, or the lead answered meanwhile
            done.append((pk, _step(conv, actor=actor)))
    return done


def _step(conv, *, actor):
    if conv.follow_up_stage >= 2:
        workflow.record_no_reply(conv, actor=actor)
        return "no_reply"
    if conv.opted_out or not conv.account.active:
        workflow.escalate(conv, reason_code=NOT_POSSIBLE, actor=actor, cause="follow_up_due")
        return "escalated"
    name = f"follow_up_{conv.follow_up_stage + 1}"
    template = templating.template_body(name, conv.account)
    slots = _offer(conv) if _offers_times(template) else []
    body = templating.render(template, templating.conversation_context(conv, slots_text=replies.slots_text(slots)))
    draft = conv.account.effective_send_mode() != PlatformAccount.SendMode.AUTO_SEND
    # The times it lists are recorded like an offer's, so "the second one" in the answer is read against
    # this message and not an older offer.
    result = outbox.create_outbound(
        conv, body, sender=Message.Sender.AI, path="follow_up", actor=actor, as_draft=draft,
        offered_slots=[slot.source_dict() for slot in slots],
    )
    if result.blocked:
        workflow.escalate(conv, reason_code=BLOCKED, actor=actor, cause="follow_up_due")
        return "blocked"
    workflow.advance_follow_up(conv, actor=actor)
    return name


def _offers_times(template):
    return any(match.group(1) == "slots" for match in templating.VARIABLE.finditer(template or ""))


def _offer(conv):
    """As many times as a first offer lists."""
    from conversations.showings import next_slots
    from conversations.triage.pipeline import offer_count

    return next_slots(conv, limit=offer_count())
