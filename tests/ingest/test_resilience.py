"""Persisted resilience through the mock runtime: needs-login with alerts, blocks, circuit breakers,
credential references, and health rows."""

import datetime as dt
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from conversations.models import Message, PlatformAccount
from ingest import accounts, resilience
from ingest.dispatch import dispatch_message
from ingest.health import health_rows
from ingest.ingest_run import run_ingest
from ingest.jobs import schedule_ingest
from ingest.models import AccountState, CircuitBreaker, IngestRun
from leasebot import clock
from leasebot.models import AuditEvent
from tests.conversations.factories import make_conversation
from tests.ingest.ingest_fixtures import *  # noqa: F403
from tests.ingest.ingest_fixtures import platform_of, queued

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_redis")]




def state(account):
    return AccountState.objects.get(account=account)


def test_an_expired_session_flags_needs_login_alerts_admins_once_and_pauses_ingest(
    mock_runtime, make_platform_account, admin_user, frozen_now
):
    account = make_platform_account("spareroom")
    platform = platform_of(mock_runtime, account)
    platform.add_lead_message("Hello")
    platform.expire_sessions()

    failed = run_ingest(account.pk)
    assert failed.error_code == "session_expired"
    assert state(account).needs_login and state(account).needs_login_reason.startswith("session_expired")
    assert len(mail.outbox) == 1 and admin_user.email in mail.outbox[0].to
    assert "rpa_login" in mail.outbox[0].body

    requests = platform.requests
    assert run_ingest(account.pk).skipped == "needs_login"
    assert platform.requests == requests  # paused: never contacted
    resilience.flag_needs_login(account, "session_expired", "again")
    assert len(mail.outbox) == 1  # within the cooldown

    clock.set_frozen(frozen_now + dt.timedelta(hours=2))
    resilience.flag_needs_login(account, "session_expired", "still")
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="rpa_alert_sent").count() == 2
    assert IngestRun.objects.get(account=account).error_code == "session_expired"


def test_a_captcha_flags_needs_login_and_a_queued_message_waits_without_losing_attempts(
    mock_runtime, make_platform_account
):
    account = make_platform_account("roomies")
    platform = platform_of(mock_runtime, account)
    thread_id, _ = platform.add_lead_message("Hi")
    msg = queued(make_conversation(account, external_thread_id=thread_id))
    platform.add_fault("captcha", times=1)

    first = dispatch_message(msg.pk, "w")
    msg.refresh_from_db()
    assert (first.outcome, first.code, msg.status) == ("retry", "captcha_required", "queued")
    assert state(account).needs_login

    Message.objects.filter(pk=msg.pk).update(next_attempt_at=clock.now())
    waiting = dispatch_message(msg.pk, "w")
    msg.refresh_from_db()
    assert (waiting.outcome, waiting.code, msg.attempts) == ("deferred", "account_needs_login", 1)

    mock_runtime.login(accounts.build_config(account))
    resilience.clear_needs_login(account, by=None, cause="admin")
    assert dispatch_message(msg.pk, "w").outcome == "sent"
    assert platform.send_count() == 1


def test_a_newer_session_file_resumes_an_account_that_needed_login(
    mock_runtime, make_platform_account, session_file, frozen_now
):
    import os

    account = make_platform_account("leasebreak")
    resilience.flag_needs_login(account, "session_expired", "expired")
    os.utime(session_file, (frozen_now.timestamp() - 60,) * 2)
    assert run_ingest(account.pk).skipped == "needs_login"

    os.utime(session_file, (frozen_now.timestamp() + 60,) * 2)  # rpa_login wrote a fresh session
    assert run_ingest(account.pk).ok
    assert not state(account).needs_login
    assert AuditEvent.objects.filter(action="rpa_needs_login_cleared").exists()


