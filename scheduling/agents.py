"""Agent profiles: the scheduling side of an agent user."""

from django.db import transaction

from scheduling.models import AgentProfile, validate_timezone


def create_agent_profile(user, *, display_name, timezone, phone=""):
    """Idempotent per user: accepting an invitation twice (or re-inviting) never makes two profiles."""
    timezone = timezone or "America/New_York"
    validate_timezone(timezone)
    with transaction.atomic():
        profile, created = AgentProfile.objects.select_for_update().get_or_create(
            user=user, defaults={"display_name": display_name, "timezone": timezone, "phone": phone}
        )
        if not created:
            profile.display_name, profile.timezone, profile.active = display_name, timezone, True
            if phone:
                profile.phone = phone
            profile.save(update_fields=["display_name", "timezone", "phone", "active"])
    return profile
