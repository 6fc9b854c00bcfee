"""Booking: re-validation, idempotency, audits, and the database refusing races."""

import datetime as dt
import threading

import pytest
from django.db import connection

from leasebot import clock
from leasebot.clock import utc
from leasebot.models import AuditEvent
from scheduling import booking, showings, slots
from scheduling.models import Showing
from tests.scheduling.factories import assign, block, make_agent_profile, make_showing, make_unit, weekly

NOW = utc(2027, 1, 6, 15, 0)  # Wednesday 10:00 New York
LEAD = booking.Lead(name="Robin Lead", contact="robin@example.test")


@pytest.fixture
def frozen():
    clock.set_frozen(NOW)
    yield NOW
    clock.set_frozen(None)


def setup_unit(agent=None, **unit_fields):
    unit = make_unit(**unit_fields)
    weekly(unit, "10:00", "12:00")
    if agent is None:
        agent = make_agent_profile()
        weekly(agent, "09:00", "17:00")
    assign(unit, agent)
    return unit, agent


def first_slot(unit):
    return slots.candidates(unit, clock.now())[0]


@pytest.mark.django_db
def test_it_books_a_pending_showing_with_its_slot_source(frozen):
    unit, agent = setup_unit()
    slot = first_slot(unit)
    result = booking.book(unit, slot, "key-1", LEAD, "lead_selection")
    assert isinstance(result, booking.Booked) and not result.replayed
    showing = result.showing
    assert (showing.agent_id, showing.starts_at, showing.status) == (agent.pk, slot.starts_at, "pending")
    assert showing.slot_source["assignment"]["id"] == slot.assignment_id
    assert showing.lead_name == "Robin Lead" and showing.timezone == unit.timezone
    event = AuditEvent.objects.get(action="showing_booking_created")
    assert event.agent_id == agent.pk and event.entity_id == str(showing.pk)
    assert event.details["slot_source"]["unit_window"]["start"] == "10:00"
    assert "robin@example.test" not in str(event.details)


@pytest.mark.django_db
def test_the_same_key_and_request_replays_the_same_showing(frozen):
    unit, _ = setup_unit()
    slot = first_slot(unit)
    first = booking.book(unit, slot, "key-1", LEAD, "lead_selection")
    again = booking.book(unit, slot, "key-1", LEAD, "lead_selection")
    assert again.replayed and again.showing.pk == first.showing.pk
    assert Showing.objects.count() == 1
    assert AuditEvent.objects.filter(action="showing_booking_replayed").count() == 1


@pytest.mark.django_db
def test_the_same_key_with_a_different_request_is_refused(frozen):
    unit, _ = setup_unit()
    options = slots.candidates(unit, clock.now())
    booking.book(unit, options[0], "key-1", LEAD, "lead_selection")
    result = booking.book(unit, options[1], "key-1", LEAD, "lead_selection")
    assert isinstance(result, booking.IdempotencyConflict) and not result.ok
    assert Showing.objects.count() == 1
    assert AuditEvent.objects.filter(action="showing_booking_idempotency_conflict").count() == 1


@pytest.mark.django_db
def test_a_slot_that_is_gone_is_refused_with_alternatives(frozen):
    unit, agent = setup_unit()
    slot = first_slot(unit)
    block(agent, slot.starts_at, slot.ends_at)  # availability changed since the offer
    result = booking.book(unit, slot, "key-1", LEAD, "lead_selection")
    assert isinstance(result, booking.SlotTaken) and result.reason == "unavailable"
    assert result.alternatives and slot.starts_at not in [s.starts_at for s in result.alternatives]
    assert Showing.objects.count() == 0
    event = AuditEvent.objects.get(action="showing_booking_failed")
    assert event.details["reason_code"] == "unavailable"
    assert event.details["slot_source"]["assignment"]["id"] == slot.assignment_id


@pytest.mark.django_db
def test_a_slot_whose_agent_got_booked_elsewhere_is_a_conflict(frozen):
    unit, agent = setup_unit()
    slot = first_slot(unit)
    make_showing(make_unit(), agent, slot.starts_at)
    result = booking.book(unit, slot, "key-1", LEAD, "lead_selection")
    assert isinstance(result, booking.SlotTaken) and result.reason == "agent_busy"
    assert AuditEvent.objects.filter(action="showing_booking_conflict").count() == 1


@pytest.mark.django_db
def test_group_capacity_lets_leads_share_a_time_until_full(frozen):
    unit, _ = setup_unit(group_capacity=2)
    slot = first_slot(unit)
    assert booking.book(unit, slot, "a", booking.Lead("A"), "lead_selection").ok
    assert booking.book(unit, slot, "b", booking.Lead("B"), "lead_selection").ok
    third = booking.book(unit, slot, "c", booking.Lead("C"), "lead_selection")
    assert isinstance(third, booking.SlotTaken) and third.reason == "unit_full"
    assert Showing.objects.filter(starts_at=slot.starts_at).count() == 2


