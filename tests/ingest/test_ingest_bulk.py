"""The bulk insert for a thread's messages writes exactly the rows record_message would write."""

import datetime as dt

import pytest

from conversations import ingestion, workflow
from conversations.ingestion import PlatformMessage, record_message, record_messages
from conversations.models import Message
from leasebot.models import AuditEvent
from leasebot.txmarks import Mark
from tests.conversations.factories import make_conversation
from tests.ingest.ingest_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db]
FIELDS = ("direction", "sender", "external_message_id", "body", "sent_at", "sent_at_source", "raw_time_text", "status",
          "triage_state")


def history(now):
    return [
        PlatformMessage("inbound", "Old question", "m1", now - dt.timedelta(days=7), "12 Nov", True),
        PlatformMessage("outbound", "Old answer", "m2", now - dt.timedelta(days=6), "13 Nov", True),
        PlatformMessage("inbound", "Fresh question", "m3", now - dt.timedelta(minutes=5), "5m ago", True),
        PlatformMessage("inbound", "Unparseable time", None, None, "sometime soonish", False),
        PlatformMessage("inbound", "No time at all", "m5", None, "", False),
    ]


def rows(conv):
    return list(Message.objects.filter(conversation=conv).order_by("id").values_list(*FIELDS))


def triage_jobs(callbacks):
    return [callback for callback in callbacks if not isinstance(callback, Mark)]


def audit_actions(conv):
    return list(AuditEvent.objects.filter(conversation_id=conv.pk).order_by("id").values_list("action", flat=True))


def one_by_one_then_bulk(account, pms, capture, prepare=lambda conv: None, new_conversation=False):
    """Record `pms` one by one into one conversation and in bulk into a twin; both must end up the same."""
    one_by_one, bulk = make_conversation(account), make_conversation(account)
    prepare(one_by_one)
    prepare(bulk)
    with capture(execute=False) as slow_callbacks:
        created = sum(record_message(one_by_one, pm)[1] for pm in pms)
    with capture(execute=False) as bulk_callbacks:
        new = record_messages(bulk, pms, new_conversation=new_conversation)

    assert new == created
    assert rows(bulk) == rows(one_by_one)
    assert len(triage_jobs(bulk_callbacks)) == len(triage_jobs(slow_callbacks))
    assert audit_actions(bulk) == audit_actions(one_by_one)
    one_by_one.refresh_from_db()
    bulk.refresh_from_db()
    assert bulk.last_message_at == one_by_one.last_message_at
    assert (bulk.workflow_state, bulk.follow_up_status) == (one_by_one.workflow_state, one_by_one.follow_up_status)
    return bulk, new, triage_jobs(bulk_callbacks)


# new_conversation=True is how ingest records a thread seen for the first time: it must change nothing.
both_kinds = pytest.mark.parametrize("new_conversation", [True, False], ids=["new_conversation", "known_conversation"])


@both_kinds
def test_bulk_rows_equal_record_message_rows(
    make_platform_account, frozen_now, django_capture_on_commit_callbacks, new_conversation
):
    account = make_platform_account("spareroom")
    one_by_one, bulk = make_conversation(account), make_conversation(account)

    with django_capture_on_commit_callbacks(execute=False) as slow_callbacks:
        for pm in history(frozen_now):
            record_message(one_by_one, pm)
    with django_capture_on_commit_callbacks(execute=False) as bulk_callbacks:
        assert record_messages(bulk, history(frozen_now), new_conversation=new_conversation) == 5

    assert rows(bulk) == rows(one_by_one)
    assert len(bulk_callbacks) == len(slow_callbacks) == 3  # triage for the fresh and the time-less inbound
    one_by_one.refresh_from_db()
    bulk.refresh_from_db()
    assert bulk.last_message_at == one_by_one.last_message_at


def test_it_attaches_a_copy_of_our_own_message_in_a_fresh_thread(
    make_platform_account, frozen_now, django_capture_on_commit_callbacks
):
    def we_sent_one(conv):
        Message.objects.create(conversation=conv, direction="outbound", sender="ai", body="See you  Saturday\r\nat 10!",
                               status="sending")

    pms = [
        PlatformMessage("inbound", "Can I see it?", "m1", frozen_now - dt.timedelta(minutes=9)),
        PlatformMessage("outbound", "See you Saturday\nat 10!", "p2", frozen_now - dt.timedelta(minutes=8)),
        PlatformMessage("outbound", "See you Sunday at 10!", "p3", frozen_now - dt.timedelta(minutes=7)),
        PlatformMessage("inbound", "Great", "m4", frozen_now - dt.timedelta(minutes=6)),
    ]

    bulk, new, jobs = one_by_one_then_bulk(make_platform_account("roomies"), pms, django_capture_on_commit_callbacks,
                                           prepare=we_sent_one)

    assert new == 3 and len(jobs) == 2
    outbound = list(bulk.messages.filter(direction="outbound").order_by("id").values_list("body", "external_message_id"))
    assert outbound == [("See you  Saturday\r\nat 10!", None), ("See you Sunday at 10!", "p3")]


