from django.db import transaction

from conversations.models import Conversation
from leasebot import audit


@transaction.atomic
def assign_agent(conversation, agent, *, user):
    conv = Conversation.objects.select_for_update(of=("self",)).select_related("account").get(pk=conversation.pk)
    previous = conv.assigned_agent_id
    if previous == agent.pk:
        return conv
    conv.assigned_agent = agent
    fields = ["assigned_agent", "updated_at"]
    if conv.follow_up_owner_id is not None:
        # The follow-up belongs to whoever owns the conversation now.
        conv.follow_up_owner = agent
        fields.append("follow_up_owner")
    conv.save(update_fields=fields)
    audit.record(
        "conversation_assigned", actor=user, entity=conv, platform=conv.account.platform, agent_id=agent.pk,
        conversation_id=conv.pk, details={"from_agent_id": previous, "to_agent_id": agent.pk},
    )
    return conv