@pytest.mark.django_db
def test_a_slot_past_the_minimum_notice_is_refused(frozen):
    unit, _ = setup_unit()
    slot = first_slot(unit)
    with clock.frozen(slot.starts_at - dt.timedelta(minutes=30)):
        result = booking.book(unit, slot, "late", LEAD, "lead_selection")
    assert isinstance(result, booking.SlotTaken)


def _in_threads(count, work):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(index):
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_bookings_of_one_agent_at_one_time_book_exactly_one():
    clock.set_frozen(NOW)
    try:
        agent = make_agent_profile()
        weekly(agent, "09:00", "17:00")
        units = [setup_unit(agent=agent)[0] for _ in range(20)]
        offers = [first_slot(unit) for unit in units]
        assert len({offer.starts_at for offer in offers}) == 1

        results = _in_threads(
            20, lambda i: booking.book(units[i], offers[i], f"parallel-{i}", LEAD, "lead_selection")
        )
    finally:
        clock.set_frozen(None)
    booked = [r for r in results if isinstance(r, booking.Booked)]
    taken = [r for r in results if isinstance(r, booking.SlotTaken)]
    assert len(booked) == 1 and len(taken) == 19
    assert all(r.alternatives for r in taken)
    assert all(offers[0].starts_at not in [a.starts_at for a in r.alternatives] for r in taken)
    assert Showing.objects.filter(agent=agent, status="pending").count() == 1
    assert AuditEvent.objects.filter(action="showing_booking_conflict").count() == 19


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_requests_with_one_key_make_one_showing():
    clock.set_frozen(NOW)
    try:
        unit, _ = setup_unit()
        offer = first_slot(unit)
        results = _in_threads(10, lambda i: booking.book(unit, offer, "same-key", LEAD, "lead_selection"))
    finally:
        clock.set_frozen(None)
    assert all(isinstance(r, booking.Booked) for r in results)
    assert len({r.showing.pk for r in results}) == 1
    assert sum(1 for r in results if not r.replayed) == 1
    assert Showing.objects.count() == 1
    assert AuditEvent.objects.filter(action="showing_booking_replayed").count() == 9


THURSDAY = dt.date(2027, 1, 7)


def _first_slot_on(unit, day):
    zone = unit.zone
    return next(s for s in slots.candidates(unit, clock.now()) if s.starts_at.astimezone(zone).date() == day)


def _agent_with_one_showing_left_on_thursday():
    agent = make_agent_profile(daily_showing_cap=2)
    weekly(agent, "09:00", "17:00")
    make_showing(make_unit(), agent, utc(2027, 1, 7, 21, 30))  # Thursday 16:30 New York
    return agent


def _live_on_thursday(agent):
    return Showing.objects.filter(  # New York's Thursday, in UTC
        agent=agent, status__in=Showing.LIVE_STATUSES, starts_at__gte=utc(2027, 1, 7, 5), starts_at__lt=utc(2027, 1, 8, 5)
    )


@pytest.mark.django_db(transaction=True)
def test_two_units_racing_for_an_agents_last_slot_of_the_day_book_exactly_one(frozen):
    agent = _agent_with_one_showing_left_on_thursday()
    units = [make_unit(), make_unit()]
    weekly(units[0], "10:00", "12:00")
    weekly(units[1], "14:00", "16:00")
    for unit in units:
        assign(unit, agent)
    offers = [_first_slot_on(unit, THURSDAY) for unit in units]
    assert offers[0].starts_at != offers[1].starts_at  # the overlap constraint cannot decide this race

    results = _in_threads(2, lambda i: booking.book(units[i], offers[i], f"cap-{i}", LEAD, "lead_selection"))

    booked = [r for r in results if isinstance(r, booking.Booked)]
    taken = [r for r in results if isinstance(r, booking.SlotTaken)]
    assert len(booked) == 1 and len(taken) == 1
    assert taken[0].reason == "agent_day_full"
    assert taken[0].alternatives
    assert all(a.starts_at.astimezone(agent.zone).date() != THURSDAY for a in taken[0].alternatives)
    assert _live_on_thursday(agent).count() == 2
    event = AuditEvent.objects.get(action="showing_booking_conflict")
    assert event.details["reason_code"] == "agent_day_full"


