import datetime as dt

import pytest

from conversations import ingestion
from conversations.ingestion import PlatformMessage, ThreadRef
from conversations.models import Conversation, Message
from leasebot.models import AuditEvent
from tests.conversations.factories import make_account, make_listing
from tests.scheduling.factories import assign, make_unit

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def account():
    return make_account("roomies")


@pytest.fixture
def linked(account, agent_a, agent_b):
    unit = make_unit()
    assign(unit, agent_b.agent_profile, priority=2)
    assign(unit, agent_a.agent_profile, priority=1)
    listing = make_listing(account, unit=unit, title="Sunny Room — Park Slope!", external_listing_id="cr-1",
                           url="https://www.roomies.com/rooms/cr-1/")
    return listing


@pytest.mark.parametrize(
    "ref,matched_by",
    [
        (ThreadRef("t1", listing_external_id="cr-1"), "external_id"),
        (ThreadRef("t1", listing_url="https://roomies.com/rooms/cr-1"), "url"),
        (ThreadRef("t1", listing_title="sunny room park slope"), "title"),
    ],
)
def test_it_links_a_thread_by_id_url_or_title_and_assigns_the_best_active_agent(account, linked, agent_a, ref, matched_by):
    conv, created = ingestion.record_conversation(account, ref)
    assert created and conv.listing == linked and conv.unit == linked.unit
    assert conv.assigned_agent == agent_a.agent_profile and conv.linkage == "resolved"
    event = AuditEvent.objects.get(action="ingest_conversation_linkage_resolved")
    assert event.details["matched_by"] == matched_by


def test_it_records_an_unmatched_thread_unresolved_and_links_it_after_a_listing_sync(account, agent_a, frozen_now):
    conv, _ = ingestion.record_conversation(account, ThreadRef("t9", thread_label="Loft room", listing_external_id="cr-77"))
    assert conv.linkage == "linkage_unresolved" and conv.unit is None
    event = AuditEvent.objects.get(action="ingest_conversation_linkage_unresolved")
    assert event.details["tried"] == ["external_id", "title"]
    unit = make_unit()
    assign(unit, agent_a.agent_profile, priority=1)
    make_listing(account, unit=unit, title="Loft room", external_listing_id="cr-77")
    assert ingestion.relink_unresolved(account) == 1
    conv.refresh_from_db()
    assert conv.linkage == "resolved" and conv.unit == unit and conv.assigned_agent == agent_a.agent_profile
    assert AuditEvent.objects.filter(action="ingest_conversation_linkage_resolved_later").count() == 1


def test_it_refuses_an_ambiguous_title(account):
    make_listing(account, unit=make_unit(), title="Room", external_listing_id="a")
    make_listing(account, unit=make_unit(), title="room!", external_listing_id="b")
    conv, _ = ingestion.record_conversation(account, ThreadRef("t2", listing_title="ROOM"))
    assert conv.linkage == "linkage_unresolved"


def test_it_upserts_threads_and_messages_idempotently(account, frozen_now):
    conv, _ = ingestion.record_conversation(account, ThreadRef("t3"))
    again, created = ingestion.record_conversation(account, ThreadRef("t3"))
    assert again.pk == conv.pk and not created
    pm = PlatformMessage("inbound", "Is it available?", sent_at=frozen_now, raw_time_text="8h ago")
    first, created_first = ingestion.record_message(conv, pm)
    second, created_second = ingestion.record_message(conv, PlatformMessage("inbound", "Is it available?", raw_time_text="9h ago"))
    assert created_first and not created_second and first.pk == second.pk
    assert Message.objects.filter(conversation=conv).count() == 1


def test_it_queues_recent_inbound_for_triage_but_never_old_history(account, frozen_now):
    conv, _ = ingestion.record_conversation(account, ThreadRef("t4"))
    old, _ = ingestion.record_message(conv, PlatformMessage("inbound", "Hi from last week", "m1", sent_at=frozen_now - dt.timedelta(days=7)))
    new, _ = ingestion.record_message(conv, PlatformMessage("inbound", "Still available?", "m2", sent_at=frozen_now - dt.timedelta(minutes=3)))
    assert old.triage_state == "skipped" and new.triage_state == "pending"


def test_its_time_is_the_newest_message_s_and_a_late_read_older_message_never_moves_it_back(account, frozen_now):
    conv, _ = ingestion.record_conversation(account, ThreadRef("t4b"))
    assert conv.last_message_at == frozen_now  # no messages yet: the time it was first seen
    day_ago = frozen_now - dt.timedelta(days=1)
    ingestion.record_message(conv, PlatformMessage("inbound", "Is it free?", "m1", sent_at=day_ago))
    assert Conversation.objects.get(pk=conv.pk).last_message_at == day_ago
    ingestion.record_message(conv, PlatformMessage("inbound", "Earlier note", "m0", sent_at=day_ago - dt.timedelta(hours=1)))
    assert Conversation.objects.get(pk=conv.pk).last_message_at == day_ago
    ingestion.record_messages(conv, [PlatformMessage("inbound", "Hello?", "m2", sent_at=frozen_now - dt.timedelta(minutes=2))])
    assert Conversation.objects.get(pk=conv.pk).last_message_at == frozen_now - dt.timedelta(minutes=2)


