from axes.signals import user_locked_out
from django.dispatch import receiver

from leasebot import audit


@receiver(user_locked_out)
def audit_login_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    # The username is what someone typed, not necessarily a real account; keep it short and no more.
    audit.record(
        "login_locked_out",
        details={"username_attempted": (username or "")[:150], "ip_address": ip_address or ""},
    )
