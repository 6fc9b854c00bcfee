"""Showings from a conversation: offering times, booking a pick, and keeping both sides in step."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from conversations import workflow
from conversations.models import Outcome
from leasebot import clock
from scheduling import booking, slots
from scheduling import showings as showing_lifecycle
from scheduling.models import Showing

LIVE = Showing.LIVE_STATUSES


def moving_showing(conv):
    """The id of the lead's live showing, which any new pick moves (a conversation holds one showing):
    its time is theirs to move into, not taken."""
    if conv.current_showing_id is not None and conv.showing_state in LIVE:
        return conv.current_showing_id
    return None


def _own_start(conv):
    """The start of the showing being moved: never offered again (the lead is moving away from it)."""
    return conv.current_showing.starts_at if moving_showing(conv) is not None else None


def _offerable(found, own_start, limit):
    if own_start is not None:
        found = [slot for slot in found if slot.starts_at != own_start]
    return found[:limit]


def next_slots(conv, *, limit=5):
    if conv.unit_id is None or not conv.unit.active:
        return []
    found = slots.candidates(conv.unit, clock.now(), limit=limit + 1, moving=moving_showing(conv))
    return _offerable(found, _own_start(conv), limit)


class SlotPool:
    """`next_slots(conv, limit=limit)` read once (same instant, same rows) but computed only as far as
    asked: `first(n)` is its first n slots, `all()` the whole list. Most messages need only the first
    few, and the engine stops early for those."""

    def __init__(self, conv, *, limit):
        self.limit, self.now = limit, clock.now()
        self.spread = slots.setting("SPREAD_DAYS")
        active = conv.unit_id is not None and conv.unit.active
        self.plan = slots.load_plan(conv.unit, self.now, moving=moving_showing(conv)) if active else None
        self.own_start = _own_start(conv) if active else None
        self._all = None

    def all(self):
        if self._all is None:
            self._all = [] if self.plan is None else self._compute(self.limit)
        return self._all

    def first(self, n):
        if self._all is not None or self.spread:  # a spread list's head is not a shorter spread list
            return self.all()[:n]
        return [] if self.plan is None else self._compute(min(n, self.limit))

    def _compute(self, limit):
        found = slots.compute(self.plan, self.now, limit=limit + 1, spread=self.spread)
        return _offerable(found, self.own_start, limit)


@dataclass
class BookingOutcome:
    ok: bool
    message: str
    showing: Showing | None = None
    alternatives: tuple = ()


def booking_key(conv, slot):
    return f"conv-{conv.pk}-agent-{slot.agent_id}-{slot.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M}"


def book_slot(conv, slot, *, actor, source, cause):
    """Book `slot` for the conversation's lead and move the conversation to showing_confirmed; the lead's
    live showing, if any, moves to the new time (booking.book's `moving`)."""
    with transaction.atomic():
        conv = workflow.hold(conv)
        lead = booking.Lead(
            name=conv.lead_name, contact=conv.lead_contact or f"{conv.account.platform}:{conv.external_thread_id}"
        )
        result = booking.book(conv.unit, slot, booking_key(conv, slot), lead, source, actor=_user(actor),
                              moving=moving_showing(conv))
        if not result.ok:
            alternatives = tuple(getattr(result, "alternatives", ()) or ())
            return BookingOutcome(False, "That time was just taken. Here are the next ones.", None, alternatives)
        showing = result.showing
        if showing.status == Showing.Status.PENDING:
            showing = showing_lifecycle.transition(showing, Showing.Status.CONFIRMED, actor=_user(actor), reason=cause)
        _supersede_previous(conv, showing, actor=actor)
        workflow.link_showing(conv, showing, actor=actor, cause=cause)
        workflow.apply_outcome(conv, Outcome.SHOWING_CONFIRMED, actor=actor, cause=cause)
    return BookingOutcome(True, "Showing booked.", showing)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _supersede_previous(conv, new_showing, *, actor):
    """A new pick replaces the lead's earlier live showing (a reschedule moves the booking)."""
    old = conv.current_showing
    if old is None or old.pk == new_showing.pk:
        return
    old.refresh_from_db()
    if old.status in LIVE:
        showing_lifecycle.transition(old, Showing.Status.CANCELLED, actor=_user(actor), reason="rescheduled")


def book_for_lead(conv, *, starts_at, agent_id, user):
    """An agent books one of the offered times on the lead's behalf (the slot is recomputed, never trusted)."""
    if conv.opted_out:
        return BookingOutcome(False, "This lead opted out.")
    matching = [s for s in next_slots(conv, limit=50) if s.starts_at == starts_at and s.agent_id == agent_id]
    if not matching:
        return BookingOutcome(False, "That time is no longer available. Pick another one.")
    try:
        return book_slot(conv, matching[0], actor=user, source=Showing.Source.AGENT, cause="agent_booked")
    except workflow.WorkflowError as error:
        return BookingOutcome(False, str(error))


def apply_agent_outcome(conv, outcome, *, user):
    """An agent's one-tap outcome, with what it means for the showing."""
    with transaction.atomic():
        showing = conv.current_showing
        if showing is not None:
            showing.refresh_from_db()
        target = {
            Outcome.NO_SHOW: Showing.Status.NO_SHOW,
            Outcome.COMPLETED: Showing.Status.COMPLETED,
            Outcome.NOT_INTERESTED: Showing.Status.CANCELLED,
            Outcome.WANTS_RESCHEDULE: Showing.Status.RESCHEDULE_REQUESTED,
        }.get(outcome)
        if outcome in (Outcome.NO_SHOW, Outcome.COMPLETED) and (showing is None or showing.status not in LIVE):
            raise workflow.WorkflowError("needs_showing", "There is no live showing to mark.")
        if showing is not None and target and showing.status in LIVE and showing.status != target:
            try:
                showing_lifecycle.transition(showing, target, actor=user, reason=f"agent_{outcome}")
            except showing_lifecycle.IllegalTransition as error:
                raise workflow.WorkflowError("illegal_showing_move", str(error)) from None
        conv.refresh_from_db()
        return workflow.apply_outcome(conv, outcome, actor=user, cause="agent_one_tap")


def on_showing_status_changed(sender, showing, **kwargs):
    workflow.mirror_showing_state(showing)
