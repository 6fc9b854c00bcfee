"""Inbox queries: queues, filters, search and a keyset cursor (the query count never grows with the page)."""

import base64
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from conversations.access import visible_conversations
from conversations.models import FollowUpStatus, Message, WorkflowState
from leasebot import clock

PAGE_SIZE = 25
QUEUES = (
    ("needs_human", "Needs human"),
    ("drafts", "Drafts to review"),
    ("follow_ups", "Follow-ups due"),
    ("open", "All open"),
)


def _has_draft():
    return Exists(Message.objects.filter(conversation=OuterRef("pk"), status=Message.Status.DRAFT))


def queue_filter(queue, now):
    if queue == "needs_human":
        return Q(human_required=True)
    if queue == "drafts":
        return Q(_has_draft())
    if queue == "follow_ups":
        return Q(follow_up_status=FollowUpStatus.PENDING, follow_up_due_at__lte=now + dt.timedelta(hours=24))
    return ~Q(workflow_state=WorkflowState.OUTCOME)


@dataclass
class InboxFilters:
    queue: str = "open"
    platform: str = ""
    state: str = ""
    outcome: str = ""
    unit: int | None = None
    agent: int | None = None
    q: str = ""
    cursor: str = ""


def base_queryset(user, filters):
    qs = visible_conversations(user)
    if filters.platform:
        qs = qs.filter(account__platform=filters.platform)
    if filters.state:
        qs = qs.filter(workflow_state=filters.state)
    if filters.outcome:
        qs = qs.filter(workflow_outcome=filters.outcome)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.agent:
        qs = qs.filter(assigned_agent_id=filters.agent)
    if filters.q:
        text = filters.q.strip()[:100]
        in_body = Exists(Message.objects.filter(conversation=OuterRef("pk"), body__icontains=text))
        qs = qs.filter(Q(lead_name__icontains=text) | Q(thread_label__icontains=text) | in_body)
    return qs


def counts(user, filters):
    """Tab counts in two queries: one conditional aggregate, and drafts through their partial index."""
    now = clock.now()
    qs = base_queryset(user, filters)
    result = qs.aggregate(
        **{key: Count("pk", filter=queue_filter(key, now)) for key, _ in QUEUES if key != "drafts"}
    )
    result["drafts"] = (
        Message.objects.filter(status=Message.Status.DRAFT, conversation__in=qs.values("pk"))
        .values("conversation_id").distinct().count()
    )
    return {key: result[key] for key, _ in QUEUES}


def encode_cursor(conv):
    raw = f"{conv.last_message_at.isoformat()}|{conv.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor):
    try:
        stamp, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        when = dt.datetime.fromisoformat(stamp)
        if when.tzinfo is None:
            raise ValueError("naive")
        return when, int(pk)
    except (ValueError, UnicodeDecodeError, TypeError):
        return None


@dataclass
class Page:
    conversations: list
    next_cursor: str


def page(user, filters):
    now = clock.now()
    qs = base_queryset(user, filters).filter(queue_filter(filters.queue, now))
    position = decode_cursor(filters.cursor) if filters.cursor else None
    if position:
        when, pk = position
        qs = qs.filter(Q(last_message_at__lt=when) | Q(last_message_at=when, pk__lt=pk))
    rows = list(
        qs.select_related("account", "unit", "assigned_agent")
        .annotate(has_draft=_has_draft())
        .order_by("-last_message_at", "-pk")[: PAGE_SIZE + 1]
    )
    next_cursor = encode_cursor(rows[PAGE_SIZE - 1]) if len(rows) > PAGE_SIZE else ""
    return Page(rows[:PAGE_SIZE], next_cursor)
