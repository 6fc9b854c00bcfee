"""Every outbound path runs the guardrails before queueing, and dispatch runs them again before sending.

Drives the real services (conversations.outbox, ingest.dispatch) the way the paths use them: a blocked
text is never queued or sent, the verdict is audited with its path and never with the text, and a
phrase an admin adds after a message was queued still stops it at dispatch.
"""

import json
import uuid

import pytest

from conversations import outbox
from conversations.models import Message
from guardrails.models import PolicyPhrase
from ingest.dispatch import dispatch_message
from leasebot.models import AuditEvent
from tests.conversations.factories import make_conversation, make_draft, make_inbound
from tests.ingest.ingest_fixtures import *  # noqa: F403
from tests.ingest.ingest_fixtures import platform_of

pytestmark = [pytest.mark.django_db]

RISKY = "Honestly it's best for a quiet couple without kids. Zelle me the holding fee today."
DRAFT = "Hi! The room is available. Would Saturday at 10 work?"


@pytest.fixture
def conv(agent_a, frozen_now):
    conv = make_conversation(agent=agent_a.agent_profile, lead_name="Robin")
    make_inbound(conv)
    return conv


def _queue_ai(conv, agent):
    return outbox.create_outbound(conv, RISKY, sender="ai", path="ai_auto_send", as_draft=False)


def _draft_ai(conv, agent):
    return outbox.create_outbound(conv, RISKY, sender="ai", path="ai_draft", as_draft=True)


def _follow_up(conv, agent):
    return outbox.create_outbound(conv, RISKY, sender="ai", path="follow_up", actor="worker:follow_ups", as_draft=False)


def _manual_reply(conv, agent):
    return outbox.queue_manual_reply(conv, RISKY, user=agent, dispatch_key=uuid.uuid4())


def _approve_edited_draft(conv, agent):
    draft = make_draft(conv, body=DRAFT)
    return outbox.approve_draft(draft, user=agent, edited_body=RISKY)


@pytest.mark.parametrize(
    ("path", "drive"),
    [
        ("ai_auto_send", _queue_ai),
        ("ai_draft", _draft_ai),
        ("follow_up", _follow_up),
        ("manual_reply", _manual_reply),
        ("draft_approval", _approve_edited_draft),
    ],
)
def test_every_queueing_path_refuses_a_blocked_text_and_audits_only_its_rule_ids(conv, agent_a, path, drive):
    result = drive(conv, agent_a)

    assert result.blocked and result.message is None
    assert {"fair_housing", "payment"} <= set(result.verdict.categories)
    outbound = Message.objects.filter(conversation=conv, direction="outbound")
    assert not outbound.filter(body=RISKY).exists()
    assert not outbound.exclude(status="draft").exists()
    [event] = AuditEvent.objects.filter(action="guardrail_blocked")
    assert event.details["path"] == path
    assert event.details["rule_ids"] == list(result.verdict.rule_ids)
    assert event.conversation_id == conv.pk
    stored = json.dumps(event.details).lower()
    assert "zelle me" not in stored and "without kids" not in stored


def test_a_blocked_edit_leaves_the_draft_as_it_was(conv, agent_a):
    draft = make_draft(conv, body=DRAFT)
    assert outbox.approve_draft(draft, user=agent_a, edited_body=RISKY).blocked
    draft.refresh_from_db()
    assert (draft.status, draft.body) == ("draft", DRAFT)


def test_a_phrase_added_after_queueing_stops_the_message_at_dispatch(mock_runtime, make_platform_account):
    account = make_platform_account("spareroom")
    platform = platform_of(mock_runtime, account)
    thread_id, _ = platform.add_lead_message("Is the room still available?")
    conv = make_conversation(account, external_thread_id=thread_id)
    text = "Yes! Ask me about the rooftop party package when you come by on Saturday."
    queued = outbox.create_outbound(conv, text, sender="ai", path="ai_auto_send", as_draft=False)
    assert not queued.blocked and queued.message.status == "queued"

    PolicyPhrase.objects.create(kind="blocked", category="promise", phrase="rooftop party package")
    result = dispatch_message(queued.message.pk, "worker-test")

    queued.message.refresh_from_db()
    assert (result.outcome, result.code) == ("rejected", "guardrail_blocked")
    assert queued.message.status == "rejected"
    assert platform.send_count() == 0
    event = AuditEvent.objects.get(action="guardrail_blocked")
    assert event.details["path"] == "dispatch" and event.details["categories"] == ["promise"]