@pytest.mark.django_db(transaction=True)
def test_a_reschedule_and_a_booking_racing_for_an_agents_last_slot_of_the_day_leave_one_winner(frozen):
    agent = _agent_with_one_showing_left_on_thursday()
    unit = setup_unit(agent=agent)[0]
    moving = make_showing(make_unit(), agent, utc(2027, 1, 8, 15, 0), status="reschedule_requested")
    offer = _first_slot_on(unit, THURSDAY)

    def work(index):
        if index == 0:
            return booking.book(unit, offer, "cap-book", LEAD, "lead_selection")
        try:
            return showings.transition(moving, "confirmed", starts_at=utc(2027, 1, 7, 19, 0))
        except showings.ShowingConflict as refusal:
            return refusal

    booked, moved = _in_threads(2, work)

    assert isinstance(booked, booking.Booked | booking.SlotTaken)
    assert isinstance(moved, Showing | showings.ShowingConflict)
    assert isinstance(booked, booking.Booked) != isinstance(moved, Showing)
    assert _live_on_thursday(agent).count() == 2


def _lead_moving_within_a_full_thursday():
    """The agent's Thursday is full (cap 2): another lead at 16:30 and our lead's 10:00, which they asked
    to move."""
    agent = _agent_with_one_showing_left_on_thursday()
    unit = setup_unit(agent=agent)[0]
    theirs = make_showing(unit, agent, utc(2027, 1, 7, 15, 0), status="reschedule_requested")  # Thu 10:00
    return unit, agent, theirs


@pytest.mark.django_db
def test_a_lead_moves_their_showing_within_the_agent_s_full_day(frozen):
    unit, agent, theirs = _lead_moving_within_a_full_thursday()
    assert all(s.starts_at.astimezone(agent.zone).date() != THURSDAY for s in slots.candidates(unit, clock.now()))
    offer = _first_slot_on_moving(unit, THURSDAY, theirs)
    assert offer.starts_at == utc(2027, 1, 7, 15, 0)  # their own time is free to them again

    later = [s for s in slots.candidates(unit, clock.now(), moving=theirs.pk) if s.starts_at > offer.starts_at][0]
    result = booking.book(unit, later, "move-1", LEAD, "lead_selection", moving=theirs.pk)

    assert isinstance(result, booking.Booked)
    assert Showing.objects.get(pk=theirs.pk).status == "cancelled"
    assert _live_on_thursday(agent).count() == 2
    created = AuditEvent.objects.get(action="showing_booking_created")
    assert created.details["moved_from_showing_id"] == theirs.pk
    assert AuditEvent.objects.filter(action="showing_state_changed", entity_id=str(theirs.pk),
                                     details__reason_code="rescheduled").exists()


@pytest.mark.django_db
def test_a_lead_can_move_back_to_the_time_they_asked_to_move(frozen):
    unit, _agent, theirs = _lead_moving_within_a_full_thursday()
    same = _first_slot_on_moving(unit, THURSDAY, theirs)

    refused = booking.book(unit, same, "move-0", LEAD, "lead_selection")
    assert isinstance(refused, booking.SlotTaken) and refused.reason == "unit_full"

    result = booking.book(unit, same, "move-1", LEAD, "lead_selection", moving=theirs.pk)
    assert isinstance(result, booking.Booked) and result.showing.starts_at == theirs.starts_at


@pytest.mark.django_db
def test_a_refused_move_leaves_the_showing_to_move_as_it_was(frozen):
    unit, agent, theirs = _lead_moving_within_a_full_thursday()
    offer = _first_slot_on_moving(unit, THURSDAY, theirs)
    block(unit, offer.starts_at, offer.ends_at)  # the time goes before the lead's pick arrives

    result = booking.book(unit, offer, "move-1", LEAD, "lead_selection", moving=theirs.pk)

    assert isinstance(result, booking.SlotTaken) and result.reason == "unavailable"
    assert Showing.objects.get(pk=theirs.pk).status == "reschedule_requested"
    assert not AuditEvent.objects.filter(action="showing_state_changed").exists()
    # The alternatives are what the lead may move to: their own day still counts as open to them.
    assert any(a.starts_at.astimezone(agent.zone).date() == THURSDAY for a in result.alternatives)


@pytest.mark.django_db
def test_a_showing_that_ended_meanwhile_is_left_as_it_is_by_a_move(frozen):
    unit, _agent, theirs = _lead_moving_within_a_full_thursday()
    showings.transition(theirs, "cancelled")  # the agent cancelled it
    offer = slots.candidates(unit, clock.now())[0]

    result = booking.book(unit, offer, "move-1", LEAD, "lead_selection", moving=theirs.pk)

    assert isinstance(result, booking.Booked)
    assert AuditEvent.objects.filter(action="showing_state_changed", entity_id=str(theirs.pk)).count() == 1


def _first_slot_on_moving(unit, day, moving):
    zone = unit.zone
    return next(
        s for s in slots.candidates(unit, clock.now(), moving=moving.pk) if s.starts_at.astimezone(zone).date() == day
    )
