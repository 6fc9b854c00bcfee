"""Fixtures for the phase-2 ingest tests (import with `from tests.ingest.ingest_fixtures import *`)."""

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from conversations.models import PlatformAccount
from ingest import accounts
from ingest import runtime as runtime_module
from ingest.models import AccountState
from ingest.sandbox import SandboxServer

_names = itertools.count(1)

__all__ = ["clean_redis", "make_platform_account", "mock_runtime", "platform_of", "sandbox", "session_file"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean_redis():
    """An empty Redis (every RQ queue) before and after the test."""
    import django_rq

    connection = django_rq.get_queue("default").connection
    connection.flushdb()
    yield connection
    connection.flushdb()


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


def queued(conv, body="Hi! Saturday at 10am works. See you then.", *, sender="agent", **fields):
    """An outbound message as the outbox leaves it: queued, due now."""
    from conversations.models import Message
    from leasebot import clock

    now = clock.now()
    return Message.objects.create(
        conversation=conv, direction="outbound", sender=sender, body=body, status="queued", queued_at=now,
        next_attempt_at=now, sent_at=None, **fields,
    )


def platform_of(runtime, account):
    """The in-memory platform (sandbox PlatformState API) behind an account in the mock runtime."""
    return runtime.state(accounts.build_config(account))


@pytest.fixture
def sandbox():
    with SandboxServer() as server:
        yield server


def worker_env(tmp_path):
    """The environment of a worker subprocess: this test's database (pytest-django's test database)."""
    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env["LEASEBOT_RPA_ARTIFACTS_DIR"] = str(tmp_path / "artifacts")
    env["LEASEBOT_RPA_PROFILES_DIR"] = str(tmp_path / "profiles")
    return env


def start_worker(tmp_path, name, *, queue="dispatch"):
    """A real RQ worker process in burst mode; SimpleWorker keeps one browser for all its jobs."""
    log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115  (closed with the process)
    return subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", queue, "--burst", "--worker-class", "rq.worker.SimpleWorker",
         "--name", name],
        cwd=ROOT, env=worker_env(tmp_path), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def wait_all(processes, tmp_path, timeout):
    deadline = time.monotonic() + timeout
    for proc in processes:
        try:
            proc.wait(max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            logs = "\n".join(p.read_text(errors="replace")[-3000:] for p in tmp_path.glob("*.log"))
            pytest.fail(f"workers did not finish in {timeout}s:\n{logs}")