def test_it_marks_unreadable_platform_times_instead_of_pretending(account, frozen_now):
    conv, _ = ingestion.record_conversation(account, ThreadRef("t5"))
    msg, _ = ingestion.record_message(conv, PlatformMessage("inbound", "hello", "m1", raw_time_text="sometime", time_parsed=False))
    assert msg.sent_at_source == "unparseable" and msg.raw_time_text == "sometime"


def test_it_attaches_the_platform_copy_of_our_sent_message_instead_of_duplicating(account, frozen_now):
    conv, _ = ingestion.record_conversation(account, ThreadRef("t6"))
    ours = Message.objects.create(conversation=conv, direction="outbound", sender="ai", body="See you Saturday", status="sent")
    seen, created = ingestion.record_message(conv, PlatformMessage("outbound", "See you Saturday", "p-55"))
    assert not created and seen.pk == ours.pk
    assert Conversation.objects.get(pk=conv.pk).messages.count() == 1


def test_it_reopens_a_closed_conversation_when_the_lead_writes(account, frozen_now):
    from conversations import workflow

    conv, _ = ingestion.record_conversation(account, ThreadRef("t7"))
    workflow.apply_outcome(conv, "not_interested", actor=None, cause="t")
    ingestion.record_message(conv, PlatformMessage("inbound", "Actually, is it still free?", "m9", sent_at=frozen_now))
    assert Conversation.objects.get(pk=conv.pk).workflow_state == "lead"


@pytest.mark.parametrize(
    "ours,platform_copy",
    [
        ("See you Saturday at 10", "See  you   Saturday at 10"),
        ("See you  Saturday at 10", "See you Saturday at 10"),
        ("See you Saturday at 10", "  See you Saturday at 10 \n"),
        ("Line one.\r\nLine two.", "Line one.\nLine two."),
        ("Line one.\nLine two.", "Line one. \r\nLine two."),
        ("See you Saturday at 10", "See you\u00a0Saturday\tat 10"),
    ],
)
def test_it_attaches_a_re_spaced_platform_copy_of_our_message(account, frozen_now, ours, platform_copy):
    conv, _ = ingestion.record_conversation(account, ThreadRef("t8"))
    sent = Message.objects.create(conversation=conv, direction="outbound", sender="ai", body=ours, status="sending")
    seen, created = ingestion.record_message(conv, PlatformMessage("outbound", platform_copy, "p-8"))
    assert not created and seen.pk == sent.pk
    assert list(conv.messages.values_list("body", flat=True)) == [ours]  # stored as we wrote it


@pytest.mark.parametrize(
    "ours,platform_text",
    [
        ("See you Saturday at 10", "See you Sunday at 10"),
        ("See you Saturday at 10", "See you Saturday at 10!"),
        ("See you Saturday at 10", "Seeyou Saturday at 10"),
        ("Line one.\nLine two.", "Line one. Line two."),  # line breaks still count
    ],
)
def test_it_records_a_different_text_as_a_new_message(account, frozen_now, ours, platform_text):
    conv, _ = ingestion.record_conversation(account, ThreadRef("t9"))
    Message.objects.create(conversation=conv, direction="outbound", sender="ai", body=ours, status="sending")
    seen, created = ingestion.record_message(conv, PlatformMessage("outbound", platform_text, "p-9"))
    assert created and (seen.body, seen.external_message_id) == (platform_text, "p-9")
    assert conv.messages.count() == 2


def test_it_never_attaches_a_copy_to_a_confirmed_or_unsent_message_of_ours(account, frozen_now):
    conv, _ = ingestion.record_conversation(account, ThreadRef("t10"))
    Message.objects.create(conversation=conv, direction="outbound", sender="ai", body="Hi", status="sent",
                           external_message_id="p-1")
    Message.objects.create(conversation=conv, direction="outbound", sender="ai", body="Hi", status="queued")
    _, created = ingestion.record_message(conv, PlatformMessage("outbound", "Hi ", "p-2"))
    assert created


def test_it_compares_a_copy_only_with_the_newest_unconfirmed_messages_of_ours(account, frozen_now, monkeypatch):
    monkeypatch.setattr(ingestion, "OUR_OUTBOUND_WINDOW", 2)
    conv, _ = ingestion.record_conversation(account, ThreadRef("t11"))
    _, *newest = [
        Message.objects.create(conversation=conv, direction="outbound", sender="ai", body=body, status="sent")
        for body in ("Stale one", "Recent one", "Latest one")
    ]
    _, stale_created = ingestion.record_message(conv, PlatformMessage("outbound", "Stale  one", "p-1"))
    recent, recent_created = ingestion.record_message(conv, PlatformMessage("outbound", "Recent  one", "p-2"))
    assert stale_created and not recent_created and recent.pk == newest[0].pk
