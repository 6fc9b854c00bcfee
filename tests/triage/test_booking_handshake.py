"""Offer -> pick -> booked -> confirmation, end to end on real Postgres; taken slots, reschedules, closes."""

import datetime as dt

import pytest

from conversations import showings as conversation_showings
from conversations.models import ReplyTemplate
from leasebot.models import AuditEvent
from scheduling.models import Showing
from scheduling.slots import Slot
from tests.scheduling.factories import make_showing, make_unit, weekly
from tests.triage.pipeline_factories import (
    decision_events,
    delivered,
    lead_says,
    make_thread,
    outbound,
    triage,
)

pytestmark = [pytest.mark.django_db]


def _offer(conv, body="Hi! Is the room available? Can I come and see it?"):
    result = triage(lead_says(conv, body, minutes_ago=10))
    assert result.decision in ("send", "draft") and result.slots_offered == 3
    offer = result.outbound
    if offer.status == "queued":
        delivered(offer)
    offer.refresh_from_db()
    return [Slot.from_source(source) for source in offer.offered_slots]


def _showings(conv):
    return list(Showing.objects.filter(lead_name=conv.lead_name, unit=conv.unit).order_by("pk"))


def test_a_lead_picking_an_offered_slot_is_booked_and_gets_a_confirmation(frozen_now):
    conv = make_thread()
    offered = _offer(conv)
    result = triage(lead_says(conv, "The second one works for me, thanks!"))
    assert result.decision == "send" and result.classification.selected_slot_index == 2
    [showing] = _showings(conv)
    assert showing.status == "confirmed" and showing.source == "lead_selection"
    assert showing.starts_at == offered[1].starts_at and showing.agent_id == offered[1].agent_id
    assert showing.idempotency_key == conversation_showings.booking_key(conv, offered[1])
    conv.refresh_from_db()
    assert conv.current_showing_id == showing.pk and conv.showing_state == "confirmed"
    assert conv.workflow_state == "showing" and conv.workflow_outcome == "showing_confirmed"
    assert conv.follow_up_status != "pending"  # a booked showing cancels the pending follow-up
    confirmation = result.outbound
    assert confirmation.status == "queued" and "Wed Jan 6, 12:30 PM EST" in confirmation.body
    assert decision_events(conv)[-1].details["showing_id"] == showing.pk


def test_a_pick_in_natural_words_is_matched_in_the_units_time_zone(frozen_now):
    conv = make_thread()
    offered = _offer(conv)
    triage(lead_says(conv, "1pm today is good"))
    [showing] = _showings(conv)
    assert showing.starts_at == offered[2].starts_at


def test_a_pick_of_a_slot_taken_meanwhile_apologises_and_offers_alternatives(frozen_now):
    conv = make_thread()
    offered = _offer(conv)
    # Meanwhile the agent was booked for another unit at the second time.
    other_unit = make_unit()
    weekly(other_unit, "10:00", "18:00")
    make_showing(other_unit, conv.assigned_agent, offered[1].starts_at)
    result = triage(lead_says(conv, "Option 2 please"))
    assert _showings(conv) == []
    reply = result.outbound
    assert result.decision == "send" and reply.status == "queued" and reply.body.startswith("Sorry Sam")
    alternatives = [source["starts_at"] for source in reply.offered_slots]
    assert 1 <= len(alternatives) <= 3 and offered[1].starts_at.isoformat() not in alternatives
    assert result.details["slot_taken"] is True and result.slots_offered == len(alternatives)
    conv.refresh_from_db()
    assert conv.current_showing is None and conv.workflow_outcome == "general_question"
    assert conv.follow_up_status == "pending"
    assert AuditEvent.objects.filter(action="showing_booking_conflict").exists()


def test_the_lead_can_then_pick_one_of_the_alternatives(frozen_now):
    conv = make_thread()
    offered = _offer(conv)
    make_showing(make_unit(), conv.assigned_agent, offered[0].starts_at)
    taken_reply = triage(lead_says(conv, "the first one", minutes_ago=5)).outbound
    delivered(taken_reply)
    alternatives = [Slot.from_source(s) for s in taken_reply.offered_slots]
    triage(lead_says(conv, "ok the first of those then"))
    [showing] = _showings(conv)
    assert showing.starts_at == alternatives[0].starts_at and showing.status == "confirmed"


