"""The showing lifecycle: every legal and illegal move, audits, the signal, and conflicts on re-entry."""

import datetime as dt
import itertools

import pytest

from leasebot.clock import utc
from leasebot.models import AuditEvent
from scheduling import showings
from scheduling.models import Showing
from scheduling.signals import showing_status_changed
from tests.scheduling.factories import make_agent_profile, make_showing, make_unit

pytestmark = pytest.mark.django_db

S = Showing.Status
LEGAL = {
    (S.PENDING, S.CONFIRMED), (S.PENDING, S.RESCHEDULE_REQUESTED), (S.PENDING, S.CANCELLED), (S.PENDING, S.NO_SHOW),
    (S.CONFIRMED, S.RESCHEDULE_REQUESTED), (S.CONFIRMED, S.CANCELLED), (S.CONFIRMED, S.COMPLETED),
    (S.CONFIRMED, S.NO_SHOW),
    (S.RESCHEDULE_REQUESTED, S.PENDING), (S.RESCHEDULE_REQUESTED, S.CONFIRMED),
    (S.RESCHEDULE_REQUESTED, S.CANCELLED), (S.RESCHEDULE_REQUESTED, S.NO_SHOW),
}
ALL_MOVES = [(a, b) for a, b in itertools.product(S, S) if a != b]
AT = utc(2027, 1, 8, 15, 0)


@pytest.fixture
def agent():
    return make_agent_profile()


@pytest.mark.parametrize(("from_status", "to_status"), sorted(LEGAL))
def test_it_allows_each_legal_move_and_audits_it(agent, admin_user, from_status, to_status):
    showing = make_showing(make_unit(), agent, AT, status=from_status)
    showings.transition(showing, to_status, actor=admin_user)
    showing.refresh_from_db()
    assert showing.status == to_status
    event = AuditEvent.objects.get(action="showing_state_changed")
    assert event.details["from"] == from_status and event.details["to"] == to_status
    assert event.actor_user == admin_user and event.agent_id == agent.pk


@pytest.mark.parametrize(("from_status", "to_status"), sorted(set(ALL_MOVES) - LEGAL))
def test_it_refuses_each_illegal_move(agent, from_status, to_status):
    showing = make_showing(make_unit(), agent, AT, status=from_status)
    with pytest.raises(showings.IllegalTransition):
        showings.transition(showing, to_status)
    showing.refresh_from_db()
    assert showing.status == from_status
    assert not AuditEvent.objects.filter(action="showing_state_changed").exists()


def test_terminal_statuses_have_no_way_out():
    assert showings.TERMINAL == {S.CANCELLED, S.COMPLETED, S.NO_SHOW}


def test_it_reads_the_current_status_not_a_stale_copy(agent):
    showing = make_showing(make_unit(), agent, AT, status="confirmed")
    stale = Showing.objects.get(pk=showing.pk)
    showings.transition(showing, "cancelled")
    with pytest.raises(showings.IllegalTransition):
        showings.transition(stale, "completed")


def test_it_sends_the_status_changed_signal_for_higher_apps(agent):
    received = []

    def receiver(sender, showing, from_status, to_status, actor, **kwargs):
        received.append((showing.pk, from_status, to_status))

    showing_status_changed.connect(receiver)
    try:
        showing = make_showing(make_unit(), agent, AT, status="pending")
        showings.transition(showing, "confirmed")
    finally:
        showing_status_changed.disconnect(receiver)
    assert received == [(showing.pk, "pending", "confirmed")]


def test_re_entering_a_live_status_at_a_conflicting_time_fails(agent):
    showing = make_showing(make_unit(), agent, AT, status="reschedule_requested")
    make_showing(make_unit(), agent, AT + dt.timedelta(hours=2), status="confirmed")
    with pytest.raises(showings.ShowingConflict):
        showings.transition(showing, "confirmed", starts_at=AT + dt.timedelta(hours=2, minutes=15))
    showing.refresh_from_db()
    assert showing.status == "reschedule_requested" and showing.starts_at == AT
    assert not AuditEvent.objects.filter(action="showing_state_changed").exists()


