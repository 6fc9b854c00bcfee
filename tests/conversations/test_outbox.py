import uuid

import pytest
from django.urls import reverse

from conversations import outbox, workflow
from conversations.models import Message
from leasebot.models import AuditEvent
from tests.conversations.factories import make_conversation, make_draft, make_inbound

pytestmark = [pytest.mark.django_db]
RISKY = "Sorry, no kids allowed here, it's an adults only building."
SAFE = "Yes, the room is available. Would Saturday at 10 AM work for a viewing?"


@pytest.fixture
def conv(agent_a, frozen_now):
    conv = make_conversation(agent=agent_a.agent_profile, lead_name="Robin")
    make_inbound(conv)
    return conv


def outbound(conv):
    return Message.objects.filter(conversation=conv, direction="outbound")


@pytest.mark.web
def test_it_queues_a_safe_manual_reply_and_audits_it(client_agent_a, conv, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_agent_a.post(reverse("conversations:reply", args=[conv.pk]), {"body": SAFE, "dispatch_key": str(uuid.uuid4())})
    assert response.status_code == 302
    message = outbound(conv).get()
    assert message.status == "queued" and message.sender == "agent" and message.sending_agent == conv.assigned_agent
    assert len(callbacks) == 1  # dispatch is enqueued only after commit
    assert AuditEvent.objects.filter(action="inbox_manual_reply_queued", conversation_id=conv.pk).exists()


@pytest.mark.web
def test_it_blocks_a_risky_manual_reply_shows_why_and_queues_nothing(client_agent_a, conv):
    response = client_agent_a.post(reverse("conversations:reply", args=[conv.pk]), {"body": RISKY, "dispatch_key": str(uuid.uuid4())})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Not sent: this reply breaks a policy." in html and "fair_housing" in html
    assert not outbound(conv).exists()
    event = AuditEvent.objects.get(action="guardrail_blocked")
    assert event.details["path"] == "manual_reply" and "fair_housing" in event.details["categories"]
    assert "kids" not in str(event.details)


@pytest.mark.web
def test_it_gives_htmx_the_composer_with_reasons(client_agent_a, conv):
    response = client_agent_a.post(
        reverse("conversations:reply", args=[conv.pk]), {"body": RISKY, "dispatch_key": str(uuid.uuid4())}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert b'id="composer"' in response.content and b"<html" not in response.content


@pytest.mark.web
def test_a_double_click_on_send_queues_once(client_agent_a, conv):
    form = {"body": SAFE, "dispatch_key": str(uuid.uuid4())}
    client_agent_a.post(reverse("conversations:reply", args=[conv.pk]), form)
    client_agent_a.post(reverse("conversations:reply", args=[conv.pk]), form)
    assert outbound(conv).count() == 1


@pytest.mark.web
def test_it_blocks_a_risky_edit_of_a_draft_and_keeps_the_draft(client_agent_a, conv):
    draft = make_draft(conv)
    response = client_agent_a.post(reverse("conversations:approve", args=[draft.pk]), {"body": RISKY})
    assert response.status_code == 422
    assert b"guardrails blocked this text" in response.content
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.body != RISKY
    assert AuditEvent.objects.get(action="guardrail_blocked").details["path"] == "draft_approval"


@pytest.mark.web
def test_it_approves_an_edited_draft_once(client_agent_a, conv):
    draft = make_draft(conv)
    for _ in range(2):
        client_agent_a.post(reverse("conversations:approve", args=[draft.pk]), {"body": SAFE})
    draft.refresh_from_db()
    assert draft.status == "queued" and draft.body == SAFE
    assert AuditEvent.objects.filter(action="inbox_draft_approved").count() == 1


@pytest.mark.web
def test_it_rejects_a_draft(client_agent_a, conv):
    draft = make_draft(conv)
    client_agent_a.post(reverse("conversations:reject", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "rejected"
    assert AuditEvent.objects.filter(action="inbox_draft_rejected").exists()


def test_it_never_messages_an_opted_out_lead_on_any_path(conv, agent_a):
    draft = make_draft(conv)
    workflow.record_opt_out(conv, actor=None)
    with pytest.raises(outbox.OutboxError):
        outbox.queue_manual_reply(conv, SAFE, user=agent_a, dispatch_key=uuid.uuid4())
    with pytest.raises(outbox.OutboxError):
        outbox.approve_draft(draft, user=agent_a)
    with pytest.raises(outbox.OutboxError):
        outbox.create_outbound(conv, SAFE, sender="ai", path="ai_auto_send", as_draft=False)
    with pytest.raises(outbox.OutboxError):
        outbox.create_outbound(conv, SAFE, sender="ai", path="follow_up", as_draft=True)
    assert not outbound(conv).exclude(pk=draft.pk).exists()


def test_a_guardrail_blocked_ai_reply_creates_nothing(conv):
    result = outbox.create_outbound(conv, "As an AI language model, I think {{lead_name}} should wire the deposit.", sender="ai", path="ai_auto_send", as_draft=False)
    assert result.blocked and result.message is None
    assert not outbound(conv).exists()


def test_dispatch_side_lifecycle_retries_then_dead_letters(conv, settings):
    settings.LEASEBOT_DISPATCH_MAX_ATTEMPTS = 2
    message = outbox.create_outbound(conv, SAFE, sender="ai", path="ai_auto_send", as_draft=False).message
    claimed = outbox.claim_for_dispatch(message.pk, worker="worker-1")
    assert claimed.status == "sending" and outbox.claim_for_dispatch(message.pk, worker="worker-2") is None
    retried = outbox.mark_failed(claimed, error_code="rate_limited")
    assert retried.status == "queued" and retried.next_attempt_at > retried.queued_at
    Message.objects.filter(pk=message.pk).update(next_attempt_at=retried.queued_at)
    again = outbox.claim_for_dispatch(message.pk, worker="worker-1")
    dead = outbox.mark_failed(again, error_code="rate_limited")
    assert dead.status == "dead" and AuditEvent.objects.filter(action="platform_dispatch_dlq").exists()
    outbox.requeue_dead(dead, user=None)
    assert Message.objects.get(pk=message.pk).status == "queued"


def test_a_stale_sending_claim_is_claimable_again(conv, frozen_now):
    import datetime as dt

    from leasebot import clock

    message = outbox.create_outbound(conv, SAFE, sender="ai", path="ai_auto_send", as_draft=False).message
    outbox.claim_for_dispatch(message.pk, worker="worker-1")
    with clock.frozen(frozen_now + dt.timedelta(minutes=10)):
        assert outbox.claim_for_dispatch(message.pk, worker="worker-2").claimed_by == "worker-2"
        sent = outbox.mark_sent(message, external_message_id="p-1")
    assert sent.status == "sent" and sent.external_message_id == "p-1"


@pytest.mark.worker
def test_the_sweep_re_enqueues_queued_messages_whose_job_was_lost(conv, frozen_now, django_capture_on_commit_callbacks):
    import datetime as dt

    import django_rq

    from leasebot import clock

    queue = django_rq.get_queue("dispatch")
    queue.empty()
    message = outbox.create_outbound(conv, SAFE, sender="ai", path="ai_auto_send", as_draft=False).message
    with clock.frozen(frozen_now + dt.timedelta(minutes=5)), django_capture_on_commit_callbacks(execute=True):
        swept = outbox.sweep_queued()
    assert swept == [message.pk]
    assert [job.args for job in queue.get_jobs()] == [(message.pk,)]
    queue.empty()
