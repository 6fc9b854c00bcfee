"""Alerts to people when an account needs them: email to the admins, and an optional webhook.

One alert per (account, code) per LEASEBOT_ALERT_COOLDOWN_SECONDS (default 1 h), persisted, so a
session that keeps failing every minute does not flood anyone. Best effort: a mail or webhook outage
never breaks ingest or dispatch.
"""

import datetime as dt
import json
import logging
from urllib.request import Request, urlopen

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from ingest.models import AccountState
from leasebot import audit, clock

logger = logging.getLogger(__name__)


def cooldown():
    return dt.timedelta(seconds=int(getattr(settings, "LEASEBOT_ALERT_COOLDOWN_SECONDS", 3600)))


def admin_emails():
    users = get_user_model().objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(groups__name="admin"))
    return sorted({email for email in users.values_list("email", flat=True) if email})


def _claim(account, code):
    """True when no alert for this code went out within the cooldown (and records this one)."""
    now = clock.now()
    with transaction.atomic():
        AccountState.objects.get_or_create(account=account)
        state = AccountState.objects.select_for_update().get(account=account)
        if state.last_alert_code == code and state.last_alert_at and now - state.last_alert_at < cooldown():
            return False
        state.last_alert_at, state.last_alert_code = now, code
        state.save(update_fields=["last_alert_at", "last_alert_code", "updated_at"])
    return True


def alert(account, code, text):
    if not _claim(account, code):
        return False
    subject = f"[lease-bot] {account.get_platform_display()} account {account.name}: {code}"
    channels = []
    recipients = admin_emails()
    if recipients:
        try:
            send_mail(subject, text, None, recipients)
            channels.append("email")
        except Exception as error:  # noqa: BLE001  (mail outage: the admin still sees it in health)
            logger.warning("alert email failed for account %s: %s", account.pk, type(error).__name__)
    url = getattr(settings, "LEASEBOT_ALERT_WEBHOOK_URL", "")
    if url:
        payload = {"account_id": account.pk, "platform": account.platform, "account": account.name,
                   "code": code, "text": text}
        try:
            request = Request(url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"},
                              method="POST")
            with urlopen(request, timeout=5):  # noqa: S310  (an admin-configured URL)
                pass
            channels.append("webhook")
        except Exception as error:  # noqa: BLE001
            logger.warning("alert webhook failed for account %s: %s", account.pk, type(error).__name__)
    audit.record("rpa_alert_sent", actor_kind="worker", entity=account, platform=account.platform,
                 details={"alert_code": code, "channels": channels, "recipient_count": len(recipients)})
    return True