@both_kinds
def test_old_history_is_recorded_skipped_and_never_queued_for_triage(
    make_platform_account, frozen_now, django_capture_on_commit_callbacks, new_conversation
):
    week_ago = frozen_now - dt.timedelta(days=7)
    pms = [
        PlatformMessage("inbound", "Is it available?", "m1", week_ago, "7d", True),
        PlatformMessage("outbound", "Yes!", "m2", week_ago + dt.timedelta(hours=1), "7d", True),
        PlatformMessage("inbound", "Can I see it?", "m3", week_ago + dt.timedelta(hours=2), "7d", True),
    ]

    bulk, new, jobs = one_by_one_then_bulk(make_platform_account("leasebreak"), pms, django_capture_on_commit_callbacks,
                                           new_conversation=new_conversation)

    assert new == 3 and jobs == []
    assert list(bulk.messages.filter(direction="inbound").values_list("triage_state", flat=True)) == ["skipped"] * 2
    assert bulk.last_message_at == week_ago + dt.timedelta(hours=2)  # sorts as a week old, not as new


@both_kinds
def test_a_message_repeated_within_one_batch_is_recorded_once(
    make_platform_account, frozen_now, django_capture_on_commit_callbacks, new_conversation
):
    pms = [
        PlatformMessage("inbound", "Hi", "m1", frozen_now),
        PlatformMessage("inbound", "Hi", "m1", frozen_now),
        PlatformMessage("inbound", "Hello?", raw_time_text="now", time_parsed=False),  # same content-derived id
        PlatformMessage("inbound", "Hello?", raw_time_text="1m ago", time_parsed=False),
        PlatformMessage("outbound", "Welcome", "p1", frozen_now),
        PlatformMessage("outbound", "Welcome", "p1", frozen_now),
    ]

    bulk, new, jobs = one_by_one_then_bulk(make_platform_account("spareroom"), pms, django_capture_on_commit_callbacks,
                                           new_conversation=new_conversation)

    assert new == 3 and len(jobs) == 2
    assert list(bulk.messages.order_by("id").values_list("body", flat=True)) == ["Hi", "Hello?", "Welcome"]


def test_messages_already_recorded_are_skipped(make_platform_account, frozen_now, django_capture_on_commit_callbacks):
    def already_read(conv):
        record_messages(conv, history(frozen_now)[:3])

    bulk, new, _ = one_by_one_then_bulk(make_platform_account("roomies"), history(frozen_now),
                                        django_capture_on_commit_callbacks, prepare=already_read)

    assert new == 2 and bulk.messages.count() == 5
    assert record_messages(bulk, history(frozen_now)) == 0


def test_a_lead_writing_again_reopens_a_closed_conversation(
    make_platform_account, frozen_now, django_capture_on_commit_callbacks
):
    def closed(conv):
        workflow.apply_outcome(conv, "not_interested", actor=None, cause="t")

    pms = [PlatformMessage("inbound", "Actually, is it still free?", "m9", frozen_now)]

    bulk, _, _ = one_by_one_then_bulk(make_platform_account("renthop"), pms, django_capture_on_commit_callbacks,
                                      prepare=closed)

    assert bulk.workflow_state == "lead"


def test_a_conflicting_insert_falls_back_to_one_by_one(
    make_platform_account, frozen_now, monkeypatch, django_capture_on_commit_callbacks
):
    conv = make_conversation(make_platform_account("spareroom"))
    record_messages(conv, history(frozen_now)[:2])
    # As if another worker recorded m1 and m2 between our look-up and our insert.
    monkeypatch.setattr(ingestion, "_known_external_ids", lambda conv, external_ids: set())

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert record_messages(conv, history(frozen_now)) == 3

    assert conv.messages.count() == 5
    assert len(triage_jobs(callbacks)) == 3
