"""run_ingest / run_sync_listings through the mock runtime: recording, linkage, skips, run rows."""

import datetime as dt

import pytest

from conversations.models import Conversation, Message
from ingest.ingest_run import rent_cents, run_ingest, run_sync_listings
from ingest.models import AccountState, IngestRun
from leasebot.models import AuditEvent
from tests.conversations.factories import make_listing
from tests.ingest.ingest_fixtures import *  # noqa: F403
from tests.ingest.ingest_fixtures import platform_of

pytestmark = [pytest.mark.django_db]


def test_it_records_new_threads_and_messages_once_and_writes_a_run_row(mock_runtime, make_platform_account):
    account = make_platform_account("roomies")
    platform = platform_of(mock_runtime, account)
    thread_id, _ = platform.add_lead_message("Is the room free?", lead_name="Maya Ortiz")
    platform.add_lead_message("Also, pets?", thread_id=thread_id)

    first = run_ingest(account.pk)
    second = run_ingest(account.pk)

    assert first.ok and first.counts == {"threads_seen": 1, "threads_new": 1, "messages_seen": 2, "messages_new": 2}
    assert second.counts["messages_new"] == 0 and second.counts["threads_new"] == 0
    conv = Conversation.objects.get(account=account, external_thread_id=thread_id)
    assert conv.lead_name == "Maya Ortiz"
    assert list(conv.messages.values_list("body", flat=True)) == ["Is the room free?", "Also, pets?"]
    runs = IngestRun.objects.filter(account=account)
    assert runs.count() == 2 and all(run.ok for run in runs)
    assert AccountState.objects.get(account=account).last_ingest_ok_at is not None


def test_it_fetches_a_known_thread_again_only_when_its_row_changed(mock_runtime, make_platform_account):
    account = make_platform_account("spareroom")
    platform = platform_of(mock_runtime, account)
    thread_id, _ = platform.add_lead_message("Hello")
    run_ingest(account.pk)
    unchanged = run_ingest(account.pk)
    platform.add_lead_message("Thursday at 6:30pm works for me.", thread_id=thread_id)
    changed = run_ingest(account.pk)

    assert unchanged.counts["messages_seen"] == 0
    assert changed.counts["messages_new"] == 1
    assert Message.objects.filter(conversation__external_thread_id=thread_id).count() == 2


def test_a_thread_whose_last_message_is_ours_is_read_and_not_duplicated(mock_runtime, make_platform_account):
    account = make_platform_account("spareroom")
    platform = platform_of(mock_runtime, account)
    thread_id, _ = platform.add_lead_message("Hello")
    platform.add_our_message(thread_id, "Hi! Saturday at 10?")
    run_ingest(account.pk)
    run_ingest(account.pk)

    messages = Message.objects.filter(conversation__external_thread_id=thread_id)
    assert [(m.direction, m.status) for m in messages] == [("inbound", "received"), ("outbound", "sent")]


def test_a_re_spaced_platform_copy_of_our_message_in_flight_is_attached_not_duplicated(
    mock_runtime, make_platform_account
):
    account = make_platform_account("roomies")
    platform = platform_of(mock_runtime, account)
    thread_id, _ = platform.add_lead_message("Hello")
    run_ingest(account.pk)
    conv = Conversation.objects.get(account=account, external_thread_id=thread_id)
    ours = Message.objects.create(conversation=conv, direction="outbound", sender="ai", status="sending",
                                  body="Hi!  Saturday\u00a0at 10?\r\nSee you there. ")
    platform.add_our_message(thread_id, "Hi! Saturday at 10?\nSee you there.")
    platform.add_our_message(thread_id, "Or Sunday at 11?")

    result = run_ingest(account.pk)

    assert result.counts["messages_new"] == 1
    outbound = list(conv.messages.filter(direction="outbound").order_by("id").values_list("pk", "body"))
    assert outbound == [(ours.pk, ours.body), (outbound[1][0], "Or Sunday at 11?")]


