"""The triage pipeline: one inbound message in, one audited decision out, persisted through the workflow.

    triage_message(message_id, worker=...)
      1. claim the message (row lock, SKIP LOCKED; pending -> claimed; a stale claim may be taken over)
      2. skip it unless it may be answered: active account, lead not opted out, newest inbound of the
         thread, not answered since
      3. build the TriageInput from the thread and ask the configured provider
      4. under the conversation's row lock, apply the eligibility rules in order and act:
         opt-out -> record it, no reply; human_required -> escalate, nothing sent; otherwise render the
         reply from the intent's rule and template, let the outbox run the guardrails, and only when the
         reply may go out book the picked slot / mark a reschedule / cancel a showing
      5. audit `ai_reply_decision` (and `ai_reply_human_required_queued`), mark the message done

With the heuristic all of it is one transaction: the claim's row lock and the conversation's last until
the decision commits, the conversation is read once, and its audit events are written in one insert.
A remote model may take seconds, so its claim is committed first and it is asked with no lock held;
steps 2 and 4 then run again under the locks, as the thread may have moved on.

Every workflow change goes through conversations.workflow (or conversations.showings, which uses it).
"""

import datetime as dt
import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from conversations import ingestion, outbox, templating, workflow
from conversations import showings as conversation_showings
from conversations.models import Conversation, Message, Outcome, PlatformAccount
from conversations.triage import provider as providers
from conversations.triage import reasons as rc
from conversations.triage import replies
from conversations.triage import types as t
from guardrails.inbound import OPT_OUT, assess_inbound
from leasebot import audit, clock, compiled, txmarks
from scheduling import showings as showing_lifecycle
from scheduling.models import AgentProfile, Showing
from scheduling.slots import Slot

logger = logging.getLogger(__name__)

TriageState = Message.TriageState
INBOUND = Message.Direction.INBOUND
OUTBOUND = Message.Direction.OUTBOUND
# Outbound messages the lead has seen or will see (drafts, rejected and dead ones never reach them).
DELIVERABLE = (Message.Status.QUEUED, Message.Status.SENDING, Message.Status.SENT)
HISTORY_LIMIT = 10
# Candidates read per offer, so the times the lead asked for ("Saturday afternoon") can be found in them.
PREFERENCE_POOL = 200
SLOT_SOURCE_KIND = "assignment_intersection"  # slots come from the unit ∩ assigned agents' availability
DEFAULT_TIMEZONE = "America/New_York"

# Decisions (the `decision` of every ai_reply_decision event).
SEND, DRAFT, ESCALATE, SKIP = "send", "draft", "escalate", "skip"

# Reason codes only the pipeline gives (the classifier's are in reasons.py).
ALREADY_ANSWERED = "already_answered"  # an agent (or we) replied after this message
AWAITING_HUMAN = "awaiting_human"  # the conversation is in the Needs-human queue: a person owns it
ACKNOWLEDGED = "acknowledged"  # "see you Sunday!" on a booked showing: nothing to answer
MISSING_LISTING_FACT = "missing_listing_fact"  # the template needs a fact the listing does not state
REPLY_RULE_DRAFT_ONLY = "reply_rule_draft_only"  # the intent's rule says: always a draft
BOOKING_REFUSED = "booking_refused"  # the workflow refused the booking (e.g. a closed conversation)
TRIAGE_FAILED = "triage_failed"  # an unexpected error: a person looks at the thread
SKIPPED_REASONS = frozenset({rc.ACCOUNT_INACTIVE, rc.OPTED_OUT, rc.SUPERSEDED, ALREADY_ANSWERED})

# Templates whose message asks the lead something: a follow-up is due if they stay silent.
ASKING_TEMPLATES = frozenset({
    replies.OFFER_SLOTS, replies.AVAILABILITY_ANSWER, replies.SLOT_TAKEN, replies.RESCHEDULE_OFFER,
    replies.ASK_PREFERRED_TIMES, replies.PRICING_ANSWER,
})


def offer_count():
    return int(getattr(settings, "LEASEBOT_TRIAGE_OFFER_COUNT", 3))


def claim_ttl():
    """How long a claim protects a message; after that the sweep may hand it to another worker."""
    return dt.timedelta(seconds=int(getattr(settings, "LEASEBOT_TRIAGE_CLAIM_SECONDS", 300)))


