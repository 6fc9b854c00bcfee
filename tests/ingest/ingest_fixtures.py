"""Fixtures for the phase-2 ingest tests (import with `from tests.ingest.ingest_fixtures import *`)."""

import itertools
import json

import pytest

from conversations.models import PlatformAccount
from ingest import accounts
from ingest import runtime as runtime_module
from ingest.models import AccountState

_names = itertools.count(1)

__all__ = ["make_platform_account", "mock_runtime", "platform_of", "session_file"]


@pytest.fixture
def session_file(tmp_path):
    path = tmp_path / "session.json"
    path.write_text(json.dumps({"cookies": [], "origins": []}))
    return path


@pytest.fixture
def mock_runtime(settings):
    """The mock runtime, asked for explicitly, fresh for the test."""
    settings.LEASEBOT_RPA_RUNTIME = "mock"
    settings.LEASEBOT_ALLOW_MOCK_RUNTIME = True
    runtime_module._process_runtime.update(pid=None, runtime=None)
    runtime = runtime_module.get_runtime()
    yield runtime
    runtime_module._process_runtime.update(pid=None, runtime=None)


@pytest.fixture
def make_platform_account(db, session_file):
    def make(platform="spareroom", *, send_mode="auto_send", pacing=True, **fields):
        fields.setdefault("storage_state_ref", f"file:{session_file}")
        fields.setdefault("base_url", f"http://platform.test/{platform}")
        account = PlatformAccount.objects.create(
            platform=platform, name=f"{platform}-{next(_names)}", send_mode=send_mode, **fields
        )
        if pacing:  # tests send back to back unless they test pacing itself
            AccountState.objects.create(account=account, min_interval_seconds=0, jitter_seconds=0, daily_send_cap=10_000)
        return account

    return make


def platform_of(runtime, account):
    """The in-memory platform (sandbox PlatformState API) behind an account in the mock runtime."""
    return runtime.state(accounts.build_config(account))