def test_it_keeps_platform_times_and_marks_the_first_import_of_old_history_as_not_to_answer(
    mock_runtime, make_platform_account, django_capture_on_commit_callbacks
):
    account = make_platform_account("leasebreak")
    platform = platform_of(mock_runtime, account)
    week_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=7)
    thread_id, _ = platform.add_lead_message("Is it available?", at=week_ago)
    platform.add_lead_message("Hello again?", thread_id=thread_id, at=week_ago + dt.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run_ingest(account.pk)

    messages = list(Message.objects.filter(conversation__external_thread_id=thread_id))
    assert [m.triage_state for m in messages] == ["skipped", "skipped"]
    assert all(m.sent_at_source == "platform" for m in messages)
    assert abs(messages[0].sent_at - week_ago) < dt.timedelta(seconds=1)
    assert callbacks == []  # no triage job was even scheduled


def test_a_fresh_lead_message_is_queued_for_triage_after_commit(
    mock_runtime, make_platform_account, django_capture_on_commit_callbacks
):
    account = make_platform_account("leasebreak")
    platform_of(mock_runtime, account).add_lead_message("Can I see it tomorrow?")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run_ingest(account.pk)
    assert Message.objects.get(conversation__account=account).triage_state == "pending"
    assert len(callbacks) == 1


@pytest.mark.parametrize("how", ["id", "url", "title"])
def test_it_links_a_new_thread_to_its_listing_and_unit(mock_runtime, make_platform_account, how):
    from scheduling.models import Unit

    account = make_platform_account("spareroom")
    platform = platform_of(mock_runtime, account)
    unit = Unit.objects.create(property_name="Maple Court", unit_number="4B", timezone="America/New_York")
    listing_id = platform.add_listing("Sunny double room in Astoria", listing_id="SR4471")
    if how == "id":
        make_listing(account, unit=unit, title="Different title", external_listing_id="SR4471")
    elif how == "title":
        make_listing(account, unit=unit, title="Sunny double room in Astoria!", external_listing_id="OTHER")
    platform.add_lead_message("Hi", listing_id=listing_id)
    if how == "url":
        # The mock thread carries no URL: link by URL through a thread whose platform id is unknown to us.
        from ingest import ingest_run
        from ingest.types import InboxRow, Thread
        from ingest.types import Message as PM

        make_listing(account, unit=unit, title="Other", external_listing_id="X1", url="https://www.spareroom.com/rooms/99/")
        thread = Thread("T-url", [PM("m1", "inbound", "Hi", None)], listing_url="http://spareroom.com/rooms/99")
        ingest_run.record_thread(account, InboxRow("T-url", 0), thread, dict.fromkeys(
            ["threads_new", "messages_seen", "messages_new"], 0))
        conv = Conversation.objects.get(external_thread_id="T-url")
    else:
        run_ingest(account.pk)
        conv = Conversation.objects.get(account=account)
    assert (conv.linkage, conv.unit_id) == ("resolved", unit.pk)
    event = AuditEvent.objects.get(action="ingest_conversation_linkage_resolved", conversation_id=conv.pk)
    assert event.details["matched_by"] == {"id": "external_id", "url": "url", "title": "title"}[how]


def test_an_unmatched_thread_is_recorded_unresolved_then_resolved_by_a_later_listing_sync(
    mock_runtime, make_platform_account
):
    from scheduling.models import Unit

    account = make_platform_account("renthop")
    platform = platform_of(mock_runtime, account)
    listing_id = platform.add_listing("Bright studio in Williamsburg", listing_id="RH77311", price="$2,450/mo")
    platform.add_lead_message("Is the studio available?", listing_id=listing_id)

    run_ingest(account.pk)
    conv = Conversation.objects.get(account=account)
    assert conv.linkage == "linkage_unresolved"
    assert AuditEvent.objects.filter(action="ingest_conversation_linkage_unresolved", conversation_id=conv.pk).exists()

    synced = run_sync_listings(account.pk)
    listing = account.listings.get(external_listing_id="RH77311")
    assert synced.ok and synced.counts["listings_new"] == 1
    assert (listing.title, listing.rent_cents, listing.status) == ("Bright studio in Williamsburg", 245000, "active")

    listing.unit = Unit.objects.create(property_name="Riverside Flats", unit_number="3", timezone="America/Chicago")
    listing.save()
    again = run_sync_listings(account.pk)
    conv.refresh_from_db()
    assert again.counts == {"listings_seen": 1, "listings_new": 0, "resolved_later": 1}
    assert (conv.linkage, conv.listing_id, conv.unit_id) == ("resolved", listing.pk, listing.unit_id)
    assert AuditEvent.objects.filter(action="ingest_conversation_linkage_resolved_later", conversation_id=conv.pk).exists()
    assert IngestRun.objects.filter(account=account, kind="listings").count() == 2


def test_an_inactive_account_is_never_contacted(mock_runtime, make_platform_account):
    account = make_platform_account("roomies", active=False)
    platform = platform_of(mock_runtime, account)
    platform.add_lead_message("Hello")
    before = platform.requests

    assert run_ingest(account.pk).skipped == "inactive"
    assert run_sync_listings(account.pk).skipped == "inactive"
    assert platform.requests == before
    assert not IngestRun.objects.filter(account=account).exists()


@pytest.mark.parametrize(("text", "cents"), [("$1,250/mo", 125000), ("£950 pcm", 95000), ("$2,199.5", 219950), ("ask", None)])
def test_it_reads_rent_from_price_text(text, cents):
    assert rent_cents(text) == cents