@dataclass
class Result:
    """What triage did with one message (also what the audit event says)."""

    message_id: int
    decision: str
    reason_code: str
    classification: t.Decision | None = None
    outbound: Message | None = None
    showing: Showing | None = None
    slots_offered: int = 0
    details: dict = field(default_factory=dict)


@dataclass
class _Case:
    """One message being triaged: the locked conversation, the thread as input, and the slots involved."""

    conv: Conversation
    message: Message
    worker: str
    thread: "_Thread"
    triage_input: t.TriageInput
    offered: list  # scheduling Slots our last offer listed, in its order
    available: conversation_showings.SlotPool  # scheduling Slots the engine would offer now
    decision: t.Decision | None = None
    showing: Showing | None = None  # booked while answering this message


class _Undo(Exception):
    """Raised inside a reply's savepoint: roll back what it did (a booking) and answer with `fallback()`."""

    def __init__(self, fallback):
        super().__init__("undo reply")
        self.fallback = fallback


# ---- 1. claiming ---------------------------------------------------------------------------------
# One statement: lock the row unless another worker holds it (SKIP LOCKED), and claim it if it is
# pending or its claim went stale. A worker that loses the race gets no row back.
_CLAIM_SQL = f"""
UPDATE {Message._meta.db_table} SET triage_state = %(claimed)s, triage_claimed_at = %(now)s
WHERE id = (
    SELECT id FROM {Message._meta.db_table}
    WHERE id = %(id)s AND direction = %(inbound)s
      AND (triage_state = %(pending)s OR (triage_state = %(claimed)s AND triage_claimed_at < %(stale)s))
    FOR UPDATE SKIP LOCKED
)
RETURNING *
"""


def claim(message_id, *, now=None):
    """Take the message for triage. Returns it (with its claim time as the token), or None."""
    now = now or clock.now()
    params = {
        "id": message_id, "now": now, "stale": now - claim_ttl(), "inbound": INBOUND,
        "pending": TriageState.PENDING, "claimed": TriageState.CLAIMED,
    }
    # The claimed row comes back from the UPDATE itself: no second read.
    claimed = list(Message.objects.raw(_CLAIM_SQL, params))
    return claimed[0] if claimed else None


def _still_ours(message):
    """Under the message's row lock: our claim was not taken over by another worker."""
    current = Message.objects.select_for_update().only("triage_state", "triage_claimed_at").get(pk=message.pk)
    return current.triage_state == TriageState.CLAIMED and current.triage_claimed_at == message.triage_claimed_at


# ---- 2. the thread around the message --------------------------------------------------------------
@dataclass(frozen=True)
class _Thread:
    """What the rest of the thread says about one inbound message, read in one round trip."""

    later: frozenset  # directions after it: a newer lead message, or a reply of ours since
    offer: list  # offered_slots of our latest deliverable offer before it (source dicts)
    history: tuple  # up to HISTORY_LIMIT (direction, body) before it, oldest first
    older_pending: tuple  # ids of other inbound messages of the thread still waiting for triage


_M = Message._meta.db_table
# One statement instead of four ORM queries: this runs for every triaged message, under the
# conversation's lock. Every part is bounded by the thread-order index (conversation, sent_at, id).
_THREAD_SQL = f"""
SELECT
  ARRAY(
    SELECT DISTINCT m.direction FROM {_M} m
    WHERE m.conversation_id = %(conv)s AND (
      (m.direction = %(inbound)s AND (
        (%(sent)s::timestamptz IS NULL AND m.id > %(id)s)
        OR m.sent_at > %(sent)s OR (m.sent_at = %(sent)s AND m.id > %(id)s)))
      OR (m.direction = %(outbound)s AND m.id > %(id)s AND m.status = ANY(%(deliverable)s)))
  ),
  (
    SELECT m.offered_slots FROM {_M} m
    WHERE m.conversation_id = %(conv)s AND m.direction = %(outbound)s AND m.id < %(id)s
      AND m.status = ANY(%(deliverable)s) AND m.offered_slots <> '[]'::jsonb
    ORDER BY m.id DESC LIMIT 1
  ),
  (
    SELECT json_agg(json_build_array(h.direction, h.body) ORDER BY h.id) FROM (
      SELECT m.id, m.direction, m.body FROM {_M} m
      WHERE m.conversation_id = %(conv)s AND m.id < %(id)s
        AND (m.direction = %(inbound)s OR m.status = ANY(%(deliverable)s))
      ORDER BY m.id DESC LIMIT %(history)s
    ) h
  ),
  ARRAY(
    SELECT m.id FROM {_M} m
    WHERE m.conversation_id = %(conv)s AND m.direction = %(inbound)s AND m.triage_state = %(pending)s
      AND m.id <> %(id)s
  )
"""


