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