def test_a_block_disables_the_account_with_a_reason_until_an_admin_clears_it(
    mock_runtime, make_platform_account, admin_user
):
    account = make_platform_account("renthop")
    platform = platform_of(mock_runtime, account)
    platform.add_fault("blocked", times=1)

    assert run_ingest(account.pk).error_code == "access_blocked"
    assert state(account).disabled_reason.startswith("access_blocked")
    assert run_ingest(account.pk).skipped == "disabled"
    assert schedule_ingest() == 0
    row = next(r for r in health_rows() if r["account_id"] == account.pk)
    assert row["disabled_reason"].startswith("access_blocked") and row["errors_24h"] == 1

    resilience.clear_disabled(account, user=admin_user)
    assert run_ingest(account.pk).ok


def test_the_breaker_opens_after_consecutive_failures_half_opens_after_the_cooldown_and_closes(
    mock_runtime, make_platform_account, settings, frozen_now
):
    settings.LEASEBOT_RPA_BREAKER_THRESHOLD = 3
    settings.LEASEBOT_RPA_BREAKER_COOLDOWN_SECONDS = 300
    account = make_platform_account("furnishedfinder")
    platform = platform_of(mock_runtime, account)
    platform.add_lead_message("Is it free in March?")
    platform.add_fault("challenge", times=4)

    codes = [run_ingest(account.pk).error_code for _ in range(3)]
    breaker = CircuitBreaker.objects.get(account=account, action="ingest")
    assert codes == ["bot_challenge"] * 3 and breaker.state == "open"
    assert AuditEvent.objects.filter(action="rpa_circuit_opened").count() == 1
    requests = platform.requests
    assert run_ingest(account.pk).skipped == "circuit_open"
    assert platform.requests == requests

    clock.set_frozen(frozen_now + dt.timedelta(seconds=301))
    assert run_ingest(account.pk).error_code == "bot_challenge"  # the half-open trial fails: open again
    breaker.refresh_from_db()
    assert breaker.state == "open" and breaker.opened_at == frozen_now + dt.timedelta(seconds=301)

    clock.set_frozen(frozen_now + dt.timedelta(seconds=700))
    recovered = run_ingest(account.pk)
    breaker.refresh_from_db()
    assert recovered.ok and recovered.counts["messages_new"] == 1
    assert (breaker.state, breaker.consecutive_failures) == ("closed", 0)
    assert AuditEvent.objects.filter(action="rpa_circuit_closed").count() == 1


def test_a_platform_failing_n_times_then_recovering_loses_no_message(
    mock_runtime, make_platform_account, settings, frozen_now
):
    settings.LEASEBOT_RPA_BREAKER_THRESHOLD = 2
    settings.LEASEBOT_RPA_BREAKER_COOLDOWN_SECONDS = 120
    settings.LEASEBOT_DISPATCH_MAX_ATTEMPTS = 5
    account = make_platform_account("spareroom")
    platform = platform_of(mock_runtime, account)
    thread_id, _ = platform.add_lead_message("Hi")
    conv = make_conversation(account, external_thread_id=thread_id)
    messages = [queued(conv, f"Reply number {n}.") for n in range(3)]
    platform.add_fault("status", status=429, times=2, applies_to="send")

    outcomes = []
    for step in range(12):
        clock.set_frozen(frozen_now + dt.timedelta(minutes=10 * step))
        for msg in messages:
            outcomes.append(dispatch_message(msg.pk, "w").outcome)
        if all(m.status == "sent" for m in Message.objects.filter(pk__in=[m.pk for m in messages])):
            break

    assert {m.status for m in Message.objects.filter(pk__in=[m.pk for m in messages])} == {"sent"}
    assert platform.send_count() == 3
    assert "deferred" in outcomes and outcomes.count("retry") == 2
    assert AuditEvent.objects.filter(action="rpa_circuit_opened").count() == 1
    assert AuditEvent.objects.filter(action="rpa_circuit_closed").count() == 1
    assert CircuitBreaker.objects.get(account=account, action="send").state == "closed"


