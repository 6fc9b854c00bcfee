"""A linked, bookable thread for pipeline tests: account, unit with availability, agent, listing, conversation."""

import datetime as dt
import itertools

from conversations import outbox
from conversations.models import Message, ReplyRule, ReplyTemplate
from conversations.triage import defaults, pipeline
from leasebot.models import AuditEvent
from tests.conversations.factories import make_account, make_conversation, make_inbound, make_listing
from tests.scheduling.factories import assign, make_agent_profile, make_unit, weekly

_seq = itertools.count(1)
WORKER = "worker:test"


def install_defaults():
    """Transactional tests flush the rows the data migration created; put the defaults back."""
    defaults.install(ReplyTemplate, ReplyRule)


def make_thread(*, send_mode="auto_send", rent_cents=142500, hours=("10:00", "18:00"), agent=None, account=None,
                unit_timezone="America/New_York", lead_name="Sam", active=True):
    install_defaults()
    account = account or make_account("spareroom", send_mode=send_mode, active=active)
    unit = make_unit(timezone=unit_timezone)
    agent = agent or make_agent_profile(name=f"Avery Agent {next(_seq)}")
    assign(unit, agent, priority=1)
    if hours:
        weekly(unit, *hours)
        weekly(agent, *hours)
    listing = make_listing(account, unit=unit, title="Large room near the park", rent_cents=rent_cents,
                           available_on=dt.date(2027, 2, 1))
    return make_conversation(account, agent=agent, unit=unit, listing=listing, lead_name=lead_name)


def lead_says(conv, body, *, minutes_ago=1):
    return make_inbound(conv, body, minutes_ago=minutes_ago, triage_state=Message.TriageState.PENDING)


def triage(message):
    return pipeline.triage_message(message.pk, worker=WORKER)


def delivered(message):
    """What the dispatch job does once the platform shows the message: it is then part of the thread."""
    return outbox.mark_sent(message, external_message_id=f"out-{message.pk}")


def outbound(conv):
    return list(Message.objects.filter(conversation=conv, direction="outbound").order_by("pk"))


def decision_events(conv=None):
    events = AuditEvent.objects.filter(action="ai_reply_decision").order_by("pk")
    return list(events.filter(conversation_id=conv.pk) if conv is not None else events)
