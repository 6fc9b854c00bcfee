"""Platform health per account, from persisted state and real run records (ops snapshot and admin)."""

import datetime as dt

from django.db.models import Count, Q

from conversations.models import PlatformAccount
from ingest.models import AccountState, CircuitBreaker, DispatchAttempt, IngestRun
from ingest.pacing import local_date
from leasebot import clock


def health_rows():
    since = clock.now() - dt.timedelta(hours=24)
    accounts = list(PlatformAccount.objects.order_by("platform", "name"))
    states = {s.account_id: s for s in AccountState.objects.all()}
    circuits = {}
    for breaker in CircuitBreaker.objects.all():
        circuits.setdefault(breaker.account_id, {})[breaker.action] = breaker.state
    run_errors = dict(
        IngestRun.objects.filter(started_at__gte=since).exclude(error_code="")
        .values_list("account_id").annotate(n=Count("id")).values_list("account_id", "n")
    )
    send_errors = dict(
        DispatchAttempt.objects.filter(started_at__gte=since)
        .filter(Q(outcome=DispatchAttempt.Outcome.FAILED))
        .values_list("account_id").annotate(n=Count("id")).values_list("account_id", "n")
    )
    rows = []
    for account in accounts:
        state = states.get(account.pk) or AccountState(account=account)
        rows.append({
            "account_id": account.pk,
            "platform": account.platform,
            "account": account.name,
            "active": account.active,
            "needs_login": state.needs_login,
            "needs_login_reason": state.needs_login_reason,
            "disabled_reason": state.disabled_reason,
            "last_ingest_ok_at": state.last_ingest_ok_at,
            "last_send_ok_at": state.last_send_ok_at,
            "errors_24h": run_errors.get(account.pk, 0) + send_errors.get(account.pk, 0),
            "last_error_code": state.last_error_code,
            "circuit": ", ".join(f"{action}: {value}" for action, value in sorted(circuits.get(account.pk, {}).items()))
            or "closed",
            "sends_today": state.sends_today if state.sends_date == local_date(account, clock.now()) else 0,
        })
    return rows
