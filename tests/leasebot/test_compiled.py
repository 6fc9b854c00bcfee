import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from conversations.models import Conversation, Message
from leasebot.compiled import CompiledQuery
from tests.conversations.factories import make_account, make_conversation, make_listing

pytestmark = [pytest.mark.django_db]

WITH_ACCOUNT = CompiledQuery(
    lambda pk: Conversation.objects.select_related("account", "listing").filter(pk=pk), pk=int
)
BY_STATUS = CompiledQuery(
    lambda conv, status: Message.objects.filter(conversation_id=conv, status=status).order_by("id"),
    conv=int, status=str,
)


def _message(conv, body, status, **fields):
    return Message.objects.create(conversation=conv, direction="outbound", sender="ai", body=body, status=status, **fields)


def test_it_returns_what_the_queryset_returns_with_relations_in_one_query():
    account = make_account(name="Acme")
    conv = make_conversation(account, listing=make_listing(account, title="Sunny room"))
    with CaptureQueriesContext(connection) as queries:
        loaded = WITH_ACCOUNT.get(pk=conv.pk)
        assert (loaded.account.name, loaded.listing.title) == ("Acme", "Sunny room")
    assert len(queries) == 1
    expected = Conversation.objects.get(pk=conv.pk)
    assert {f.attname: getattr(loaded, f.attname) for f in Conversation._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in Conversation._meta.concrete_fields
    }


def test_it_binds_each_calls_own_values():
    first, second = make_conversation(), make_conversation()
    assert WITH_ACCOUNT.get(pk=first.pk).pk == first.pk
    assert WITH_ACCOUNT.get(pk=second.pk).pk == second.pk
    assert WITH_ACCOUNT.first(pk=second.pk + 1000) is None


def test_string_parameters_and_field_converters_apply():
    conv = make_conversation()
    slots = [{"starts_at": "2027-01-09T15:00:00+00:00", "agent_id": 3}]
    offer = _message(conv, "Sat?", "queued", offered_slots=slots)
    _message(conv, "draft", "draft")
    rows = BY_STATUS.all(conv=conv.pk, status="queued")
    assert [m.pk for m in rows] == [offer.pk]
    assert rows[0].offered_slots == slots  # jsonb decoded by the field, as the ORM would
    assert [m.body for m in BY_STATUS.all(conv=conv.pk, status="draft")] == ["draft"]


def test_get_raises_like_the_orm():
    conv = make_conversation()
    with pytest.raises(Conversation.DoesNotExist):
        WITH_ACCOUNT.get(pk=conv.pk + 1000)
    _message(conv, "a", "queued")
    _message(conv, "b", "queued")
    with pytest.raises(Message.MultipleObjectsReturned):
        BY_STATUS.get(conv=conv.pk, status="queued")


def test_a_locking_read_is_compiled_with_its_lock():
    locked = CompiledQuery(lambda pk: Conversation.objects.select_for_update().filter(pk=pk), pk=int)
    conv = make_conversation()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert locked.get(pk=conv.pk).pk == conv.pk
    assert "FOR UPDATE" in queries[-1]["sql"]


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_locking_read_outside_a_transaction():
    locked = CompiledQuery(lambda pk: Conversation.objects.select_for_update().filter(pk=pk), pk=int)
    with pytest.raises(TransactionManagementError):
        locked.get(pk=make_conversation().pk)


def test_it_refuses_parameter_types_django_would_adapt():
    with pytest.raises(TypeError, match="only int and str"):
        CompiledQuery(lambda day: Message.objects.filter(sent_at__date=day), day=dt.date)


def test_it_refuses_a_parameter_that_never_reaches_the_sql():
    ignored = CompiledQuery(lambda pk: Conversation.objects.filter(pk=1), pk=int)
    with pytest.raises(ValueError, match="pk"):
        ignored.all(pk=1)


def test_it_refuses_missing_or_unknown_values_and_prefetching():
    with pytest.raises(TypeError, match="expected parameters"):
        WITH_ACCOUNT.all(id=1)
    prefetching = CompiledQuery(lambda pk: Conversation.objects.prefetch_related("messages").filter(pk=pk), pk=int)
    with pytest.raises(ValueError, match="prefetch_related"):
        prefetching.all(pk=1)