def _json(value, default):
    # Django has psycopg hand json/jsonb over as text (JSONField decodes it); raw SQL decodes it here.
    if value is None:
        return default
    return json.loads(value) if isinstance(value, str | bytes) else value


def _thread(conv, message):
    params = {
        "conv": conv.pk, "id": message.pk, "sent": message.sent_at, "inbound": INBOUND, "outbound": OUTBOUND,
        "deliverable": list(DELIVERABLE), "history": HISTORY_LIMIT, "pending": TriageState.PENDING,
    }
    with connection.cursor() as cursor:
        cursor.execute(_THREAD_SQL, params)
        later, offer, history, older_pending = cursor.fetchone()
    return _Thread(
        later=frozenset(later), offer=_json(offer, []),
        history=tuple(tuple(pair) for pair in _json(history, [])), older_pending=tuple(older_pending),
    )


def _ineligible(conv, thread):
    """The first skip rule that applies (in the policy's order), or None."""
    if not conv.account.active:
        return rc.ACCOUNT_INACTIVE
    if conv.opted_out:
        return rc.OPTED_OUT
    if INBOUND in thread.later:
        return rc.SUPERSEDED
    if OUTBOUND in thread.later:
        return ALREADY_ANSWERED
    return None


# ---- 3. the input ----------------------------------------------------------------------------------
def _timezone(conv):
    if conv.unit_id:
        return conv.unit.timezone
    if conv.assigned_agent_id:
        return conv.assigned_agent.timezone
    return conv.account.browser_timezone or DEFAULT_TIMEZONE


def _live_showing(conv):
    showing = conv.current_showing
    return showing if showing is not None and showing.status in Showing.LIVE_STATUSES else None


def _offered_slots(conv, thread):
    """The slots of our latest offer the lead may be answering (stored as source dicts on the message)."""
    slots = []
    for source in thread.offer:
        try:
            slots.append(Slot.from_source(source))
        except (KeyError, TypeError, ValueError):
            logger.warning("conversation %s: an offered slot could not be read back", conv.pk)
            return []
    return slots


def _listing_facts(conv):
    listing = conv.listing
    return t.ListingFacts(
        title=listing.title if listing else conv.thread_label,
        unit=str(conv.unit) if conv.unit_id else "",
        rent_cents=listing.rent_cents if listing else None,
        currency=listing.currency if listing else "USD",
        available_on=listing.available_on if listing else None,
        platform=conv.account.platform,
    )


def _case(conv, message, worker):
    thread = _thread(conv, message)
    offered = _offered_slots(conv, thread)
    available = conversation_showings.SlotPool(conv, limit=PREFERENCE_POOL)
    showing = _live_showing(conv)
    triage_input = t.TriageInput(
        body=message.body,
        lead_name=conv.lead_name,
        listing=_listing_facts(conv),
        offered_slots=tuple(replies.slot_option(s) for s in offered),
        available_slots=tuple(replies.slot_option(s) for s in available.first(offer_count() + 1)),
        history=tuple(t.HistoryMessage(direction=d, body=b) for d, b in thread.history),
        showing_state=showing.status if showing else None,
        timezone=_timezone(conv),
        now=clock.now(),
    )
    return _Case(conv, message, worker, thread, triage_input, offered, available)


def _with_relations(pk):
    return Conversation.objects.select_related(
        "account", "listing", "unit", "assigned_agent", "current_showing"
    ).filter(pk=pk)


# Read for every triaged message: compiled once, since compiling the six-table join costs more than
# running it.
_CONVERSATION = compiled.CompiledQuery(_with_relations, pk=int)
_LOCKED_CONVERSATION = compiled.CompiledQuery(lambda pk: _with_relations(pk).select_for_update(of=("self",)), pk=int)


def _conversation(pk, *, lock=False):
    if lock:
        return txmarks.note_locked(_LOCKED_CONVERSATION.get(pk=pk))
    return _CONVERSATION.get(pk=pk)


def _relocked(conv):
    """The conversation row again, under its lock; the related rows already loaded are reused."""
    fresh = Conversation.objects.select_for_update(of=("self",)).select_related("current_showing").get(pk=conv.pk)
    for name in ("account", "listing", "unit", "assigned_agent"):
        if getattr(conv, f"{name}_id") is not None and getattr(fresh, f"{name}_id") == getattr(conv, f"{name}_id"):
            setattr(fresh, name, getattr(conv, name))
    return txmarks.note_locked(fresh)


