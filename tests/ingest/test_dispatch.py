"""dispatch_message through the mock runtime: exactly one send, read-before-send recovery, last-moment
refusals, retries and dead letters, pacing. Faults and breakers: test_resilience.py."""

import datetime as dt

import pytest

from conversations.models import Message
from ingest.dispatch import dispatch_message
from ingest.models import AccountState, DispatchAttempt
from leasebot import clock
from leasebot.models import AuditEvent
from tests.conversations.factories import make_conversation
from tests.ingest.ingest_fixtures import *  # noqa: F403
from tests.ingest.ingest_fixtures import platform_of, queued

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_redis")]
WORKER = "test-worker"




def thread_with_lead(runtime, account, body="Is the room available?"):
    platform = platform_of(runtime, account)
    thread_id, _ = platform.add_lead_message(body)
    return platform, make_conversation(account, external_thread_id=thread_id)


def test_it_sends_once_confirms_and_stores_the_platform_message_id(mock_runtime, make_platform_account):
    account = make_platform_account("roomies")
    platform, conv = thread_with_lead(mock_runtime, account)
    msg = queued(conv)

    result = dispatch_message(msg.pk, WORKER)
    again = dispatch_message(msg.pk, WORKER)

    msg.refresh_from_db()
    assert (result.outcome, again.outcome) == ("sent", "not_queued")
    assert platform.send_count() == 1
    assert msg.status == "sent" and msg.external_message_id == platform.sent_messages()[0]["message_id"]
    assert AuditEvent.objects.filter(action="platform_dispatch_sent", entity_id=str(msg.pk)).count() == 1
    assert AccountState.objects.get(account=account).last_send_ok_at is not None
    assert DispatchAttempt.objects.get(message_id=msg.pk).outcome == "sent"


def test_a_message_already_in_the_thread_is_recorded_as_sent_not_sent_again(mock_runtime, make_platform_account):
    account = make_platform_account("spareroom")
    platform, conv = thread_with_lead(mock_runtime, account)
    msg = queued(conv, "Thursday 6:30pm is free, shall I book it?")
    # A previous attempt clicked send and died before it could record anything.
    platform_message_id = platform.add_our_message(conv.external_thread_id, "Thursday  6:30pm is free, shall I book it?")
    Message.objects.filter(pk=msg.pk).update(status="sending", claim_expires_at=clock.now() - dt.timedelta(seconds=1))

    result = dispatch_message(msg.pk, WORKER)

    msg.refresh_from_db()
    assert result.outcome == "recovered"
    assert platform.send_count() == 0
    assert (msg.status, msg.external_message_id) == ("sent", platform_message_id)
    assert AuditEvent.objects.get(action="platform_dispatch_sent", entity_id=str(msg.pk)).details["recovered"] is True


def test_an_identical_earlier_message_of_ours_is_not_mistaken_for_this_one(mock_runtime, make_platform_account):
    account = make_platform_account("spareroom")
    platform, conv = thread_with_lead(mock_runtime, account)
    first = queued(conv, "Thanks, see you then!")
    assert dispatch_message(first.pk, WORKER).outcome == "sent"
    second = queued(conv, "Thanks, see you then!")

    assert dispatch_message(second.pk, WORKER).outcome == "sent"
    assert platform.send_count() == 2


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        (lambda conv, msg: type(conv).objects.filter(pk=conv.pk).update(opted_out=True), "opted_out"),
        (lambda conv, msg: type(conv.account).objects.filter(pk=conv.account_id).update(active=False), "account_inactive"),
        (lambda conv, msg: type(conv.account).objects.filter(pk=conv.account_id).update(send_mode="draft_only"),
         "send_mode_draft_only"),
        (lambda conv, msg: Message.objects.filter(pk=msg.pk).update(body="Sorry, this is an adults only building."),
         "guardrail_blocked"),
    ],
    ids=["opted_out", "inactive", "send_mode", "guardrails"],
)
def test_the_last_checks_before_sending_reject_without_contacting_the_platform(
    mock_runtime, make_platform_account, setup, code
):
    account = make_platform_account("roomies")
    platform, conv = thread_with_lead(mock_runtime, account)
    msg = queued(conv, sender="ai")
    setup(conv, msg)
    requests_before = platform.requests

    result = dispatch_message(msg.pk, WORKER)

    msg.refresh_from_db()
    assert (result.outcome, result.code) == ("rejected", code)
    assert (msg.status, msg.last_error) == ("rejected", code)
    assert platform.requests == requests_before and platform.send_count() == 0
    assert AuditEvent.objects.filter(action="platform_dispatch_rejected", entity_id=str(msg.pk)).exists()


