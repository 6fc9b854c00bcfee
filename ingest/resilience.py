"""Keeping a browser bot alive on sites that do not want bots, persisted so every worker agrees.

- session_expired / captcha_required / a bad credential reference → the account "needs login": ingest and
  dispatch pause for it and admins are alerted (with a cooldown). A fresh session file clears it.
- access_blocked → the account is disabled with the reason; an admin clears it.
- rate_limited / bot_challenge / page_changed and other retryable failures → a circuit breaker per
  (account, action) opens after N consecutive failures and half-opens after a cooldown.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction

from ingest.models import AccountState, CircuitBreaker
from leasebot import audit, clock

logger = logging.getLogger(__name__)

NEEDS_LOGIN_CODES = frozenset({
    "session_expired", "captcha_required", "credential_missing", "credential_literal", "credential_invalid",
})
DISABLE_CODES = frozenset({"access_blocked"})
# Failures that say nothing about the platform's health (a deleted thread, our own refusal).
NEUTRAL_CODES = frozenset({"thread_not_found", "profile_locked"})
ACTIONS = CircuitBreaker.Action


def breaker_threshold():
    return int(getattr(settings, "LEASEBOT_RPA_BREAKER_THRESHOLD", 3))


def breaker_cooldown():
    return dt.timedelta(seconds=int(getattr(settings, "LEASEBOT_RPA_BREAKER_COOLDOWN_SECONDS", 300)))


def state_for(account):
    state, _ = AccountState.objects.get_or_create(account=account)
    return state


def _locked_state(account):
    AccountState.objects.get_or_create(account=account)
    return AccountState.objects.select_for_update().get(account=account)


def _locked_breaker(account, action):
    CircuitBreaker.objects.get_or_create(account=account, action=action)
    return CircuitBreaker.objects.select_for_update().get(account=account, action=action)


def _audit(event, account, **details):
    audit.record(event, actor_kind="worker", entity=account, platform=account.platform, details=details)


# --- circuit breaker ------------------------------------------------------------------------------

def breaker_wait(account, action):
    """None when the action may run now; else how long until the breaker lets a trial through.

    An open breaker past its cooldown becomes half-open and lets exactly one caller try (the trial);
    others wait until the trial reports back (or for a cooldown, if the trial's worker died).
    """
    now = clock.now()
    with transaction.atomic():
        breaker = _locked_breaker(account, action)
        if breaker.state == CircuitBreaker.State.CLOSED:
            return None
        cooldown = breaker_cooldown()
        if breaker.state == CircuitBreaker.State.OPEN:
            ready_at = breaker.opened_at + cooldown
            if now < ready_at:
                return ready_at - now
        elif breaker.trial_started_at and now < breaker.trial_started_at + cooldown:
            return breaker.trial_started_at + cooldown - now
        breaker.state, breaker.trial_started_at = CircuitBreaker.State.HALF_OPEN, now
        breaker.save(update_fields=["state", "trial_started_at", "updated_at"])
        return None


def record_success(account, action):
    now = clock.now()
    with transaction.atomic():
        breaker = _locked_breaker(account, action)
        was_open = breaker.state != CircuitBreaker.State.CLOSED
        if was_open or breaker.consecutive_failures:
            breaker.state, breaker.consecutive_failures = CircuitBreaker.State.CLOSED, 0
            breaker.opened_at = breaker.trial_started_at = None
            breaker.save(update_fields=["state", "consecutive_failures", "opened_at", "trial_started_at", "updated_at"])
        if was_open:
            _audit("rpa_circuit_closed", account, breaker_action=action)
        field = {ACTIONS.INGEST: "last_ingest_ok_at", ACTIONS.SEND: "last_send_ok_at",
                 ACTIONS.LISTINGS: "last_listing_sync_at"}[action]
        AccountState.objects.get_or_create(account=account)
        AccountState.objects.filter(account=account).update(**{field: now})


def _record_breaker_failure(account, action, code):
    now = clock.now()
    with transaction.atomic():
        breaker = _locked_breaker(account, action)
        breaker.consecutive_failures += 1
        breaker.last_error_code = code
        opens = breaker.state == CircuitBreaker.State.HALF_OPEN or (
            breaker.state == CircuitBreaker.State.CLOSED and breaker.consecutive_failures >= breaker_threshold()
        )
        if opens:
            breaker.state, breaker.opened_at, breaker.trial_started_at = CircuitBreaker.State.OPEN, now, None
        breaker.save()
        if opens:
            _audit("rpa_circuit_opened", account, breaker_action=action, error_code=code,
                   failure_count=breaker.consecutive_failures)
    return opens


# --- account pause states -------------------------------------------------------------------------

def flag_needs_login(account, code, reason):
    now = clock.now()
    with transaction.atomic():
        state = _locked_state(account)
        first = not state.needs_login
        state.needs_login, state.needs_login_reason, state.needs_login_at = True, f"{code}: {reason}"[:300], now
        state.save(update_fields=["needs_login", "needs_login_reason", "needs_login_at", "updated_at"])
        if first:
            _audit("rpa_needs_login", account, error_code=code)
    from ingest import alerts

    alerts.alert(account, code, f"{account} needs a person to log in again ({code}). Run `manage.py rpa_login "
                                f"{account.platform} --account {account.pk}` or refresh its session file.")


def disable(account, code, reason):
    now = clock.now()
    with transaction.atomic():
        state = _locked_state(account)
        first = not state.disabled_reason
        state.disabled_reason, state.disabled_at = f"{code}: {reason}"[:300], now
        state.save(update_fields=["disabled_reason", "disabled_at", "updated_at"])
        if first:
            _audit("rpa_account_disabled", account, error_code=code)
    from ingest import alerts

    alerts.alert(account, code, f"{account} was blocked by the platform ({code}); lease-bot stopped contacting it. "
                                "Clear the disabled reason in the admin once it is safe to try again.")


def clear_needs_login(account, *, by="worker", cause="session_refreshed"):
    with transaction.atomic():
        state = _locked_state(account)
        if not state.needs_login:
            return False
        state.needs_login, state.needs_login_reason, state.needs_login_at = False, "", None
        state.save(update_fields=["needs_login", "needs_login_reason", "needs_login_at", "updated_at"])
        audit.record("rpa_needs_login_cleared", actor_kind="worker" if by == "worker" else None,
                     actor=None if by == "worker" else by, entity=account, platform=account.platform,
                     details={"cause_code": cause})
    return True


def clear_disabled(account, *, user):
    with transaction.atomic():
        state = _locked_state(account)
        if not state.disabled_reason:
            return False
        state.disabled_reason, state.disabled_at = "", None
        state.save(update_fields=["disabled_reason", "disabled_at", "updated_at"])
        audit.record("rpa_account_enabled", actor=user, entity=account, platform=account.platform)
    return True


def resume_if_session_refreshed(account, state=None):
    """A person ran rpa_login (or the sandbox wrote a new session) after we flagged the account: resume."""
    from ingest.accounts import session_file_mtime

    state = state or state_for(account)
    if not state.needs_login or state.needs_login_at is None:
        return False
    mtime = session_file_mtime(account)
    if mtime is None or mtime <= state.needs_login_at.timestamp():
        return False
    return clear_needs_login(account, cause="session_file_newer")


# --- one entry point for every failure ---------------------------------------------------------------

def record_failure(account, action, error):
    """Persist what a typed platform error means for the account. Returns the error code."""
    code = getattr(error, "code", "internal_error")
    now = clock.now()
    AccountState.objects.get_or_create(account=account)
    AccountState.objects.filter(account=account).update(last_error_code=code[:40], last_error_at=now)
    if code in NEEDS_LOGIN_CODES:
        flag_needs_login(account, code, str(error)[:200])
    elif code in DISABLE_CODES:
        disable(account, code, str(error)[:200])
    elif code not in NEUTRAL_CODES:
        _record_breaker_failure(account, action, code)
    logger.warning("%s #%s %s failed: %s", account.platform, account.pk, action, code)
    return code
