"""Outbound messages: their lifecycle, one guarded function per state change, and the outbox contract.

A message is created once (with its dispatch key), checked by guardrails before it may be queued, and
queued in the database; the dispatch job is enqueued after commit by its dotted path, because
`conversations` must not import `ingest`. A periodic sweep re-enqueues anything whose enqueue was lost.
"""

import datetime as dt
import logging
import os
import random
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from conversations.models import Conversation, Message
from guardrails.enforcement import enforce_outbound
from leasebot import audit, clock, txmarks

logger = logging.getLogger(__name__)
DISPATCH_JOB = "ingest.jobs.dispatch_message"
Status = Message.Status


class OutboxError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class QueueResult:
    message: Message | None
    verdict: object = None
    replayed: bool = False

    @property
    def blocked(self):
        return self.verdict is not None and self.verdict.blocked


def _audit(action, message, *, actor=None, **details):
    conv = message.conversation
    kwargs = {"actor": actor} if getattr(actor, "is_authenticated", False) else {"actor_kind": "system", "actor_label": actor or ""}
    audit.record(
        action, entity=message, platform=conv.account.platform, agent_id=conv.assigned_agent_id,
        conversation_id=conv.pk, details=details, **kwargs,
    )


_redis = {}  # {process id: Redis client} - a forked worker must not share its parent's sockets


def _dispatch_queue():
    """The dispatch queue on this process's one Redis client (with its connection pool).

    django_rq builds a new client, and so a new TCP connection, on every `get_queue` call; reusing one
    client per process saves a connect per enqueue.
    """
    import django_rq

    pid = os.getpid()
    client = _redis.get(pid)
    if client is None:
        _redis.clear()
        client = _redis[pid] = django_rq.get_connection("dispatch")
    return django_rq.get_queue("dispatch", connection=client)


def enqueue_dispatch(message_id):
    """Enqueue after commit; a Redis outage only delays the send (the sweep re-enqueues)."""

    def _enqueue():
        try:
            _dispatch_queue().enqueue(DISPATCH_JOB, message_id, job_id=f"dispatch-{message_id}-{uuid.uuid4().hex[:8]}")
        except Exception as error:  # noqa: BLE001  (Redis down: the row stays queued for the sweep)
            logger.warning("dispatch enqueue failed for message %s: %s", message_id, type(error).__name__)

    transaction.on_commit(_enqueue)


def _ensure_may_message(conv):
    if conv.opted_out:
        raise OutboxError("opted_out", "This lead opted out: lease-bot never messages them again.")
    if not conv.account.active:
        raise OutboxError("account_inactive", "This platform account is inactive.")


def _check(conv, body, *, path, actor):
    agent_id = conv.assigned_agent_id
    return enforce_outbound(
        body, path=path, actor=actor, conversation_id=conv.pk, platform=conv.account.platform, agent_id=agent_id
    )


def _reasons(verdict):
    return [{"category": r.category, "rule_id": r.rule_id, "message": r.message} for r in verdict.reasons]


def create_outbound(conversation, body, **options):
    """AI replies, follow-ups and agent replies start here. Blocked text creates nothing.

    Under the conversation's row lock: the caller's, when it holds it already (triage), else a fresh
    locked read in a (sub)transaction of its own.
    """
    if txmarks.lock_held(conversation):
        return _create_outbound(conversation, body, **options)
    with transaction.atomic():
        conv = Conversation.objects.select_for_update(of=("self",)).select_related("account").get(pk=conversation.pk)
        return _create_outbound(conv, body, **options)


def _create_outbound(conv, body, *, sender, path, actor=None, agent=None, as_draft, offered_slots=(), dispatch_key=None):
    _ensure_may_message(conv)
    body = (body or "").strip()
    if not body:
        raise OutboxError("empty", "The message is empty.")
    if dispatch_key is not None:
        existing = Message.objects.filter(dispatch_key=dispatch_key).first()
        if existing is not None:
            if existing.conversation_id != conv.pk:
                raise OutboxError("key_reused", "That form was already used for another conversation.")
            return QueueResult(existing, replayed=True)
    verdict = _check(conv, body, path=path, actor=actor)
    if verdict.blocked:
        return QueueResult(None, verdict)
    now = clock.now()
    fields = dict(
        conversation=conv, direction=Message.Direction.OUTBOUND, sender=sender, sending_agent=agent, body=body,
        status=Status.DRAFT if as_draft else Status.QUEUED, queued_at=None if as_draft else now,
        next_attempt_at=None if as_draft else now, offered_slots=list(offered_slots), sent_at=None,
    )
    if dispatch_key is None:
        message = Message.objects.create(**fields)  # no key, no race to lose: no savepoint needed
    else:
        fields["dispatch_key"] = dispatch_key
        try:
            with transaction.atomic():
                message = Message.objects.create(**fields)
        except IntegrityError:
            # A double click raced us to the same dispatch key: the first request's message stands.
            return QueueResult(Message.objects.get(dispatch_key=dispatch_key), replayed=True)
    if not as_draft:
        enqueue_dispatch(message.pk)
    return QueueResult(message, verdict)


