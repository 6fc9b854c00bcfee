"""The observability snapshot (R8): one dict, shown as the /ops/ page, as JSON and by `manage.py observability`.

Figures come from the audit trail (indexed by action and time, then by platform/agent/conversation) and
from a few indexed counts on conversations and messages. Imports of app models stay inside functions:
the kernel module imports no app at import time.
"""

import datetime as dt
import statistics
from collections import Counter

from django.db.models import Count, Min, OuterRef, Subquery
from django.db.models.functions import TruncHour

from leasebot import clock
from leasebot.models import AuditEvent

MIN_WINDOW, MAX_WINDOW = 1, 168
CRITICAL_ACTIONS = (
    "guardrail_blocked", "ai_reply_human_required_queued", "platform_dispatch_dlq", "platform_dispatch_error",
    "showing_booking_conflict", "ingest_conversation_linkage_unresolved", "ai_provider_fallback",
)
TOP_N = 10


def parse_window(raw):
    """Window hours from user input; ValueError with a message a person can act on."""
    if raw in (None, ""):
        return 24
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ValueError(f"window_hours must be a whole number from {MIN_WINDOW} to {MAX_WINDOW}, got {raw!r}.") from None
    if not MIN_WINDOW <= value <= MAX_WINDOW:
        raise ValueError(f"window_hours must be from {MIN_WINDOW} to {MAX_WINDOW}, got {value}.")
    return value


def _events(action, since):
    return AuditEvent.objects.filter(action=action, occurred_at__gte=since)


def _count_by(qs, field):
    return {(row[field] if row[field] is not None else ""): row["n"] for row in qs.values(field).annotate(n=Count("id")).order_by("-n")}


def build_snapshot(window_hours=24, now=None):
    window_hours = parse_window(window_hours)
    now = now or clock.now()
    since = now - dt.timedelta(hours=window_hours)
    return {
        "generated_at": now.isoformat(),
        "window_hours": window_hours,
        "volume": _volume(since),
        "ai": _ai(since),
        "human_queue": _human_queue(since, now),
        "workflow": _workflow(since),
        "slots": _slots(since),
        "linkage": _linkage(since),
        "dispatch": _dispatch(since),
        "platform_health": _platform_health(),
        "slices": _slices(since),
        "series": _series(since, now),
    }


def _volume(since):
    from conversations.models import Message

    platform = "conversation__account__platform"
    inbound = Message.objects.filter(direction="inbound", sent_at__gte=since)
    sent = Message.objects.filter(direction="outbound", status="sent", sent_at__gte=since)
    drafts = _events("ai_reply_decision", since).filter(details__decision="draft")
    return {
        "inbound": _count_by(inbound, platform),
        "outbound_sent": _count_by(sent, platform),
        "drafts_created": _count_by(drafts, "platform"),
        "drafts_pending": _count_by(Message.objects.filter(status="draft"), platform),
    }


def _ai(since):
    decisions = _events("ai_reply_decision", since)
    return {
        "decisions": decisions.count(),
        "by_provider": _count_by(decisions, "details__provider"),
        "by_intent": _count_by(decisions, "details__intent"),
        "by_outcome": _count_by(decisions, "details__outcome"),
        "by_decision": _count_by(decisions, "details__decision"),
        "escalation_reasons": _count_by(_events("ai_reply_human_required_queued", since), "details__reason_code"),
        "provider_fallbacks": _events("ai_provider_fallback", since).count(),
    }