def test_re_entering_a_live_status_at_a_free_time_moves_the_showing(agent):
    showing = make_showing(make_unit(), agent, AT, status="reschedule_requested")
    new_time = AT + dt.timedelta(days=1)
    showings.transition(showing, "pending", starts_at=new_time)
    showing.refresh_from_db()
    assert (showing.status, showing.starts_at, showing.ends_at) == ("pending", new_time, new_time + dt.timedelta(minutes=30))


def test_re_entering_a_live_status_into_a_full_group_fails(agent):
    unit = make_unit(group_capacity=1)
    showing = make_showing(unit, agent, AT, status="reschedule_requested")
    make_showing(unit, make_agent_profile(), AT + dt.timedelta(hours=1), status="confirmed")
    with pytest.raises(showings.ShowingConflict):
        showings.transition(showing, "confirmed", starts_at=AT + dt.timedelta(hours=1))


def test_only_a_reschedule_may_move_the_time(agent):
    showing = make_showing(make_unit(), agent, AT, status="pending")
    with pytest.raises(showings.IllegalTransition):
        showings.transition(showing, "confirmed", starts_at=AT + dt.timedelta(hours=3))


def test_a_reschedule_onto_a_day_at_the_agents_cap_fails():
    agent = make_agent_profile(daily_showing_cap=1)
    showing = make_showing(make_unit(), agent, AT, status="reschedule_requested")
    saturday = AT + dt.timedelta(days=1)
    make_showing(make_unit(), agent, saturday + dt.timedelta(hours=2), status="confirmed")
    with pytest.raises(showings.ShowingConflict, match="daily cap"):
        showings.transition(showing, "confirmed", starts_at=saturday)
    showing.refresh_from_db()
    assert showing.status == "reschedule_requested" and showing.starts_at == AT
    assert not AuditEvent.objects.filter(action="showing_state_changed").exists()


def test_a_reschedule_onto_a_day_at_the_site_cap_fails_when_the_agent_has_none(agent, settings):
    settings.LEASEBOT_SLOT_DAILY_CAP = 1
    showing = make_showing(make_unit(), agent, AT, status="reschedule_requested")
    saturday = AT + dt.timedelta(days=1)
    make_showing(make_unit(), agent, saturday + dt.timedelta(hours=2), status="pending")
    with pytest.raises(showings.ShowingConflict):
        showings.transition(showing, "pending", starts_at=saturday)


def test_a_reschedule_within_the_same_day_keeps_the_days_count_and_is_allowed():
    agent = make_agent_profile(daily_showing_cap=2)
    showing = make_showing(make_unit(), agent, AT, status="reschedule_requested")
    make_showing(make_unit(), agent, AT + dt.timedelta(hours=1), status="confirmed")
    showings.transition(showing, "confirmed", starts_at=AT + dt.timedelta(hours=3))
    showing.refresh_from_db()
    assert (showing.status, showing.starts_at) == ("confirmed", AT + dt.timedelta(hours=3))


def test_the_daily_cap_counts_the_agents_local_day_not_utcs():
    agent = make_agent_profile(daily_showing_cap=1, timezone="America/Los_Angeles")
    showing = make_showing(make_unit(), agent, AT, status="reschedule_requested")
    # The agent's Saturday is full, and Saturday 23:00 in Los Angeles is already Sunday in UTC.
    make_showing(make_unit(), agent, utc(2027, 1, 9, 18, 0), status="confirmed")
    with pytest.raises(showings.ShowingConflict):
        showings.transition(showing, "confirmed", starts_at=utc(2027, 1, 10, 7, 0))
    # Sunday morning in Los Angeles is free.
    showings.transition(showing, "confirmed", starts_at=utc(2027, 1, 10, 17, 0))


def test_showings_that_are_no_longer_live_do_not_count_towards_the_cap():
    agent = make_agent_profile(daily_showing_cap=1)
    showing = make_showing(make_unit(), agent, AT, status="reschedule_requested")
    saturday = AT + dt.timedelta(days=1)
    make_showing(make_unit(), agent, saturday + dt.timedelta(hours=2), status="cancelled")
    showings.transition(showing, "confirmed", starts_at=saturday)
