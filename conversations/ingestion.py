"""Recording what ingest read from a platform: conversations (with linkage) and messages, idempotently.

Upserts key on (account, external thread id) and (conversation, external message id); a message the
platform gives no id gets a stable content-derived one, so re-reading a thread never duplicates it.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from conversations import linkage, workflow
from conversations.models import Conversation, Message
from leasebot import audit, clock
from scheduling.models import UnitAssignment

TRIAGE_JOB = "conversations.jobs.triage_message"


@dataclass(frozen=True)
class ThreadRef:
    external_thread_id: str
    lead_name: str = ""
    lead_contact: str = ""
    thread_label: str = ""
    listing_external_id: str = ""
    listing_url: str = ""
    listing_title: str = ""


@dataclass(frozen=True)
class PlatformMessage:
    direction: str  # "inbound" | "outbound"
    body: str
    external_message_id: str | None = None
    sent_at: dt.datetime | None = None
    raw_time_text: str = ""
    time_parsed: bool = True


def content_message_id(direction, body, occurrence=0):
    """Stable across re-reads: never built from relative time text ("8h ago" changes every read)."""
    digest = hashlib.sha256(f"{direction}\x1f{body.strip()}\x1f{occurrence}".encode()).hexdigest()[:40]
    return f"h:{digest}"


def best_active_agent_id(unit_id):
    if unit_id is None:
        return None
    return (
        UnitAssignment.objects.filter(unit_id=unit_id, mode=UnitAssignment.Mode.ACTIVE, agent__active=True)
        .order_by("priority", "id")
        .values_list("agent_id", flat=True)
        .first()
    )


def _audit_linkage(conv, result, *, actor):
    resolved = result.listing is not None
    audit.record(
        "ingest_conversation_linkage_resolved" if resolved else "ingest_conversation_linkage_unresolved",
        entity=conv, platform=conv.account.platform, conversation_id=conv.pk, agent_id=conv.assigned_agent_id,
        actor_kind="worker", actor_label=actor,
        details={"matched_by": result.matched_by, "tried": result.tried, "thread_label": conv.thread_label[:120]},
    )


def _link_fields(account, ref):
    result = linkage.resolve_listing(
        account, listing_external_id=ref.listing_external_id, listing_url=ref.listing_url,
        title=ref.listing_title or ref.thread_label,
    )
    listing = result.listing
    unit_id = listing.unit_id if listing else None
    fields = {
        "listing": listing,
        "unit_id": unit_id,
        "assigned_agent_id": best_active_agent_id(unit_id),
        # A listing without a unit is still unresolved: no unit means no slots and no agent.
        "linkage": Conversation.Linkage.RESOLVED if unit_id else Conversation.Linkage.UNRESOLVED,
    }
    return fields, result


def record_conversation(account, ref, *, actor="worker"):
    """The conversation for a thread, created (and linked) on first sight. Returns (conversation, created)."""
    existing = Conversation.objects.filter(account=account, external_thread_id=ref.external_thread_id).first()
    if existing is not None:
        return existing, False
    fields, result = _link_fields(account, ref)
    try:
        with transaction.atomic():
            conv = Conversation.objects.create(
                account=account, external_thread_id=ref.external_thread_id, lead_name=ref.lead_name[:200],
                lead_contact=ref.lead_contact[:200], thread_label=(ref.thread_label or ref.listing_title)[:300],
                listing_external_ref=ref.listing_external_id[:120], listing_url_ref=ref.listing_url[:500],
                listing_title_ref=ref.listing_title[:300], **fields,
            )
            _audit_linkage(conv, result, actor=actor)
    except IntegrityError:
        # Another worker created it between our read and insert.
        return Conversation.objects.get(account=account, external_thread_id=ref.external_thread_id), False
    return conv, True


def relink_unresolved(account, *, actor="worker"):
    """After a listing sync: try again for every unresolved conversation of the account."""
    resolved = 0
    for conv in Conversation.objects.filter(account=account, linkage=Conversation.Linkage.UNRESOLVED):
        ref = ThreadRef(
            conv.external_thread_id, thread_label=conv.thread_label, listing_external_id=conv.listing_external_ref,
            listing_url=conv.listing_url_ref, listing_title=conv.listing_title_ref,
        )
        fields, result = _link_fields(account, ref)
        if fields["linkage"] != Conversation.Linkage.RESOLVED:
            continue
        with transaction.atomic():
            locked = Conversation.objects.select_for_update().get(pk=conv.pk)
            if locked.assigned_agent_id is not None:
                fields.pop("assigned_agent_id")
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.save(update_fields=[*fields.keys(), "updated_at"])
            audit.record(
                "ingest_conversation_linkage_resolved_later", entity=locked, platform=account.platform,
                conversation_id=locked.pk, agent_id=locked.assigned_agent_id, actor_kind="worker", actor_label=actor,
                details={"matched_by": result.matched_by, "tried": result.tried},
            )
        resolved += 1
    return resolved


def _max_reply_age():
    return dt.timedelta(hours=getattr(settings, "LEASEBOT_TRIAGE_MAX_AGE_HOURS", 24))


def record_message(conv, pm, *, actor="worker"):
    """Upsert one platform message. Returns (message, created). New recent inbound messages are queued for triage."""
    external_id = pm.external_message_id or content_message_id(pm.direction, pm.body)
    existing = Message.objects.filter(conversation=conv, external_message_id=external_id).first()
    if existing is not None:
        return existing, False
    if pm.direction == Message.Direction.OUTBOUND:
        ours = _match_our_outbound(conv, pm)
        if ours is not None:
            return ours, False
    now = clock.now()
    sent_at = pm.sent_at if pm.time_parsed and pm.sent_at else None
    time_source = Message.TimeSource.PLATFORM if sent_at else (
        Message.TimeSource.UNPARSEABLE if pm.raw_time_text else Message.TimeSource.CLOCK
    )
    inbound = pm.direction == Message.Direction.INBOUND
    # Only recent inbound messages are answered: a first import of old history never replies to the past.
    fresh = sent_at is None or now - sent_at <= _max_reply_age()
    try:
        with transaction.atomic():
            message = Message.objects.create(
                conversation=conv, direction=pm.direction,
                sender=Message.Sender.LEAD if inbound else Message.Sender.AGENT,
                external_message_id=external_id, body=pm.body, sent_at=sent_at or now, sent_at_source=time_source,
                raw_time_text=pm.raw_time_text[:100],
                status=Message.Status.RECEIVED if inbound else Message.Status.SENT,
                triage_state=(Message.TriageState.PENDING if fresh else Message.TriageState.SKIPPED) if inbound else "",
            )
    except IntegrityError:
        return Message.objects.get(conversation=conv, external_message_id=external_id), False
    _after_new_message(conv, message, actor=actor)
    return message, True


def _match_our_outbound(conv, pm):
    """A platform copy of a message we sent (dispatch may still be confirming it): attach, don't duplicate."""
    candidate = (
        Message.objects.filter(
            conversation=conv, direction=Message.Direction.OUTBOUND, body=pm.body.strip(),
            status__in=[Message.Status.SENDING, Message.Status.SENT],
        )
        .filter(external_message_id__isnull=True)
        .order_by("created_at")
        .first()
    )
    return candidate


def _after_new_message(conv, message, *, actor):
    latest = max(filter(None, [conv.last_message_at, message.sent_at]))
    Conversation.objects.filter(pk=conv.pk).update(last_message_at=latest)
    if message.direction != Message.Direction.INBOUND:
        return
    workflow.reengage(conv, actor=actor, cause="inbound_message")
    if message.triage_state == Message.TriageState.PENDING:
        enqueue_triage(message.pk)


def enqueue_triage(message_id):
    def _enqueue():
        try:
            import django_rq

            django_rq.get_queue("triage").enqueue(TRIAGE_JOB, message_id)
        except Exception:  # noqa: BLE001  (Redis down: the triage sweep finds pending messages)
            pass

    transaction.on_commit(_enqueue)