# ---- the entry point ---------------------------------------------------------------------------------
def triage_message(message_id, *, worker="worker"):
    """Triage one inbound message once. Returns a Result, or None when the message is not ours to triage."""
    claimed = None  # a remote model's path commits its claim before asking the model
    try:
        classifier = providers.classifier()
        if not classifier.remote:
            return _triage_at_once(message_id, worker, classifier)
        claimed = claim(message_id)
        return None if claimed is None else _triage_around_model(claimed, worker, classifier)
    except Exception:
        logger.exception("triage of message %s failed", message_id)
        return _fail(message_id, claimed, worker)


def _triage_at_once(message_id, worker, classifier):
    """The heuristic answers in microseconds: claim, decide and act in one transaction. The claim's row
    lock lasts until commit, so no other worker can take the message over meanwhile, and the
    conversation is read once, under its lock."""
    with transaction.atomic(), audit.batched():
        message = claim(message_id)
        if message is None:
            return None
        conv = _conversation(message.conversation_id, lock=True)
        classification, case = _classify(conv, message, worker, classifier)
        thread = case.thread if case is not None else _thread(conv, message)
        return _settle(conv, thread, message, worker, classification, case)


def _triage_around_model(message, worker, classifier):
    """A model may take seconds: ask it without holding any lock, then take the locks (message first, as
    the claim does) and run every rule again, since the thread may have changed meanwhile."""
    conv = _conversation(message.conversation_id)
    classification, case = _classify(conv, message, worker, classifier)
    with transaction.atomic(), audit.batched():
        if not _still_ours(message):
            return None
        conv = _relocked(conv)
        return _settle(conv, _thread(conv, message), message, worker, classification, case)


def _classify(conv, message, worker, classifier):
    """(classification, case), or (None, None) when cheap field checks say the message is not answered,
    so no model is asked about it."""
    if not conv.account.active or conv.opted_out:
        return None, None
    case = _case(conv, message, worker)
    classification = classifier.classify(case.triage_input, conv.account)
    if classification.fell_back:
        _audit_fallback(conv, message, classifier.name, classification, worker)
    return classification, case


def _settle(conv, thread, message, worker, classification, case):
    """Under the message's and the conversation's locks: apply the rules in order, act, and record the
    decision."""
    skip = _ineligible(conv, thread)
    if skip is not None:
        result = Result(message.pk, SKIP, skip, classification)
        if skip == rc.ACCOUNT_INACTIVE and OPT_OUT in assess_inbound(message.body):
            # Nothing is sent from an inactive account, but a STOP still counts for when it is active again.
            workflow.record_opt_out(conv, actor=worker, cause="triage_opt_out")
            result.details["opt_out_recorded"] = True
    else:
        case.conv, case.decision = conv, classification
        result = _act(case)
        _skip_older_pending(conv, thread, worker)
    _finish(conv, message, result, worker)
    return result


def _finish(conv, message, result, worker):
    state = TriageState.SKIPPED if result.reason_code in SKIPPED_REASONS else TriageState.DONE
    Message.objects.filter(pk=message.pk).update(triage_state=state)
    _audit_decision(conv, message, result, worker)


# Another worker may hold an older message's claim lock while it waits for this conversation's lock:
# SKIP LOCKED leaves that message to it (it will find itself superseded) instead of deadlocking.
_SKIP_OLDER_SQL = f"""
UPDATE {Message._meta.db_table} SET triage_state = %(skipped)s
WHERE id IN (
    SELECT id FROM {Message._meta.db_table}
    WHERE id = ANY(%(ids)s) AND triage_state = %(pending)s
    FOR UPDATE SKIP LOCKED
)
RETURNING id
"""


def _skip_older_pending(conv, thread, worker):
    """Only the newest inbound message is answered: older ones still waiting are settled as superseded."""
    if not thread.older_pending:
        return
    params = {"ids": list(thread.older_pending), "skipped": TriageState.SKIPPED, "pending": TriageState.PENDING}
    with connection.cursor() as cursor:
        cursor.execute(_SKIP_OLDER_SQL, params)
        skipped = sorted(pk for (pk,) in cursor.fetchall())
    for pk in skipped:
        _audit_decision(conv, Message(pk=pk), Result(pk, SKIP, rc.SUPERSEDED), worker)


