"""The bulk insert for a brand-new conversation writes exactly the rows record_message would write."""

import datetime as dt

import pytest

from conversations.ingestion import PlatformMessage, record_message
from conversations.models import Message
from ingest.ingest_run import record_new_conversation_messages
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


def test_bulk_rows_equal_record_message_rows(make_platform_account, frozen_now, django_capture_on_commit_callbacks):
    account = make_platform_account("spareroom")
    one_by_one, bulk = make_conversation(account), make_conversation(account)

    with django_capture_on_commit_callbacks(execute=False) as slow_callbacks:
        for pm in history(frozen_now):
            record_message(one_by_one, pm)
    with django_capture_on_commit_callbacks(execute=False) as bulk_callbacks:
        assert record_new_conversation_messages(bulk, history(frozen_now)) == 5

    def rows(conv):
        return list(Message.objects.filter(conversation=conv).order_by("id").values_list(*FIELDS))

    assert rows(bulk) == rows(one_by_one)
    assert len(bulk_callbacks) == len(slow_callbacks) == 3  # triage for the fresh and the time-less inbound
    one_by_one.refresh_from_db()
    bulk.refresh_from_db()
    assert bulk.last_message_at == one_by_one.last_message_at
