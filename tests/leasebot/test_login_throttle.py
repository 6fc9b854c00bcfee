import pytest
from django.test import Client
from django.urls import reverse

from leasebot.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = [pytest.mark.web, pytest.mark.django_db]


def _attempt(client, username, password="wrong-password", ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_it_locks_an_account_after_repeated_failures_even_with_the_right_password(agent_a, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "agent-a")
    response = _attempt(client, "agent-a", PASSWORD, ip="10.0.0.99")
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert AuditEvent.objects.filter(action="login_locked_out").exists()


def test_it_locks_an_address_that_sprays_many_accounts(agent_a, agent_b, settings):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, f"nobody{n}", ip="10.9.9.9")
    assert _attempt(client, "agent-b", PASSWORD, ip="10.9.9.9").status_code == 429
    # The same account from elsewhere still signs in: only that address is locked.
    assert _attempt(Client(), "agent-b", PASSWORD, ip="10.1.1.1").status_code == 302


def test_it_stores_no_password_in_the_lockout_audit(agent_a, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _attempt(client, "agent-a", "hunter2-secret")
    for event in AuditEvent.objects.filter(action="login_locked_out"):
        assert "hunter2-secret" not in str(event.details)