def _fail(message_id, claimed, worker):
    """An unexpected error: never lose the message silently; a person gets the thread.

    The failed transaction took its claim with it, so the message is claimed again here; a claim
    committed before a model was asked (`claimed`) must still be ours."""
    with transaction.atomic():
        if claimed is None:
            message = claim(message_id)
        else:
            message = claimed if _still_ours(claimed) else None
        if message is None:
            return None
        conv = _conversation(message.conversation_id, lock=True)
        if conv.opted_out or not conv.account.active:
            result = Result(message.pk, SKIP, rc.OPTED_OUT if conv.opted_out else rc.ACCOUNT_INACTIVE)
        else:
            result = _escalate_conv(conv, message.pk, TRIAGE_FAILED, worker, None)
        _finish(conv, message, result, worker)
    return result


# ---- 4. the eligibility rules, in order ---------------------------------------------------------------
def _act(case):
    decision, conv = case.decision, case.conv
    if decision.reason_code == rc.OPT_OUT_REQUEST and not decision.human_required:
        return _opt_out(case)
    if decision.human_required:
        return _escalate(case, decision.reason_code)
    if conv.human_required:
        return Result(case.message.pk, ESCALATE, AWAITING_HUMAN, decision)
    if decision.confidence < providers.min_confidence():
        return _escalate(case, rc.LOW_CONFIDENCE)
    return _answer(case, decision.reply_kind)


def _answer(case, kind):
    if kind in (t.REPLY_OFFER_SLOTS, t.REPLY_OFFER_NEW_SLOTS):
        return _offer(case, kind)
    if kind == t.REPLY_ASK_PREFERRED_TIMES:
        return _ask_preferred_times(case)
    if kind == t.REPLY_CONFIRM_SHOWING:
        return _confirm(case)
    if kind == t.REPLY_ACKNOWLEDGE:
        return _acknowledge(case)
    if kind == t.REPLY_CLOSE:
        return _reply(case, kind, after=_close)
    if kind == t.REPLY_ANSWER_QUESTION:
        return _reply(case, kind, after=_general_question)
    return _escalate(case, rc.LOW_CONFIDENCE)  # a decision that wants no reply yet is not a human one


def _opt_out(case):
    _cancel_live_showing(case, reason="lead_opted_out")
    workflow.record_opt_out(case.conv, actor=case.worker, cause="triage_opt_out")
    return Result(case.message.pk, SKIP, rc.OPT_OUT_REQUEST, case.decision)


def _escalate(case, reason_code, **details):
    return _escalate_conv(case.conv, case.message.pk, reason_code, case.worker, case.decision, **details)


def _escalate_conv(conv, message_id, reason_code, worker, decision, **details):
    newly_queued = not conv.human_required
    workflow.escalate(conv, reason_code=reason_code, actor=worker, cause="triage")  # updates conv in place
    details["newly_queued"] = newly_queued
    return Result(message_id, ESCALATE, reason_code, decision, details=details)


# ---- offering, asking, confirming -----------------------------------------------------------------------
def _offer(case, kind):
    live = _live_showing(case.conv)
    exclude = [live.starts_at] if live is not None and kind == t.REPLY_OFFER_NEW_SLOTS else []
    slots, matched = replies.slots_to_offer(
        case.available.all(), case.message.body, case.triage_input.timezone, now=case.triage_input.now,
        limit=offer_count(), exclude_starts=exclude,
    )
    if not slots:
        return _ask_preferred_times(case)
    after = _reschedule_requested if kind == t.REPLY_OFFER_NEW_SLOTS else _general_question
    return _reply(case, kind, slots=slots, after=after, details={"preference_matched": matched})


def _ask_preferred_times(case):
    if providers.escalate_without_slots():
        return _escalate(case, rc.NO_SLOT_CANDIDATES_ESCALATED)
    after = _reschedule_requested if case.decision.workflow_outcome == t.OUTCOME_WANTS_RESCHEDULE else _general_question
    return _reply(case, t.REPLY_ASK_PREFERRED_TIMES, reason=rc.NO_SLOT_CANDIDATES, after=after)


def _picked_slot(case):
    index = case.decision.selected_slot_index
    if index is None or not 1 <= index <= len(case.offered):
        return None
    return case.offered[index - 1]