def test_an_approved_draft_is_sent_on_a_draft_only_account(mock_runtime, make_platform_account, admin_user):
    account = make_platform_account("leasebreak", send_mode="draft_only")
    platform, conv = thread_with_lead(mock_runtime, account)
    msg = queued(conv, sender="ai", reviewed_by=admin_user)
    assert dispatch_message(msg.pk, WORKER).outcome == "sent"
    assert platform.send_count() == 1


def test_a_retryable_failure_backs_off_and_schedules_the_job_then_the_retry_sends(
    mock_runtime, make_platform_account, frozen_now
):
    import django_rq
    from rq.registry import ScheduledJobRegistry

    account = make_platform_account("renthop")
    platform, conv = thread_with_lead(mock_runtime, account)
    msg = queued(conv)
    platform.add_fault("status", status=503, times=1, applies_to="send")

    first = dispatch_message(msg.pk, WORKER)
    msg.refresh_from_db()
    assert (first.outcome, first.code, msg.status, msg.attempts) == ("retry", "rate_limited", "queued", 1)
    assert msg.next_attempt_at > frozen_now
    queue = django_rq.get_queue("dispatch")
    assert len(ScheduledJobRegistry(queue=queue)) == 1
    assert dispatch_message(msg.pk, WORKER).outcome == "not_claimed"  # not due yet

    clock.set_frozen(msg.next_attempt_at + dt.timedelta(seconds=1))
    assert dispatch_message(msg.pk, WORKER).outcome == "sent"
    assert platform.send_count() == 1
    assert AuditEvent.objects.filter(action="platform_dispatch_error", entity_id=str(msg.pk)).count() == 1


def test_a_permanent_failure_goes_to_the_dead_letters_with_its_reason(mock_runtime, make_platform_account):
    account = make_platform_account("furnishedfinder")
    platform_of(mock_runtime, account)
    conv = make_conversation(account, external_thread_id="no-such-thread")
    msg = queued(conv)

    result = dispatch_message(msg.pk, WORKER)

    msg.refresh_from_db()
    assert (result.outcome, msg.status, msg.last_error) == ("dead", "dead", "thread_not_found")
    dlq = AuditEvent.objects.get(action="platform_dispatch_dlq", entity_id=str(msg.pk))
    assert dlq.details["error_code"] == "thread_not_found"


def test_retries_end_in_the_dead_letters_after_the_last_attempt(mock_runtime, make_platform_account, settings):
    settings.LEASEBOT_DISPATCH_MAX_ATTEMPTS = 2
    settings.LEASEBOT_RPA_BREAKER_THRESHOLD = 100
    account = make_platform_account("spareroom")
    platform, conv = thread_with_lead(mock_runtime, account)
    msg = queued(conv)
    platform.add_fault("status", status=429, applies_to="send")

    outcomes = []
    for _ in range(2):
        outcomes.append(dispatch_message(msg.pk, WORKER).outcome)
        Message.objects.filter(pk=msg.pk, status="queued").update(next_attempt_at=clock.now())
    msg.refresh_from_db()
    assert outcomes == ["retry", "dead"]
    assert (msg.status, msg.attempts, platform.send_count()) == ("dead", 2, 0)