@pytest.mark.parametrize(
    ("ref", "env", "code", "says"),
    [
        ("", None, "credential_missing", "no session reference"),
        ("env:LEASEBOT_TEST_SESSION", None, "credential_missing", "LEASEBOT_TEST_SESSION is not set"),
        ("file:/nonexistent/session.json", None, "credential_missing", "no saved session at /nonexistent/session.json"),
        ("hunter2-super-secret-cookie", None, "credential_literal", "not a reference"),
        ("env:LEASEBOT_TEST_SESSION", "not-json-and-not-a-path-s3cr3t", "credential_invalid", "an absolute path or to storage-state JSON"),
    ],
    ids=["none", "env_unset", "file_missing", "literal", "env_garbage"],
)
def test_a_bad_credential_reference_is_a_clear_per_account_error_and_nothing_secret_is_logged(
    mock_runtime, make_platform_account, monkeypatch, caplog, ref, env, code, says
):
    if env is None:
        monkeypatch.delenv("LEASEBOT_TEST_SESSION", raising=False)
    else:
        monkeypatch.setenv("LEASEBOT_TEST_SESSION", env)
    account = make_platform_account("roomies")
    other = make_platform_account("roomies")
    PlatformAccount.objects.filter(pk=account.pk).update(storage_state_ref=ref)  # bypasses the form's validator
    caplog.set_level(logging.DEBUG)

    result = run_ingest(account.pk)

    run = IngestRun.objects.get(account=account)
    assert result.error_code == code == run.error_code
    assert says in run.error_detail and f"#{account.pk}" in run.error_detail
    assert state(account).needs_login
    assert run_ingest(other.pk).ok  # the other account is unaffected
    everything = caplog.text + run.error_detail + state(account).needs_login_reason + "".join(
        m.body for m in mail.outbox) + json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))
    for secret in ("hunter2", "s3cr3t"):
        assert secret not in everything


def test_an_env_reference_may_hold_the_storage_state_itself(make_platform_account, monkeypatch, settings, tmp_path):
    settings.LEASEBOT_RPA_PROFILES_DIR = tmp_path / "profiles"
    monkeypatch.setenv("LEASEBOT_TEST_SESSION", json.dumps({"cookies": [], "origins": []}))
    account = make_platform_account("spareroom", storage_state_ref="env:LEASEBOT_TEST_SESSION")
    config = accounts.build_config(account)
    assert config.storage_state_path.read_text() == json.dumps({"cookies": [], "origins": []})
    assert config.storage_state_path.stat().st_mode & 0o777 == 0o600


class _Hook(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802
        _Hook.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_optional_webhook_gets_the_alert(mock_runtime, make_platform_account, settings):
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.LEASEBOT_ALERT_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/hook"
    try:
        account = make_platform_account("renthop")
        platform_of(mock_runtime, account).expire_sessions()
        run_ingest(account.pk)
    finally:
        server.shutdown()
    assert _Hook.received[-1]["account_id"] == account.pk and _Hook.received[-1]["code"] == "session_expired"
    event = AuditEvent.objects.get(action="rpa_alert_sent")
    assert "webhook" in event.details["channels"]


def test_health_rows_report_every_account_from_real_runs(mock_runtime, make_platform_account):
    ok = make_platform_account("spareroom")
    broken = make_platform_account("roomies", active=False)
    platform_of(mock_runtime, ok).add_lead_message("Hi")
    run_ingest(ok.pk)

    rows = {row["account_id"]: row for row in health_rows()}
    assert set(rows[ok.pk]) >= {"platform", "account", "active", "needs_login", "disabled_reason",
                                "last_ingest_ok_at", "last_send_ok_at", "errors_24h", "circuit"}
    assert rows[ok.pk]["last_ingest_ok_at"] is not None and rows[ok.pk]["errors_24h"] == 0
    assert rows[broken.pk]["active"] is False and rows[broken.pk]["last_ingest_ok_at"] is None
