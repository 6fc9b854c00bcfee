import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from leasebot import audit
from leasebot.models import AuditEvent

pytestmark = [pytest.mark.django_db]


def test_it_records_actor_entity_and_dimensions(agent_a):
    event = audit.record(
        "showing_state_changed", actor=agent_a, entity=agent_a, platform="spareroom", agent_id=7,
        conversation_id=42, details={"from": "pending", "to": "confirmed"},
    )
    event.refresh_from_db()
    assert event.actor_kind == "user" and event.actor_user == agent_a and event.actor_label == "agent-a"
    assert (event.entity_type, event.entity_id) == ("auth.user", str(agent_a.pk))
    assert (event.platform, event.agent_id, event.conversation_id) == ("spareroom", 7, 42)


def test_it_records_workers_as_actors():
    event = audit.record("platform_dispatch_sent", actor_kind="worker", actor_label="worker-3")
    assert event.actor_kind == "worker" and event.actor_user is None and event.actor_label == "worker-3"


def test_it_redacts_message_text_and_secrets_from_details():
    event = audit.record("x_happened", details={"body": "my ssn is 123-45-6789", "api_key": "sk-1", "reason_code": "ok", "nested": {"password": "p"}})
    assert event.details["body"] == "[redacted]"
    assert event.details["api_key"] == "[redacted]"
    assert event.details["nested"]["password"] == "[redacted]"
    assert event.details["reason_code"] == "ok"


def test_it_refuses_non_snake_case_actions():
    with pytest.raises(ValueError):
        audit.record("Not An Action")


def test_it_refuses_to_change_or_delete_events_in_code():
    event = audit.record("something_happened")
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")


def test_it_refuses_to_change_events_even_in_raw_sql():
    event = audit.record("something_happened")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE leasebot_auditevent SET action = 'rewritten' WHERE id = %s", [event.pk])


@pytest.mark.web
def test_it_lists_events_read_only_in_admin(client_admin):
    event = audit.record("something_happened", platform="roomies")
    listing = client_admin.get(reverse("admin:leasebot_auditevent_changelist") + "?platform=roomies")
    assert listing.status_code == 200 and b"something_happened" in listing.content
    assert client_admin.get(reverse("admin:leasebot_auditevent_add")).status_code == 403
    detail = client_admin.get(reverse("admin:leasebot_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200 and b'name="_save"' not in detail.content
    assert client_admin.post(reverse("admin:leasebot_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


class Boom(Exception):
    pass


def test_a_batch_writes_its_events_in_one_insert_in_order(django_assert_num_queries):
    with transaction.atomic():
        with django_assert_num_queries(1), audit.batched():
            first = audit.record("first_happened", conversation_id=1)
            audit.record("second_happened", conversation_id=1, details={"reason_code": "x"})
            assert first.pk is None  # written when the block ends
    actions = list(AuditEvent.objects.filter(conversation_id=1).order_by("id").values_list("action", flat=True))
    assert actions == ["first_happened", "second_happened"]


def test_a_batched_event_is_stored_field_for_field_as_an_unbatched_one(admin_user):
    kwargs = dict(actor=admin_user, entity_type="conversations.message", entity_id=7, platform="renthop",
                  agent_id=5, conversation_id=6, details={"reason_code": "x", "slots": [1, 2], "ok": True})
    alone = audit.record("alone_happened", **kwargs)
    with transaction.atomic(), audit.batched():
        batched = audit.record("batched_happened", **kwargs)
    assert batched.pk is not None and not batched._state.adding

    def stored(pk):
        row = AuditEvent.objects.values().get(pk=pk)
        return {k: v for k, v in row.items() if k not in ("id", "action", "occurred_at")}

    assert stored(batched.pk) == stored(alone.pk)
    assert stored(batched.pk)["details"] == {"reason_code": "x", "slots": [1, 2], "ok": True}
    assert AuditEvent.objects.get(pk=batched.pk).occurred_at == batched.occurred_at


def test_a_batch_drops_events_recorded_inside_a_savepoint_that_rolled_back():
    with transaction.atomic(), audit.batched():
        audit.record("kept_happened", conversation_id=2)
        with pytest.raises(Boom), transaction.atomic():
            audit.record("undone_happened", conversation_id=2)
            raise Boom
        with transaction.atomic():
            audit.record("released_happened", conversation_id=2)
    actions = set(AuditEvent.objects.filter(conversation_id=2).values_list("action", flat=True))
    assert actions == {"kept_happened", "released_happened"}


def test_a_batch_left_by_an_exception_writes_nothing():
    with pytest.raises(Boom), transaction.atomic(), audit.batched():
        audit.record("never_happened", conversation_id=3)
        raise Boom
    assert not AuditEvent.objects.filter(conversation_id=3).exists()


def test_nested_batches_share_the_outer_buffer(django_assert_num_queries):
    with transaction.atomic(), django_assert_num_queries(1), audit.batched():
        audit.record("outer_happened", conversation_id=4)
        with audit.batched():
            audit.record("inner_happened", conversation_id=4)
    assert AuditEvent.objects.filter(conversation_id=4).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_batch_outside_a_transaction_is_refused():
    with pytest.raises(transaction.TransactionManagementError), audit.batched():
        pass
