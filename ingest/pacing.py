"""Per-account pacing of sends, persisted: a minimum interval plus jitter between sends, and a daily cap.

A worker reserves the next send slot under a row lock, so several workers on one account queue up one
interval apart instead of bursting. The daily cap counts sends per day in the platform's time zone.
"""

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from ingest.models import AccountState
from ingest.platforms import get_spec
from leasebot import clock


@dataclass(frozen=True)
class Slot:
    wait: dt.timedelta  # how long until this send may start (zero: now)
    capped_until: dt.datetime | None = None  # the daily cap is reached: nothing before this instant
    reserved: bool = True  # False: the slot is further away than the caller wants to wait; come back later


def _setting(state, field, name, default):
    value = getattr(state, field)
    return int(getattr(settings, name, default)) if value is None else int(value)


def limits(state):
    return (
        _setting(state, "min_interval_seconds", "LEASEBOT_RPA_MIN_INTERVAL_SECONDS", 20),
        _setting(state, "jitter_seconds", "LEASEBOT_RPA_JITTER_SECONDS", 10),
        _setting(state, "daily_send_cap", "LEASEBOT_RPA_DAILY_SEND_CAP", 150),
    )


def local_date(account, at):
    return at.astimezone(ZoneInfo(get_spec(account.platform).timezone)).date()


def _next_local_midnight(account, at):
    zone = ZoneInfo(get_spec(account.platform).timezone)
    local = at.astimezone(zone)
    return dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0, 5), tzinfo=zone)


def reserve_send(account, *, max_wait, rng=random):
    """Reserve the next send slot of this account if it starts within `max_wait` (counting it against
    today's cap). Returns a Slot: `capped_until` set or `reserved` False means nothing was reserved;
    otherwise the caller starts its send after `wait` (an unused reservation only slows the next one)."""
    now = clock.now()
    with transaction.atomic():
        AccountState.objects.get_or_create(account=account)
        state = AccountState.objects.select_for_update().get(account=account)
        interval, jitter, cap = limits(state)
        today = local_date(account, now)
        if state.sends_date != today:
            state.sends_date, state.sends_today = today, 0
        if state.sends_today >= cap:
            state.save(update_fields=["sends_date", "sends_today", "updated_at"])
            return Slot(dt.timedelta(0), capped_until=_next_local_midnight(account, now))
        start = max(now, state.next_action_at or now)
        if start - now > max_wait:
            state.save(update_fields=["sends_date", "sends_today", "updated_at"])
            return Slot(start - now, reserved=False)
        state.next_action_at = start + dt.timedelta(seconds=interval + (rng.uniform(0, jitter) if jitter else 0))
        state.last_action_at = start
        state.sends_today += 1
        state.save(update_fields=["sends_date", "sends_today", "next_action_at", "last_action_at", "updated_at"])
    return Slot(start - now)


def release_send(account):
    """A reserved send that did not happen (the claim was lost, a check refused it): give the count back."""
    with transaction.atomic():
        state = AccountState.objects.select_for_update().filter(account=account).first()
        if state is not None and state.sends_today:
            state.sends_today -= 1
            state.save(update_fields=["sends_today", "updated_at"])
