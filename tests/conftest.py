"""Shared fixtures: personas (admin, agent A, agent B, anonymous), a frozen clock, and the service guard."""

import os

import pytest

from tests import factories

# Tests must only ever touch the throwaway services that scripts/test starts.
if os.environ.get("LEASEBOT_TEST_SERVICES") != "1":
    pytest.exit(
        "Run the tests with scripts/test (it starts throwaway Postgres and Redis); "
        "plain pytest could touch a real database.",
        returncode=4,
    )


@pytest.fixture
def admin_user(db):
    return factories.make_admin(username="admin", email="admin@example.test")


@pytest.fixture
def agent_a(db):
    return factories.make_agent(username="agent-a", email="agent-a@example.test", name="Avery Agent", timezone="America/New_York")


@pytest.fixture
def agent_b(db):
    return factories.make_agent(username="agent-b", email="agent-b@example.test", name="Blake Agent", timezone="America/Chicago")


def _client_for(client_class, user):
    client = client_class()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def client_anon(client):
    return client


@pytest.fixture
def client_admin(admin_user, client_class):
    return _client_for(client_class, admin_user)


@pytest.fixture
def client_agent_a(agent_a, client_class):
    return _client_for(client_class, agent_a)


@pytest.fixture
def client_agent_b(agent_b, client_class):
    return _client_for(client_class, agent_b)


@pytest.fixture
def client_class():
    from django.test import Client

    return Client


@pytest.fixture
def frozen_now():
    """A fixed instant (Wednesday 2027-01-06 15:00 UTC, 10:00 New York); tests may re-freeze."""
    from leasebot import clock

    at = clock.utc(2027, 1, 6, 15, 0)
    clock.set_frozen(at)
    yield at
    clock.set_frozen(None)
