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
# How many unconfirmed messages of ours a platform copy is compared with (see _our_unconfirmed_outbound).
OUR_OUTBOUND_WINDOW = 50


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
    external_id = _external_id(pm)
    existing = Message.objects.filter(conversation=conv, external_message_id=external_id).first()
    if existing is not None:
        return existing, False
    if pm.direction == Message.Direction.OUTBOUND:
        ours = _our_copy(_our_unconfirmed_outbound(conv), pm)
        if ours is not None:
            return ours, False
    message = _new_message(conv, pm, external_id, clock.now(), _max_reply_age())
    first = not _has_messages(conv)
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        return Message.objects.get(conversation=conv, external_message_id=external_id), False
    _after_new_messages(conv, [message], actor=actor, first=first)
    return message, True


def record_messages(conv, pms, *, new_conversation=False, actor="worker"):
    """Upsert a thread's messages in one INSERT by record_message's rules; returns how many were new.

    Row for row the same as calling record_message for each in order (tests/ingest/test_ingest_bulk.py):
    known ids and repeats within the batch are skipped, platform copies of ours are attached, and the
    effects (last_message_at, reengage, triage after commit) run once for the batch. Should another worker
    insert one of these messages meanwhile, the batch falls back to record_message, which resolves each
    conflict on its own.

    new_conversation: `conv` was created in the caller's transaction, so nobody else can have written to it
    yet: nothing is recorded to look up, nothing of ours to match, no insert to conflict with, no follow-up
    to stop or outcome to reopen. A first import then costs one INSERT per thread (bench_ingest_mock.py).
    """
    keyed = [(_external_id(pm), pm) for pm in pms]
    if new_conversation:
        rows = _new_rows(conv, keyed, known=set(), ours=[])
        Message.objects.bulk_create(rows)
        _after_new_messages(conv, rows, actor=actor, reengage=False, first=True)
        return len(rows)
    known = _known_external_ids(conv, [external_id for external_id, _ in keyed])
    unknown_outbound = any(
        pm.direction == Message.Direction.OUTBOUND and external_id not in known for external_id, pm in keyed
    )
    rows = _new_rows(conv, keyed, known=known, ours=_our_unconfirmed_outbound(conv) if unknown_outbound else [])
    if not rows:
        return 0
    first = not _has_messages(conv)
    try:
        with transaction.atomic():
            Message.objects.bulk_create(rows)
    except IntegrityError:
        return sum(record_message(conv, pm, actor=actor)[1] for _, pm in keyed)
    _after_new_messages(conv, rows, actor=actor, first=first)
    return len(rows)


def _new_rows(conv, keyed, *, known, ours):
    """The rows record_message would create, one (external id, message) pair after the other."""
    now, max_age = clock.now(), _max_reply_age()
    rows = []
    for external_id, pm in keyed:
        if external_id in known:
            continue
        if pm.direction == Message.Direction.OUTBOUND and _our_copy(ours, pm) is not None:
            continue
        known.add(external_id)  # a repeat later in the batch is this same message
        rows.append(_new_message(conv, pm, external_id, now, max_age))
    return rows


def _external_id(pm):
    return pm.external_message_id or content_message_id(pm.direction, pm.body)


def _known_external_ids(conv, external_ids):
    return set(
        Message.objects.filter(conversation=conv, external_message_id__in=external_ids)
        .values_list("external_message_id", flat=True)
    )


def _new_message(conv, pm, external_id, now, max_age):
    """The (unsaved) row a platform message becomes: the one place its time source and triage state are decided."""
    sent_at = pm.sent_at if pm.time_parsed and pm.sent_at else None
    time_source = Message.TimeSource.PLATFORM if sent_at else (
        Message.TimeSource.UNPARSEABLE if pm.raw_time_text else Message.TimeSource.CLOCK
    )
    inbound = pm.direction == Message.Direction.INBOUND
    # Only recent inbound messages are answered: a first import of old history never replies to the past.
    fresh = sent_at is None or now - sent_at <= max_age
    return Message(
        conversation=conv, direction=pm.direction,
        sender=Message.Sender.LEAD if inbound else Message.Sender.AGENT,
        external_message_id=external_id, body=pm.body, sent_at=sent_at or now, sent_at_source=time_source,
        raw_time_text=pm.raw_time_text[:100],
        status=Message.Status.RECEIVED if inbound else Message.Status.SENT,
        triage_state=(Message.TriageState.PENDING if fresh else Message.TriageState.SKIPPED) if inbound else "",
    )


def _our_unconfirmed_outbound(conv):
    """Messages we sent that the platform has not confirmed yet (dispatch may still be confirming them), oldest
    first. Bounded to the newest few: only a handful are ever in flight, however many stale ones pile up."""
    newest = (
        Message.objects.filter(
            conversation=conv, direction=Message.Direction.OUTBOUND,
            status__in=[Message.Status.SENDING, Message.Status.SENT], external_message_id__isnull=True,
        )
        .order_by("-created_at", "-id")[:OUR_OUTBOUND_WINDOW]
    )
    return list(reversed(newest))


def _our_copy(candidates, pm):
    """The message of ours that `pm` is the platform's copy of (attach, don't duplicate), else None.

    Platforms re-space what we send, so bodies are compared by _comparable; what is stored is never changed.
    """
    wanted = _comparable(pm.body)
    return next((message for message in candidates if _comparable(message.body) == wanted), None)


def _comparable(body):
    """The body with its spacing normalised: CRLF/CR read as LF, each line's runs of spaces, tabs and no-break
    spaces as one space, ends trimmed. Line breaks still count: a copy whose lines the platform folded into one
    is recorded as a row of its own, and dispatch still recognises it (ingest.dispatch.already_sent_key)."""
    return "\n".join(" ".join(line.split()) for line in body.splitlines()).strip()


def _has_messages(conv):
    return Message.objects.filter(conversation=conv).exists()


def _after_new_messages(conv, messages, *, actor, reengage=True, first=False):
    """first: these are the conversation's first messages. Until then its last_message_at is the time it was
    created; after, the newest message's, so a first import of old history does not sort as new in the inbox."""
    if not messages:
        return
    times = [message.sent_at for message in messages]
    latest = max(times) if first else max(conv.last_message_at, *times)
    Conversation.objects.filter(pk=conv.pk).update(last_message_at=latest)
    conv.last_message_at = latest
    if not any(message.direction == Message.Direction.INBOUND for message in messages):
        return
    if reengage:
        workflow.reengage(conv, actor=actor, cause="inbound_message")
    for message in messages:
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
