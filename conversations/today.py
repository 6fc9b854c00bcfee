"""The agent's Today page: what needs them now."""

import datetime as dt
import zoneinfo

from conversations.access import visible_conversations
from conversations.models import FollowUpStatus
from scheduling.models import Showing


def today_summary(user, now):
    profile = getattr(user, "agent_profile", None)
    zone = zoneinfo.ZoneInfo(profile.timezone if profile else "UTC")
    local_day = now.astimezone(zone).date()
    start = dt.datetime.combine(local_day, dt.time.min, tzinfo=zone)
    end = start + dt.timedelta(days=1)
    conversations = visible_conversations(user)
    showings = (
        Showing.objects.filter(agent=profile, starts_at__gte=start, starts_at__lt=end)
        .select_related("unit")
        .order_by("starts_at")
        if profile
        else Showing.objects.none()
    )
    return {
        "day": local_day,
        "needs_human": conversations.filter(human_required=True).count(),
        "showings": list(showings),
        "follow_ups": list(
            conversations.filter(follow_up_status=FollowUpStatus.PENDING, follow_up_due_at__lt=end)
            .select_related("account")
            .order_by("follow_up_due_at")[:50]
        ),
    }