def _is_booked(live, slot):
    return live is not None and live.starts_at == slot.starts_at and live.agent_id == slot.agent_id and (
        live.status != Showing.Status.RESCHEDULE_REQUESTED
    )


def _confirm(case):
    slot = _picked_slot(case)
    if slot is None:
        return _escalate(case, rc.LOW_CONFIDENCE)
    if _is_booked(_live_showing(case.conv), slot):
        return _acknowledge(case)
    if slot.starts_at <= clock.now():
        return _slot_taken(case, slot, conversation_showings.next_slots(case.conv, limit=offer_count() + 1))
    agent_name = AgentProfile.objects.filter(pk=slot.agent_id).values_list("display_name", flat=True).first() or ""
    extra = {"showing_time": replies.slot_label(slot.starts_at, slot.timezone), "agent_name": agent_name}

    def book(case):
        """Runs once the confirmation passed guardrails; a refusal answers with alternatives instead."""
        try:
            outcome = conversation_showings.book_slot(
                case.conv, slot, actor=case.worker, source=Showing.Source.LEAD_SELECTION, cause="lead_selected_slot"
            )
        except workflow.WorkflowError as error:
            code = error.code  # the booking is rolled back with the reply's savepoint
            raise _Undo(lambda: _escalate(case, BOOKING_REFUSED, workflow_code=code)) from None
        except showing_lifecycle.ShowingConflict:
            # The pending showing could not be confirmed: undo it with the reply's savepoint, then offer others.
            raise _Undo(lambda: _slot_taken(case, slot, conversation_showings.next_slots(
                case.conv, limit=offer_count() + 1))) from None
        if not outcome.ok:  # refused before any workflow change: the locked conversation is as it was
            alternatives = outcome.alternatives or conversation_showings.next_slots(case.conv, limit=offer_count() + 1)
            return _slot_taken(case, slot, alternatives)
        case.showing = outcome.showing
        return None

    return _reply(case, t.REPLY_CONFIRM_SHOWING, extra=extra, before=book)


def _slot_taken(case, taken, alternatives):
    slots = replies.distinct_slots(alternatives, limit=offer_count(), exclude_starts=[taken.starts_at])
    if not slots:
        return _ask_preferred_times(case)
    return _reply(case, t.REPLY_OFFER_SLOTS, slots=slots, name=replies.SLOT_TAKEN, after=_general_question,
                  details={"slot_taken": True})


def _acknowledge(case):
    """The lead affirms the showing already booked: keep the outcome, no reply needed."""
    conv = case.conv
    if _live_showing(conv) is not None and conv.workflow_outcome != Outcome.SHOWING_CONFIRMED:
        workflow.apply_outcome(conv, Outcome.SHOWING_CONFIRMED, actor=case.worker, cause="lead_affirmed_showing")
    return Result(case.message.pk, SKIP, ACKNOWLEDGED, case.decision)


# ---- side effects that run only once the reply may go out ------------------------------------------------
# Each returns whether it applied an outcome (which then also scheduled the follow-up when `follow_up`).
def _general_question(case, follow_up):
    conv = case.conv
    if conv.workflow_outcome == Outcome.SHOWING_CONFIRMED and _live_showing(conv) is not None:
        return False  # a question about a booked showing does not unbook it
    return _apply_outcome(case, Outcome.GENERAL_QUESTION, follow_up)


def _reschedule_requested(case, follow_up):
    live = _live_showing(case.conv)
    if live is not None and live.status != Showing.Status.RESCHEDULE_REQUESTED:
        _move_showing(case, live, Showing.Status.RESCHEDULE_REQUESTED, reason="lead_asked_to_reschedule")
    return _apply_outcome(case, Outcome.WANTS_RESCHEDULE, follow_up)


def _close(case, follow_up):
    _cancel_live_showing(case, reason="lead_not_interested")
    return _apply_outcome(case, Outcome.NOT_INTERESTED, follow_up)


def _apply_outcome(case, outcome, follow_up):
    try:
        workflow.apply_outcome(case.conv, outcome, actor=case.worker, cause="triage", follow_up=follow_up)
    except workflow.WorkflowError as error:
        # The conversation moved on meanwhile (e.g. it is closed): the reply stands, the outcome does not.
        logger.info("conversation %s: outcome %s not applied (%s)", case.conv.pk, outcome, error.code)
        return False
    return True