def test_a_blocked_confirmation_books_nothing_and_goes_to_a_human(frozen_now):
    conv = make_thread()
    _offer(conv)
    ReplyTemplate.objects.filter(name="confirm_showing", account=None).update(
        body="Booked {{showing_time}}. Please send your SSN and the deposit by Zelle first."
    )
    result = triage(lead_says(conv, "The second one works for me"))
    assert result.decision == "escalate" and result.reason_code == "reply_blocked_by_guardrails"
    assert _showings(conv) == []
    conv.refresh_from_db()
    assert conv.human_required and conv.current_showing is None
    assert not AuditEvent.objects.filter(action="showing_booking_created").exists()
    assert [m.status for m in outbound(conv)] == ["sent"]  # only the earlier offer


def test_a_pick_that_also_needs_a_human_books_nothing(frozen_now):
    conv = make_thread()
    _offer(conv)
    result = triage(lead_says(conv, "Option 2 works. Can I pay the deposit by wire transfer to hold it?"))
    assert result.decision == "escalate"
    assert _showings(conv) == []


def test_a_draft_only_account_books_at_once_and_drafts_the_confirmation(frozen_now):
    conv = make_thread(send_mode="draft_only")
    offer = triage(lead_says(conv, "Can I see it?", minutes_ago=10)).outbound
    from conversations import outbox

    outbox.approve_draft(offer, user=None)
    delivered(offer)
    result = triage(lead_says(conv, "the first one"))
    assert result.decision == "draft" and result.outbound.status == "draft"
    [showing] = _showings(conv)
    assert showing.status == "confirmed"


def test_an_affirmation_of_the_booked_showing_books_nothing_more_and_needs_no_reply(frozen_now):
    conv = make_thread()
    _offer(conv)
    delivered(triage(lead_says(conv, "The second one works", minutes_ago=5)).outbound)
    result = triage(lead_says(conv, "Great, see you then!"))
    assert result.decision == "skip" and result.reason_code == "acknowledged"
    assert len(_showings(conv)) == 1 and len(outbound(conv)) == 2


def test_a_reschedule_marks_the_showing_and_offers_new_times_then_a_new_pick_moves_the_booking(frozen_now):
    conv = make_thread()
    _offer(conv)
    delivered(triage(lead_says(conv, "The second one works", minutes_ago=8)).outbound)
    [booked] = _showings(conv)

    result = triage(lead_says(conv, "Something came up, can we reschedule to another time?", minutes_ago=5))
    assert result.decision == "send" and result.classification.workflow_outcome == "wants_reschedule"
    booked.refresh_from_db()
    assert booked.status == "reschedule_requested"
    new_offer = result.outbound
    assert new_offer.body.startswith("No problem, Sam") and len(new_offer.offered_slots) == 3
    assert booked.starts_at.isoformat() not in [s["starts_at"] for s in new_offer.offered_slots]
    conv.refresh_from_db()
    assert conv.workflow_outcome == "wants_reschedule" and conv.showing_state == "reschedule_requested"
    assert conv.follow_up_status == "pending"
    delivered(new_offer)
    new_slots = [Slot.from_source(s) for s in new_offer.offered_slots]

    triage(lead_says(conv, "the third one"))
    booked.refresh_from_db()
    assert booked.status == "cancelled"
    new = [s for s in _showings(conv) if s.pk != booked.pk]
    assert len(new) == 1 and new[0].status == "confirmed" and new[0].starts_at == new_slots[2].starts_at
    conv.refresh_from_db()
    assert conv.current_showing_id == new[0].pk and conv.workflow_outcome == "showing_confirmed"


def test_a_lead_can_move_their_showing_to_another_time_on_the_agent_s_full_day(frozen_now):
    from tests.scheduling.factories import make_agent_profile

    conv = make_thread(agent=make_agent_profile(name="Casey Capped", daily_showing_cap=1))
    _offer(conv)
    delivered(triage(lead_says(conv, "The first one works", minutes_ago=8)).outbound)
    [booked] = _showings(conv)
    booked_day = _local_date(booked.starts_at)

    result = triage(lead_says(conv, "Something came up, could we do later today instead?", minutes_ago=5))

    assert result.classification.workflow_outcome == "wants_reschedule"
    same_day = [s for s in _local_starts(result.outbound) if s.date() == booked_day]
    assert same_day and booked.starts_at not in same_day  # their day is open to them; their old time is not offered
    delivered(result.outbound)
    triage(lead_says(conv, "the first one"))
    booked.refresh_from_db()
    [moved] = [s for s in _showings(conv) if s.pk != booked.pk]
    assert booked.status == "cancelled" and moved.status == "confirmed"
    assert _local_date(moved.starts_at) == booked_day and moved.starts_at != booked.starts_at
    conv.refresh_from_db()
    assert conv.current_showing_id == moved.pk and conv.workflow_outcome == "showing_confirmed"