def _human_queue(since, now):
    from conversations.models import Conversation

    waiting = Conversation.objects.filter(human_required=True)
    oldest = waiting.aggregate(oldest=Min("human_queued_at"))["oldest"]
    first_action = (
        AuditEvent.objects.filter(
            conversation_id=OuterRef("pk"), actor_kind="user", occurred_at__gte=OuterRef("human_queued_at")
        )
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
    queued = (
        Conversation.objects.filter(human_queued_at__gte=since)
        .annotate(first_action_at=Subquery(first_action))
        .exclude(first_action_at=None)
        .values_list("human_queued_at", "first_action_at")
    )
    waits = [(acted - queued_at).total_seconds() for queued_at, acted in queued]
    return {
        "depth": waiting.count(),
        "oldest_age_seconds": int((now - oldest).total_seconds()) if oldest else None,
        "median_first_action_seconds": int(statistics.median(waits)) if waits else None,
        "first_actions_measured": len(waits),
    }


def _workflow(since):
    moves = _events("workflow_state_transitioned", since).values("details__from", "details__to").annotate(n=Count("id"))
    return {
        "transitions": [{"from": m["details__from"], "to": m["details__to"], "count": m["n"]} for m in moves.order_by("-n")],
        "no_reply_recoveries": _events("workflow_no_reply_recovered", since).count(),
    }


def _slots(since):
    return {
        "offers_by_source": _count_by(_events("ai_reply_decision", since).filter(details__slots_offered__gt=0), "details__slot_source_kind"),
        "bookings_by_source": _count_by(_events("showing_booking_created", since), "details__source"),
        "conflicts": _events("showing_booking_conflict", since).count(),
        "failed": _events("showing_booking_failed", since).count(),
        "replays": _events("showing_booking_replayed", since).count(),
        "idempotency_conflicts": _events("showing_booking_idempotency_conflict", since).count(),
    }


def _linkage(since):
    resolved = _events("ingest_conversation_linkage_resolved", since).count()
    later = _events("ingest_conversation_linkage_resolved_later", since).count()
    unresolved_qs = _events("ingest_conversation_linkage_unresolved", since)
    unresolved = unresolved_qs.count()
    total = resolved + unresolved
    samples = [
        {"at": e.occurred_at.isoformat(), "platform": e.platform, "conversation_id": e.conversation_id,
         "thread_label": e.details.get("thread_label", ""), "tried": e.details.get("tried", [])}
        for e in unresolved_qs.order_by("-occurred_at")[:5]
    ]
    return {
        "resolved": resolved, "unresolved": unresolved, "resolved_later": later,
        "unresolved_rate": round(unresolved / total, 4) if total else 0.0, "latest_unresolved": samples,
    }


def _dispatch(since):
    errors = _events("platform_dispatch_error", since)
    categories = Counter()
    for details in _events("guardrail_blocked", since).values_list("details", flat=True)[:20000]:
        categories.update(details.get("categories", []))
    return {
        "sent": _count_by(_events("platform_dispatch_sent", since), "platform"),
        "retried": _count_by(errors.filter(details__retry=True), "platform"),
        "errors": _count_by(errors, "platform"),
        "dead_letters": _count_by(_events("platform_dispatch_dlq", since), "platform"),
        "guardrail_blocks": dict(categories.most_common()),
    }


def _platform_health():
    try:
        from ingest.health import health_rows
    except ImportError:
        return []
    return health_rows()


def _slices(since):
    critical = AuditEvent.objects.filter(action__in=CRITICAL_ACTIONS, occurred_at__gte=since)

    def top(field):
        rows = critical.exclude(**{f"{field}__isnull": True}).values(field).annotate(n=Count("id")).order_by("-n")[:TOP_N]
        return [{"key": row[field], "count": row["n"]} for row in rows if row[field] not in ("", None)]

    return {
        "by_platform": top("platform"),
        "by_agent": _labelled(top("agent_id"), _agent_labels),
        "by_conversation": _labelled(top("conversation_id"), _conversation_labels),
    }


def _labelled(rows, labels):
    """Rows keyed by id get the name a person recognises; an id whose row is gone gets none."""
    names = labels([row["key"] for row in rows]) if rows else {}
    return [{**row, "label": names.get(row["key"], "")} for row in rows]


def _agent_labels(ids):
    from scheduling.models import AgentProfile

    return dict(AgentProfile.objects.filter(pk__in=ids).values_list("pk", "display_name"))


def _conversation_labels(ids):
    from conversations.models import Conversation

    return {conv.pk: str(conv) for conv in Conversation.objects.filter(pk__in=ids).only("lead_name", "thread_label", "external_thread_id")}


def _hourly(qs, field, since, now):
    counts = {
        row["hour"]: row["n"]
        for row in qs.annotate(hour=TruncHour(field, tzinfo=dt.UTC)).values("hour").annotate(n=Count("id"))
    }
    start = since.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    hours = int((now - start).total_seconds() // 3600) + 1
    return [
        {"hour": (start + dt.timedelta(hours=h)).isoformat(), "count": counts.get(start + dt.timedelta(hours=h), 0)}
        for h in range(hours)
    ]


def _series(since, now):
    from conversations.models import Message

    escalations = _events("workflow_state_transitioned", since).filter(details__outcome="human_required")
    return {
        "inbound": _hourly(Message.objects.filter(direction="inbound", sent_at__gte=since), "sent_at", since, now),
        "replies_sent": _hourly(
            Message.objects.filter(direction="outbound", status="sent", sent_at__gte=since), "sent_at", since, now
        ),
        "escalations": _hourly(escalations, "occurred_at", since, now),
    }