def _cancel_live_showing(case, *, reason):
    live = _live_showing(case.conv)
    if live is not None:
        try:
            _move_showing(case, live, Showing.Status.CANCELLED, reason=reason)
        except showing_lifecycle.IllegalTransition:
            pass  # it left the live states meanwhile (e.g. an agent marked it): nothing to cancel


def _move_showing(case, live, status, *, reason):
    """Transition the live showing and keep the locked conversation's copy of it current, since the
    workflow checks the showing on that copy for the rest of this decision."""
    moved = showing_lifecycle.transition(live, status, reason=reason)
    case.conv.current_showing, case.conv.showing_state = moved, moved.status


def _schedule_follow_up(case):
    try:
        workflow.schedule_follow_up(case.conv, actor=case.worker, cause="triage_asked_lead")
    except workflow.WorkflowError as error:
        logger.info("conversation %s: no follow-up (%s)", case.conv.pk, error.code)


# ---- rendering, the rule/template rules, guardrails and the send mode -------------------------------------
def _send_mode(conv, rule):
    """(as_draft, reason) for a reply that has a template."""
    if rule is None:
        return True, rc.NO_TEMPLATE
    if not rule.auto_reply:
        return True, REPLY_RULE_DRAFT_ONLY
    if conv.account.effective_send_mode() == PlatformAccount.SendMode.AUTO_SEND:
        return False, rc.AUTO_SEND
    return True, rc.DRAFT_ONLY


def _reply_text(case, kind, name, rule, slots, extra):
    """(text, as_draft, reason) or a Result that hands the conversation to a human."""
    conv, decision = case.conv, case.decision
    body = replies.template_for(conv.account, rule, kind, decision.intent, name)
    if body is None:
        if decision.reply_text.strip():
            return decision.reply_text.strip(), True, rc.NO_TEMPLATE  # a model's words: a human reviews them
        return _escalate(case, rc.NO_TEMPLATE, template=name or "")
    context = templating.conversation_context(conv, slots_text=replies.slots_text(slots))
    context.update(extra)
    reply = replies.render(body, context)
    if reply.missing:
        return _escalate(case, MISSING_LISTING_FACT, missing=list(reply.missing))
    as_draft, reason = _send_mode(conv, rule)
    return reply.body, as_draft, reason


def _reply(case, kind, *, slots=(), extra=None, before=None, after=None, name=None, reason=None, details=None):
    """Write the reply. `before` (a booking) runs only once the text passed guardrails, and may answer
    differently by returning a Result; `after` (the outcome) runs once the reply exists."""
    conv, decision = case.conv, case.decision
    name = name or replies.template_name(kind, decision.intent)
    rule = replies.reply_rule(conv.account, decision.intent)
    prepared = _reply_text(case, kind, name, rule, slots, extra or {})
    if isinstance(prepared, Result):
        return prepared
    text, as_draft, mode_reason = prepared
    reason = reason if reason and mode_reason in (rc.AUTO_SEND, rc.DRAFT_ONLY) else mode_reason
    path = "ai_draft" if as_draft else "ai_auto_send"
    if before is None:
        return _write_reply(case, text, as_draft, path, reason, name, slots, after, details)
    try:
        with transaction.atomic():  # a savepoint: a refused booking or a late block undoes it all
            verdict = _guardrails(conv, text, path, case.worker)
            if verdict.blocked:
                return _blocked(case, verdict)  # a blocked decision books nothing
            answered_otherwise = before(case)
            if answered_otherwise is not None:
                return answered_otherwise
            return _write_reply(case, text, as_draft, path, reason, name, slots, after, details)
    except _Undo as undo:
        case.showing = None
        case.conv.refresh_from_db()
        return undo.fallback()


def _write_reply(case, text, as_draft, path, reason, name, slots, after, details):
    queued = outbox.create_outbound(
        case.conv, text, sender=Message.Sender.AI, path=path, actor=case.worker, as_draft=as_draft,
        offered_slots=[s.source_dict() for s in slots],
    )
    if queued.blocked:
        if case.showing is not None:  # cannot happen with a deterministic policy; never keep the booking
            raise _Undo(lambda: _blocked(case, queued.verdict))
        return _blocked(case, queued.verdict)
    result = Result(
        case.message.pk, DRAFT if as_draft else SEND, reason, case.decision, outbound=queued.message,
        showing=case.showing, slots_offered=len(slots), details=dict(details or {}, template=name or ""),
    )
    asks = name in ASKING_TEMPLATES
    # The outcome and the follow-up its question makes due are one workflow transition.
    applied = after(case, asks) if after is not None else False
    if asks and not applied:
        _schedule_follow_up(case)
    return result