def _local_date(instant):
    import zoneinfo

    return instant.astimezone(zoneinfo.ZoneInfo("America/New_York")).date()


def test_not_interested_cancels_the_live_showing_and_closes_the_conversation(frozen_now):
    conv = make_thread()
    _offer(conv)
    delivered(triage(lead_says(conv, "The second one works", minutes_ago=5)).outbound)
    [booked] = _showings(conv)
    result = triage(lead_says(conv, "Sorry, I found another place, so I'm no longer interested."))
    assert result.decision == "send" and result.outbound.body.startswith("Thanks for letting us know")
    booked.refresh_from_db()
    conv.refresh_from_db()
    assert booked.status == "cancelled"
    assert conv.workflow_state == "outcome" and conv.workflow_outcome == "not_interested"


def test_a_pick_of_a_slot_already_in_the_past_offers_current_times(frozen_now):
    conv = make_thread()
    offered = _offer(conv)
    from leasebot import clock

    with clock.frozen(offered[2].starts_at + dt.timedelta(minutes=1)):
        result = triage(lead_says(conv, "the first one"))
        assert _showings(conv) == []
        assert result.outbound.body.startswith("Sorry Sam")
        starts = [dt.datetime.fromisoformat(s["starts_at"]) for s in result.outbound.offered_slots]
        assert starts and all(start > clock.now() for start in starts)


def _local_starts(message):
    import zoneinfo

    zone = zoneinfo.ZoneInfo("America/New_York")
    return [dt.datetime.fromisoformat(s["starts_at"]).astimezone(zone) for s in message.offered_slots]


def test_the_offer_follows_the_times_the_lead_asked_for(frozen_now):
    conv = make_thread()
    result = triage(lead_says(conv, "Hi! Could I come and see the room on Saturday afternoon?"))
    starts = _local_starts(result.outbound)
    assert len(starts) == 3 and all(s.weekday() == 5 and 12 <= s.hour < 18 for s in starts)
    assert result.details["preference_matched"] is True


def test_a_reschedule_offers_the_day_the_lead_asked_for(frozen_now):
    conv = make_thread()
    _offer(conv)
    delivered(triage(lead_says(conv, "The second one works", minutes_ago=5)).outbound)
    result = triage(lead_says(conv, "Something came up. Could we do Friday instead?"))
    assert result.classification.workflow_outcome == "wants_reschedule"
    starts = _local_starts(result.outbound)
    assert len(starts) == 3 and all(s.weekday() == 4 for s in starts)


def test_times_nobody_can_do_fall_back_to_the_earliest_open_ones(frozen_now):
    conv = make_thread()  # open 10:00-18:00 every day
    result = triage(lead_says(conv, "Can I see it at 11pm?"))
    assert result.decision == "send" and len(result.outbound.offered_slots) == 3
    assert result.details["preference_matched"] is False


def test_a_booking_that_cannot_be_confirmed_leaves_no_pending_showing_and_offers_alternatives(frozen_now, monkeypatch):
    from scheduling import showings as showing_lifecycle

    conv = make_thread()
    offered = _offer(conv)
    real_transition = showing_lifecycle.transition

    def refuse_confirmation(showing, to_status, **kwargs):
        if to_status == Showing.Status.CONFIRMED:  # as if a group filled up between booking and confirming
            raise showing_lifecycle.ShowingConflict("full")
        return real_transition(showing, to_status, **kwargs)

    monkeypatch.setattr(showing_lifecycle, "transition", refuse_confirmation)
    result = triage(lead_says(conv, "Option 2 please"))
    assert _showings(conv) == []  # the pending showing went with the reply's savepoint
    assert not AuditEvent.objects.filter(action="showing_booking_created").exists()
    assert result.details["slot_taken"] is True and result.outbound.status == "queued"
    assert offered[1].starts_at.isoformat() not in [s["starts_at"] for s in result.outbound.offered_slots]