def queue_manual_reply(conversation, body, *, user, dispatch_key):
    agent = getattr(user, "agent_profile", None)
    result = create_outbound(
        conversation, body, sender=Message.Sender.AGENT, path="manual_reply", actor=user, agent=agent,
        as_draft=False, dispatch_key=dispatch_key,
    )
    if result.message is not None and not result.replayed:
        _audit("inbox_manual_reply_queued", result.message, actor=user)
    return result


@transaction.atomic
def approve_draft(message, *, user, edited_body=None):
    msg = Message.objects.select_for_update(of=("self",)).select_related("conversation__account").get(pk=message.pk)
    if msg.status != Status.DRAFT:
        if msg.status in (Status.QUEUED, Status.SENDING, Status.SENT):
            return QueueResult(msg, replayed=True)  # a second tap on Approve changes nothing
        raise OutboxError("not_draft", f"This message is {msg.get_status_display().lower()}, not a draft.")
    _ensure_may_message(msg.conversation)
    body = (edited_body if edited_body is not None else msg.body).strip()
    if not body:
        raise OutboxError("empty", "The message is empty.")
    verdict = _check(msg.conversation, body, path="draft_approval", actor=user)
    if verdict.blocked:
        return QueueResult(None, verdict)
    edited = body != msg.body
    now = clock.now()
    msg.body, msg.status, msg.queued_at, msg.next_attempt_at, msg.reviewed_by = body, Status.QUEUED, now, now, user
    msg.save(update_fields=["body", "status", "queued_at", "next_attempt_at", "reviewed_by"])
    _audit("inbox_draft_approved", msg, actor=user, edited=edited)
    enqueue_dispatch(msg.pk)
    return QueueResult(msg, verdict)


@transaction.atomic
def reject_draft(message, *, user):
    msg = Message.objects.select_for_update(of=("self",)).select_related("conversation__account").get(pk=message.pk)
    if msg.status == Status.REJECTED:
        return msg
    if msg.status != Status.DRAFT:
        raise OutboxError("not_draft", "Only drafts can be rejected.")
    msg.status, msg.reviewed_by = Status.REJECTED, user
    msg.save(update_fields=["status", "reviewed_by"])
    _audit("inbox_draft_rejected", msg, actor=user)
    return msg


# --- dispatch side: the ingest app's dispatch job calls these, never assigns a status itself ---

def _claim_seconds():
    return getattr(settings, "LEASEBOT_DISPATCH_CLAIM_SECONDS", 120)


def claim_for_dispatch(message_id, *, worker):
    """Claim one queued (or stale `sending`) message. Row lock + SKIP LOCKED: two workers never share one."""
    now = clock.now()
    with transaction.atomic():
        msg = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, direction=Message.Direction.OUTBOUND)
            .filter(
                Q(status=Status.QUEUED, next_attempt_at__lte=now)
                | Q(status=Status.QUEUED, next_attempt_at__isnull=True)
                | Q(status=Status.SENDING, claim_expires_at__lt=now)
            )
            .first()
        )
        if msg is None:
            return None
        msg.status, msg.claimed_by = Status.SENDING, worker
        msg.claim_expires_at = now + dt.timedelta(seconds=_claim_seconds())
        msg.attempts += 1
        msg.save(update_fields=["status", "claimed_by", "claim_expires_at", "attempts"])
    return msg


