"""Booking a showing from an offered slot: re-validated, idempotent, and refused by the database if raced."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from leasebot import audit, clock
from scheduling import showings, slots
from scheduling.models import AgentProfile, Showing, Unit
from scheduling.signals import showing_booked


@dataclass(frozen=True)
class Lead:
    name: str = ""
    contact: str = ""


@dataclass
class Booked:
    showing: Showing
    replayed: bool = False
    ok = True


@dataclass
class SlotTaken:
    """The slot can no longer be booked; `alternatives` are what the lead can be offered instead."""

    reason: str  # "agent_busy" | "unit_full" | "agent_day_full" | "unavailable"
    alternatives: list = field(default_factory=list)
    ok = False


@dataclass
class IdempotencyConflict:
    """The key was already used for a different request; nothing was booked."""

    showing: Showing
    ok = False


def _lead(lead):
    if isinstance(lead, Lead):
        return lead
    if isinstance(lead, dict):
        return Lead(name=lead.get("name", ""), contact=lead.get("contact", ""))
    return Lead(name=getattr(lead, "name", "") or "", contact=getattr(lead, "contact", "") or "")


def fingerprint(unit, slot, lead, source):
    request = {
        "unit_id": unit.pk,
        "agent_id": slot.agent_id,
        "starts_at": slot.starts_at.astimezone(dt.UTC).isoformat(),
        "lead_name": lead.name,
        "lead_contact": lead.contact,
        "source": str(source),
    }
    return hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()


def book(unit, slot, idempotency_key, lead, source, *, actor=None, notes="", moving=None):
    """Book `slot` of `unit` once per `idempotency_key`; returns Booked, SlotTaken or IdempotencyConflict.

    Runs in its own transaction (a savepoint if the caller has one). The unit row is locked so group
    capacity is counted without races, then the agent's row so bookings of other units cannot both take
    the agent's last showing of a day (always unit before agent, as `showings.transition` does, so the
    two cannot deadlock). The agent's overlap with other units is left to the database's exclusion
    constraint, whose refusal becomes SlotTaken with fresh alternatives.

    moving: the id of the lead's live showing that this booking replaces. Its time counts as free, so the
    lead can move within a full day or onto an overlapping time, and it is cancelled in the same savepoint
    the new showing is made in: either the move happens or nothing does.
    """
    lead = _lead(lead)
    source = Showing.Source(source)
    request_fingerprint = fingerprint(unit, slot, lead, source)
    details = {"slot_source": slot.source_dict(), "source": source.value, "unit_id": unit.pk}
    try:
        with transaction.atomic():
            locked_unit = Unit.objects.select_for_update().get(pk=unit.pk)
            existing = Showing.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return _replay(existing, request_fingerprint, actor, details)
            # The slot is recomputed after the lock, from showings committed before it: that is the
            # daily cap's re-check (the slot engine skips an agent's full days).
            _lock_agent(slot.agent_id)
            made = _create(locked_unit, slot, idempotency_key, lead, source, request_fingerprint, notes,
                           moving=moving, actor=actor)
            if made is not None:
                showing, current = made
                details["slot_source"] = current.source_dict()
                if moving is not None:
                    details["moved_from_showing_id"] = moving
                audit.record("showing_booking_created", actor=actor, entity=showing,
                             agent_id=showing.agent_id, details=details)
                showing_booked.send(sender=Showing, showing=showing, slot=current, source=source.value)
                return Booked(showing)
            refusal = "unavailable"
    except IntegrityError:
        # Either a parallel request with the same key won, or the agent got booked elsewhere meanwhile.
        existing = Showing.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replay(existing, request_fingerprint, actor, details)
        refusal = "agent_busy"

    action = "showing_booking_failed" if refusal == "unavailable" else "showing_booking_conflict"
    return _refuse(unit, slot, refusal, action, actor, details, moving=moving)


class _Gone(Exception):
    """The slot is not there once the moving showing is released: undo the release."""


def _create(unit, slot, idempotency_key, lead, source, request_fingerprint, notes, *, moving, actor):
    """(the new showing, the slot as recomputed), or None if the slot has gone."""
    if moving is None:  # nothing to undo, so no savepoint
        return _insert(unit, slot, idempotency_key, lead, source, request_fingerprint, notes)
    try:
        with transaction.atomic():
            _release(moving, actor)
            made = _insert(unit, slot, idempotency_key, lead, source, request_fingerprint, notes)
            if made is None:
                raise _Gone
            return made
    except _Gone:
        return None


def _insert(unit, slot, idempotency_key, lead, source, request_fingerprint, notes):
    current = _current_slot(unit, slot)
    if current is None:
        return None
    showing = Showing.objects.create(
        unit=unit, agent_id=current.agent_id, starts_at=current.starts_at,
        ends_at=current.ends_at, timezone=unit.timezone, status=Showing.Status.PENDING,
        idempotency_key=idempotency_key, source=source, lead_name=lead.name,
        lead_contact=lead.contact, slot_source=current.source_dict(),
        request_fingerprint=request_fingerprint, notes=notes,
    )
    return showing, current


def _release(moving, actor):
    """Cancel the showing being moved, if it is still live (one that was completed or cancelled
    meanwhile is left as it is)."""
    if moving is None:
        return
    old = Showing.objects.select_for_update().filter(pk=moving).first()
    if old is not None and old.status in Showing.LIVE_STATUSES:
        showings.transition(old, Showing.Status.CANCELLED, actor=actor, reason="rescheduled")


def find_slot(unit, agent_id, starts_at):
    """The slot `agent_id` could take at `starts_at` for `unit` right now, or None."""
    for option in slots.candidates(unit, clock.now(), agent_id=agent_id, dedupe=False):
        if option.starts_at == starts_at:
            return option
        if option.starts_at > starts_at:
            break
    return None


def _lock_agent(agent_id):
    # filter(), not get(): a slot naming an unknown agent is simply gone, which _current_slot reports.
    list(AgentProfile.objects.select_for_update().filter(pk=agent_id).values_list("pk", flat=True))


def _current_slot(unit, slot):
    """The slot as it would be offered now for the same agent, or None if it has gone."""
    if slot.unit_id != unit.pk:
        return None
    return find_slot(unit, slot.agent_id, slot.starts_at)


def _why_gone(unit, slot, moving):
    """Tell a full group, a busy agent and an agent's full day apart from a slot that vanished for
    availability reasons (the showing being moved does not count)."""
    live = Showing.objects.filter(status__in=Showing.LIVE_STATUSES).exclude(pk=moving)
    overlapping = live.filter(unit_id=unit.pk, starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at).count()
    if overlapping >= unit.group_capacity:
        return "unit_full"
    busy = live.filter(
        agent_id=slot.agent_id, starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at
    ).exclude(unit_id=unit.pk).exists()
    if busy:
        return "agent_busy"
    agent = AgentProfile.objects.filter(pk=slot.agent_id).first()
    if agent is not None and showings.agent_day_is_full(agent, slot.starts_at, exclude_pk=moving):
        return "agent_day_full"
    return "unavailable"


def _refuse(unit, slot, refusal, action, actor, details, *, moving=None):
    if refusal == "unavailable":
        refusal = _why_gone(unit, slot, moving)
        if refusal != "unavailable":
            action = "showing_booking_conflict"
    alternatives = slots.candidates(
        unit, clock.now(), limit=slots.setting("ALTERNATIVES"), spread=True, moving=moving
    )
    audit.record(
        action, actor=actor, entity_type="scheduling.unit", entity_id=unit.pk, agent_id=slot.agent_id,
        details={**details, "reason_code": refusal, "alternative_count": len(alternatives)},
    )
    return SlotTaken(reason=refusal, alternatives=alternatives)


def _replay(existing, request_fingerprint, actor, details):
    if existing.request_fingerprint == request_fingerprint:
        audit.record("showing_booking_replayed", actor=actor, entity=existing, agent_id=existing.agent_id,
                     details=details)
        return Booked(existing, replayed=True)
    audit.record("showing_booking_idempotency_conflict", actor=actor, entity=existing,
                 agent_id=existing.agent_id, details=details)
    return IdempotencyConflict(existing)