def _guardrails(conv, text, path, worker):
    from guardrails.enforcement import enforce_outbound

    return enforce_outbound(
        text, path=path, actor=worker, conversation_id=conv.pk, platform=conv.account.platform,
        agent_id=conv.assigned_agent_id,
    )


def _blocked(case, verdict):
    return _escalate(
        case, rc.REPLY_BLOCKED_BY_GUARDRAILS,
        guardrail_categories=sorted(set(verdict.categories)), guardrail_rule_ids=list(verdict.rule_ids),
    )


# ---- audit ------------------------------------------------------------------------------------------------
def _event_kwargs(conv, worker):
    return {
        "platform": conv.account.platform, "agent_id": conv.assigned_agent_id, "conversation_id": conv.pk,
        "actor_kind": "worker", "actor_label": worker,
    }


def _audit_decision(conv, message, result, worker):
    decision = result.classification
    details = {
        "message_id": result.message_id,
        "provider": decision.provider if decision else "",
        "intent": decision.intent if decision else "",
        "outcome": decision.workflow_outcome if decision else "",
        "confidence": decision.confidence if decision else None,
        "risk": decision.risk_level if decision else "",
        "risk_flags": sorted(decision.risk_flags) if decision else [],
        "classifier_reason_code": decision.reason_code if decision else "",
        "reason_code": result.reason_code,
        "decision": result.decision,
        "slots_offered": result.slots_offered,
        "slot_source_kind": SLOT_SOURCE_KIND if result.slots_offered else "",
        "outbound_id": result.outbound.pk if result.outbound else None,
        "showing_id": result.showing.pk if result.showing else None,
        **{k: v for k, v in result.details.items() if k != "newly_queued"},
    }
    if decision is not None and decision.fell_back:
        details["fallback_reason"] = decision.fallback_reason
    audit.record("ai_reply_decision", entity_type="conversations.message", entity_id=result.message_id,
                 details=details, **_event_kwargs(conv, worker))
    if result.decision == ESCALATE and result.details.get("newly_queued"):
        audit.record(
            "ai_reply_human_required_queued", entity=conv, **_event_kwargs(conv, worker),
            details={"reason_code": result.reason_code, "message_id": result.message_id,
                     "intent": details["intent"], "provider": details["provider"]},
        )


def _audit_fallback(conv, message, configured, decision, worker):
    audit.record(
        "ai_provider_fallback", entity=message, **_event_kwargs(conv, worker),
        details={"provider": configured, "fallback_reason": decision.fallback_reason,
                 "fallback_provider": providers.HEURISTIC, "message_id": message.pk},
    )


# ---- the sweep and re-triage -------------------------------------------------------------------------------
def sweep(*, now=None, min_age_seconds=60, limit=500):
    """Re-enqueue inbound messages whose triage enqueue was lost, or whose claim went stale."""
    now = now or clock.now()
    due = Message.objects.filter(direction=INBOUND).filter(
        Q(triage_state=TriageState.PENDING, created_at__lte=now - dt.timedelta(seconds=min_age_seconds))
        | Q(triage_state=TriageState.CLAIMED, triage_claimed_at__lt=now - claim_ttl())
    ).order_by("created_at").values_list("pk", flat=True)[:limit]
    ids = list(due)
    for message_id in ids:
        ingestion.enqueue_triage(message_id)
    return ids


def retriage(message, *, user):
    """An admin asks for a message to be triaged again (the only way a message is triaged twice)."""
    with transaction.atomic():
        msg = Message.objects.select_for_update().select_related("conversation__account").get(pk=message.pk)
        if msg.direction != INBOUND:
            raise ValueError("Only inbound messages are triaged.")
        if msg.triage_state == TriageState.CLAIMED and msg.triage_claimed_at >= clock.now() - claim_ttl():
            raise ValueError("This message is being triaged right now.")
        before = msg.triage_state
        Message.objects.filter(pk=msg.pk).update(triage_state=TriageState.PENDING, triage_claimed_at=None)
        conv = msg.conversation
        audit.record(
            "ai_retriage_requested", actor=user, entity=msg, platform=conv.account.platform,
            agent_id=conv.assigned_agent_id, conversation_id=conv.pk,
            details={"from_state": before or "none", "message_id": msg.pk},
        )
        ingestion.enqueue_triage(msg.pk)
    return msg
