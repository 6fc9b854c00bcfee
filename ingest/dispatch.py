"""Sending one queued outbound message, exactly once, through the conversations outbox contract.

Order matters: gates that cost nothing and consume no attempt (account paused, breaker open, pacing) run
before the claim; the claim (row lock, skip locked, expiry) makes this worker the only sender; the last
checks (opt-out, account, send mode, guardrails) run on the claimed row; the thread is read first so a
message an earlier attempt already delivered is recorded instead of sent again; then one send, confirmed
by reading the thread back.
"""

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError

from conversations import outbox
from conversations.models import Message, PlatformAccount
from ingest import accounts, pacing, resilience
from ingest.adapters.base import normalize_text
from ingest.errors import PlatformError
from ingest.models import CircuitBreaker, DispatchAttempt
from ingest.types import OUTBOUND
from leasebot import clock

logger = logging.getLogger(__name__)
SEND = CircuitBreaker.Action.SEND
# Failures of the account, not of the message: the message waits (retryable) while people fix the account.
ACCOUNT_CODES = resilience.NEEDS_LOGIN_CODES | resilience.DISABLE_CODES
# Platform clocks and minute-precision times: a copy of our message may look a little older than its queueing.
RECOVERY_CLOCK_SKEW = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class DispatchResult:
    outcome: str  # sent | recovered | rejected | retry | dead | deferred | not_claimed | not_queued
    code: str = ""
    retry_at: dt.datetime | None = None


def max_pacing_sleep():
    return dt.timedelta(seconds=float(getattr(settings, "LEASEBOT_RPA_MAX_PACING_SLEEP_SECONDS", 15)))


def enqueue_retry(message_id, at):
    """Run the dispatch job again at `at` (the worker runs --with-scheduler); the outbox sweep is the backstop."""
    try:
        import django_rq

        # One scheduled retry per message, however often the sweep or a deferral asks for one.
        django_rq.get_queue("dispatch").enqueue_at(at, outbox.DISPATCH_JOB, message_id, job_id=f"dispatch-retry-{message_id}")
    except Exception as error:  # noqa: BLE001  (Redis down: the sweep finds the queued row)
        logger.warning("could not schedule dispatch retry of message %s: %s", message_id, type(error).__name__)


def _defer(message_id, wait, code):
    at = clock.now() + max(wait, dt.timedelta(seconds=1))
    enqueue_retry(message_id, at)
    return DispatchResult("deferred", code, at)


def _pre_claim_gate(message_id, account):
    """A DispatchResult when this message must wait without consuming an attempt; None to go on."""
    state = resilience.state_for(account)
    resilience.resume_if_session_refreshed(account, state)
    state.refresh_from_db()
    if account.active and state.paused_reason:
        # No retry is scheduled: the outbox sweep re-enqueues it every minute until the account is back.
        return DispatchResult("deferred", "account_disabled" if state.disabled_reason else "account_needs_login")
    if account.active:
        wait = resilience.breaker_wait(account, SEND)
        if wait is not None:
            return _defer(message_id, wait, "circuit_open")
    return None


def _final_check(msg):
    """The reason code this claimed message must not go out, or ""."""
    conv, account = msg.conversation, msg.conversation.account
    if conv.opted_out:
        return "opted_out"
    if not account.active:
        return "account_inactive"
    unreviewed_ai = msg.sender == Message.Sender.AI and msg.reviewed_by_id is None
    if unreviewed_ai and account.effective_send_mode() != PlatformAccount.SendMode.AUTO_SEND:
        return "send_mode_draft_only"  # the account went draft-only after this reply was queued
    from guardrails.enforcement import enforce_outbound

    verdict = enforce_outbound(
        msg.body, path="dispatch", conversation_id=conv.pk, platform=account.platform, agent_id=conv.assigned_agent_id
    )
    if verdict.blocked:
        return "guardrail_blocked"
    return ""


def _other_dispatched_keys(msg):
    """Platform ids of our other dispatched messages in this thread (queued through the outbox): never this one.
    Rows ingest recorded from the platform (queued_at empty) are not excluded: one may be this very message."""
    return set(
        Message.objects.filter(conversation_id=msg.conversation_id, direction=Message.Direction.OUTBOUND,
                               queued_at__isnull=False)
        .exclude(pk=msg.pk).exclude(external_message_id__isnull=True)
        .values_list("external_message_id", flat=True)
    )


def already_sent_key(thread, msg):
    """The platform id of this message if an earlier attempt delivered it, else None.

    Same text (whitespace-insensitive), from us, not another dispatched message of ours, and not older than
    the moment this message was queued (an identical text someone sent by hand last week is not this one).
    """
    wanted = normalize_text(msg.body)
    exclude = _other_dispatched_keys(msg)
    earliest = (msg.queued_at or msg.created_at) - RECOVERY_CLOCK_SKEW
    for key, message in thread.message_keys():
        if key in exclude or message.direction != OUTBOUND or normalize_text(message.body) != wanted:
            continue
        if message.time is not None and message.time.ok and message.time.at < earliest:
            continue
        return key
    return None