def mark_sent(message, *, external_message_id, sent_at=None, recovered=False):
    with transaction.atomic():
        msg = Message.objects.select_for_update().get(pk=message.pk)
        if msg.status == Status.SENT:
            return msg
        msg.status, msg.external_message_id = Status.SENT, external_message_id
        msg.sent_at = sent_at or clock.now()
        msg.claim_expires_at, msg.last_error = None, ""
        msg.save(update_fields=["status", "external_message_id", "sent_at", "claim_expires_at", "last_error"])
        Conversation.objects.filter(pk=msg.conversation_id).update(last_message_at=msg.sent_at)
        _audit("platform_dispatch_sent", msg, actor=msg.claimed_by, attempts=msg.attempts, recovered=recovered)
    return msg


def _backoff(attempts):
    base = getattr(settings, "LEASEBOT_DISPATCH_BACKOFF_SECONDS", 30)
    cap = getattr(settings, "LEASEBOT_DISPATCH_BACKOFF_CAP_SECONDS", 1800)
    delay = min(cap, base * (2 ** max(0, attempts - 1)))
    return dt.timedelta(seconds=delay * random.uniform(0.8, 1.2))  # jitter spreads retries of a burst


def max_attempts():
    return getattr(settings, "LEASEBOT_DISPATCH_MAX_ATTEMPTS", 5)


def mark_failed(message, *, error_code, retryable=True):
    """A failed attempt: back off and retry, or move to the dead letters after the last one."""
    with transaction.atomic():
        msg = Message.objects.select_for_update().get(pk=message.pk)
        if msg.status not in (Status.SENDING, Status.QUEUED):
            return msg
        msg.last_error = str(error_code)[:500]
        msg.claim_expires_at = None
        if retryable and msg.attempts < max_attempts():
            msg.status, msg.next_attempt_at = Status.QUEUED, clock.now() + _backoff(msg.attempts)
            msg.save(update_fields=["status", "next_attempt_at", "last_error", "claim_expires_at"])
            _audit("platform_dispatch_error", msg, actor=msg.claimed_by, error_code=msg.last_error, attempts=msg.attempts, retry=True)
            return msg
        msg.status, msg.next_attempt_at = Status.DEAD, None
        msg.save(update_fields=["status", "next_attempt_at", "last_error", "claim_expires_at"])
        _audit("platform_dispatch_error", msg, actor=msg.claimed_by, error_code=msg.last_error, attempts=msg.attempts, retry=False)
        _audit("platform_dispatch_dlq", msg, actor=msg.claimed_by, error_code=msg.last_error, attempts=msg.attempts)
    return msg


def mark_rejected_at_dispatch(message, *, reason_code):
    """The last check before sending said no (guardrails, opt-out, inactive account): never sent."""
    with transaction.atomic():
        msg = Message.objects.select_for_update().get(pk=message.pk)
        if msg.status in (Status.SENT, Status.REJECTED):
            return msg
        msg.status, msg.last_error, msg.claim_expires_at, msg.next_attempt_at = Status.REJECTED, reason_code, None, None
        msg.save(update_fields=["status", "last_error", "claim_expires_at", "next_attempt_at"])
        _audit("platform_dispatch_rejected", msg, actor=msg.claimed_by, reason_code=reason_code)
    return msg


@transaction.atomic
def requeue_dead(message, *, user):
    msg = Message.objects.select_for_update(of=("self",)).select_related("conversation__account").get(pk=message.pk)
    if msg.status != Status.DEAD:
        raise OutboxError("not_dead", "Only dead letters can be re-queued.")
    _ensure_may_message(msg.conversation)
    now = clock.now()
    msg.status, msg.attempts, msg.next_attempt_at, msg.queued_at = Status.QUEUED, 0, now, now
    msg.save(update_fields=["status", "attempts", "next_attempt_at", "queued_at"])
    _audit("platform_dispatch_requeued", msg, actor=user)
    enqueue_dispatch(msg.pk)
    return msg


def sweep_queued(*, older_than_seconds=60):
    """Re-enqueue queued messages that are due but were not picked up (lost enqueue, Redis outage)."""
    now = clock.now()
    stale = now - dt.timedelta(seconds=older_than_seconds)
    due = Message.objects.filter(direction=Message.Direction.OUTBOUND).filter(
        Q(status=Status.QUEUED, next_attempt_at__lte=now, queued_at__lte=stale)
        | Q(status=Status.SENDING, claim_expires_at__lt=now)
    ).values_list("pk", flat=True)[:500]
    ids = list(due)
    for message_id in ids:
        with transaction.atomic():
            enqueue_dispatch(message_id)
    return ids