def test_pacing_spaces_sends_on_one_account_and_defers_instead_of_waiting_long(
    mock_runtime, make_platform_account, frozen_now
):
    account = make_platform_account("spareroom")
    AccountState.objects.filter(account=account).update(min_interval_seconds=60, jitter_seconds=0)
    platform, conv = thread_with_lead(mock_runtime, account)
    first, second = queued(conv, "First reply."), queued(conv, "Second reply.")

    assert dispatch_message(first.pk, WORKER).outcome == "sent"
    paced = dispatch_message(second.pk, WORKER)
    assert (paced.outcome, paced.code) == ("deferred", "paced")
    assert paced.retry_at == frozen_now + dt.timedelta(seconds=60)
    second.refresh_from_db()
    assert (second.status, second.attempts) == ("queued", 0)  # waiting costs no attempt

    clock.set_frozen(frozen_now + dt.timedelta(seconds=61))
    assert dispatch_message(second.pk, WORKER).outcome == "sent"
    assert platform.send_count() == 2


def test_the_daily_cap_defers_sends_to_the_next_day(mock_runtime, make_platform_account, frozen_now):
    account = make_platform_account("roomies")
    AccountState.objects.filter(account=account).update(daily_send_cap=1)
    platform, conv = thread_with_lead(mock_runtime, account)
    first, second = queued(conv, "One."), queued(conv, "Two.")

    assert dispatch_message(first.pk, WORKER).outcome == "sent"
    capped = dispatch_message(second.pk, WORKER)
    assert (capped.outcome, capped.code) == ("deferred", "daily_cap")
    assert capped.retry_at.astimezone(dt.UTC) > frozen_now + dt.timedelta(hours=8)
    assert platform.send_count() == 1


def test_repeated_deferrals_keep_one_scheduled_retry_per_message(mock_runtime, make_platform_account, frozen_now):
    import django_rq
    from rq.registry import ScheduledJobRegistry

    account = make_platform_account("roomies")
    AccountState.objects.filter(account=account).update(daily_send_cap=0)
    _, conv = thread_with_lead(mock_runtime, account)
    msg = queued(conv)
    for _ in range(3):  # e.g. the outbox sweep re-enqueues it every minute
        assert dispatch_message(msg.pk, WORKER).code == "daily_cap"
    assert len(ScheduledJobRegistry(queue=django_rq.get_queue("dispatch"))) == 1


def test_a_platform_copy_ingest_recorded_separately_is_recognised_and_never_sent_twice(
    mock_runtime, make_platform_account
):
    from ingest.ingest_run import run_ingest

    account = make_platform_account("spareroom")
    platform, conv = thread_with_lead(mock_runtime, account)
    msg = queued(conv, "Line one.\nLine two.")
    # An attempt clicked send and died; the platform shows the text with its spacing changed, so ingest
    # recorded it as a row of its own before dispatch came back.
    platform.add_our_message(conv.external_thread_id, "Line one. Line two.")
    Message.objects.filter(pk=msg.pk).update(status="sending", claim_expires_at=clock.now() - dt.timedelta(seconds=1))
    run_ingest(account.pk)
    assert conv.messages.filter(direction="outbound").count() == 2

    result = dispatch_message(msg.pk, WORKER)

    msg.refresh_from_db()
    assert result.outcome == "recovered" and msg.status == "sent"
    assert platform.send_count() == 0


def test_an_identical_text_sent_by_hand_last_week_is_not_taken_for_this_message(mock_runtime, make_platform_account):
    account = make_platform_account("roomies")
    platform, conv = thread_with_lead(mock_runtime, account)
    platform.add_our_message(conv.external_thread_id, "Thanks!", at=dt.datetime.now(dt.UTC) - dt.timedelta(days=7))
    msg = queued(conv, "Thanks!")

    assert dispatch_message(msg.pk, WORKER).outcome == "sent"
    assert platform.send_count() == 1
