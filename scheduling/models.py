import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


def validate_timezone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"{value!r} is not a known IANA time zone (for example America/New_York).") from None


class AgentProfile(models.Model):
    """One per agent user, created when the agent accepts an invitation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile")
    display_name = models.CharField(max_length=150)
    phone = models.CharField(max_length=40, blank=True)
    timezone = models.CharField(max_length=64, default="America/New_York", validators=[validate_timezone])
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name
