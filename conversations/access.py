"""Who may see which conversation. Every view loads conversations and messages through here."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from conversations.models import Conversation, Message
from leasebot import roles
from scheduling.models import UnitAssignment


def visible_conversations(user):
    qs = Conversation.objects.all()
    if roles.is_admin(user):
        return qs
    profile = getattr(user, "agent_profile", None)
    if profile is None or not roles.is_agent(user):
        return qs.none()
    # Their own, plus unassigned threads on units where they hold an active assignment.
    active_unit = UnitAssignment.objects.filter(
        unit_id=OuterRef("unit_id"), agent=profile, mode=UnitAssignment.Mode.ACTIVE
    )
    return qs.filter(Q(assigned_agent=profile) | Q(assigned_agent__isnull=True) & Exists(active_unit))


def conversation_for(user, pk, *, for_update=False):
    qs = visible_conversations(user).select_related(
        "account", "listing", "unit", "assigned_agent", "current_showing", "current_showing__agent"
    )
    try:
        return qs.get(pk=pk)
    except (Conversation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such conversation.") from None


def message_for(user, pk):
    try:
        message = Message.objects.select_related("conversation").get(pk=pk)
    except (Message.DoesNotExist, ValueError, TypeError):
        raise Http404("No such message.") from None
    conversation_for(user, message.conversation_id)  # 404 unless its conversation is visible
    return message