def _mark_sent(msg, key, *, recovered=False):
    try:
        return outbox.mark_sent(msg, external_message_id=key, recovered=recovered)
    except IntegrityError:
        # Ingest already recorded the platform's copy as its own row (the platform changed the text's spacing,
        # so it did not match ours). Ours is still sent: keep both rows rather than send again.
        logger.warning("message %s: platform id already recorded on an ingested copy; suffixing", msg.pk)
        return outbox.mark_sent(msg, external_message_id=f"{key}#{msg.pk}", recovered=recovered)


def _attempt(msg, worker_id):
    return DispatchAttempt.objects.create(
        account_id=msg.conversation.account_id, message_id=msg.pk, worker=worker_id[:120], started_at=clock.now()
    )


def _close(attempt, outcome, code=""):
    attempt.finished_at, attempt.outcome, attempt.error_code = clock.now(), outcome, code[:40]
    attempt.save(update_fields=["finished_at", "outcome", "error_code"])


def _fail(msg, attempt, error, *, retryable):
    code = getattr(error, "code", "internal_error")
    msg = outbox.mark_failed(msg, error_code=code, retryable=retryable)
    _close(attempt, DispatchAttempt.Outcome.FAILED, code)
    if msg.status == Message.Status.QUEUED and msg.next_attempt_at:
        enqueue_retry(msg.pk, msg.next_attempt_at)
        return DispatchResult("retry", code, msg.next_attempt_at)
    return DispatchResult("dead" if msg.status == Message.Status.DEAD else msg.status, code)


def _deliver(msg, attempt):
    """Read first; send only if an earlier attempt did not already get it through."""
    conv = msg.conversation
    account = conv.account
    adapter, thread = accounts.with_session_retry(
        account, accounts.open_adapter(account), lambda a: a.fetch_thread(conv.external_thread_id)
    )
    already = already_sent_key(thread, msg)
    if already is not None:
        _mark_sent(msg, already, recovered=True)
        _close(attempt, DispatchAttempt.Outcome.RECOVERED)
        resilience.record_success(account, SEND)
        return DispatchResult("recovered")
    external_id = adapter.send_message(conv.external_thread_id, msg.body)
    _mark_sent(msg, external_id)
    _close(attempt, DispatchAttempt.Outcome.SENT)
    resilience.record_success(account, SEND)
    return DispatchResult("sent")


def dispatch_message(message_id, worker_id):
    msg = (
        Message.objects.select_related("conversation__account")
        .filter(pk=message_id, direction=Message.Direction.OUTBOUND).first()
    )
    if msg is None or msg.status not in (Message.Status.QUEUED, Message.Status.SENDING):
        return DispatchResult("not_queued")
    account = msg.conversation.account
    gate = _pre_claim_gate(message_id, account)
    if gate is not None:
        return gate
    slot = None
    if account.active:
        slot = pacing.reserve_send(account, max_wait=max_pacing_sleep())
        if slot.capped_until is not None:
            return _defer(message_id, slot.capped_until - clock.now(), "daily_cap")
        if not slot.reserved:
            return _defer(message_id, slot.wait, "paced")
        if slot.wait > dt.timedelta(0):
            time.sleep(slot.wait.total_seconds())
    claimed = outbox.claim_for_dispatch(message_id, worker=worker_id)
    if claimed is None:
        if slot is not None:
            pacing.release_send(account)
        return DispatchResult("not_claimed")
    msg = Message.objects.select_related("conversation__account").get(pk=claimed.pk)
    attempt = _attempt(msg, worker_id)
    reason = _final_check(msg)
    if reason:
        if slot is not None:
            pacing.release_send(account)
        outbox.mark_rejected_at_dispatch(msg, reason_code=reason)
        _close(attempt, DispatchAttempt.Outcome.REJECTED, reason)
        return DispatchResult("rejected", reason)
    try:
        return _deliver(msg, attempt)
    except PlatformError as error:
        resilience.record_failure(account, SEND, error)
        retryable = error.retryable or error.code in ACCOUNT_CODES
        return _fail(msg, attempt, error, retryable=retryable)
    except ValueError as error:  # the adapter refused the text itself (e.g. empty): retrying cannot help
        error.code = "refused_by_adapter"
        return _fail(msg, attempt, error, retryable=False)
    except Exception as error:
        logger.exception("dispatch of message %s failed unexpectedly", msg.pk)
        return _fail(msg, attempt, error, retryable=True)
