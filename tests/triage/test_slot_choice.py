"""Natural-language choice among offered slots, read in the conversation's time zone."""

import datetime as dt

import pytest

from conversations.triage.slotchoice import choose_slot, preferred_slots
from conversations.triage.types import SlotOption

pytestmark = pytest.mark.unit

NY = "America/New_York"


def _slot(start_iso, minutes=30):
    start = dt.datetime.fromisoformat(start_iso)
    return SlotOption(starts_at=start, ends_at=start + dt.timedelta(minutes=minutes), timezone=NY)


# Sat Dec 5 10:00, Sun Dec 6 14:00, Mon Dec 7 18:30 (New York).
OFFERED = (
    _slot("2026-12-05T10:00:00-05:00"),
    _slot("2026-12-06T14:00:00-05:00"),
    _slot("2026-12-07T18:30:00-05:00"),
)


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("Sat at 10", 1),
        ("option 2", 2),
        ("Option #3 please", 3),
        ("the Monday one", 3),
        ("Dec 6 at 2", 2),
        ("6th of December, 2pm", 2),
        ("10am Sat", 1),
        ("Monday evening", 3),
        ("not Saturday but Monday works", 3),
        ("I'm busy on the weekend, Monday is fine", 3),
        ("the second one", 2),
        ("first works", 1),
        ("3", 3),
        ("2 please", 2),
        ("2 works for me", 2),
        ("Is 6:30 ok?", 3),
        ("the 5th works", 1),  # a date: Saturday is Dec 5
        ("7th at 6:30", 3),
        ("the 2nd one", 2),  # a position
        ("3rd please", 3),
        ("December 5th at 10", 1),
        ("5th Dec", 1),
        ("6 Dec", 2),
        ("Dec 7 works", 3),
        ("Let's say Dec 5", 1),
        ("Dec 6 at 2", 2),
        ("Sunday at two", 2),
        ("ten am works", 1),
        ("half past six on Monday", 3),
        ("3 is good for us", 3),
        ("1 would be great, thanks", 1),
        ("I'll take the last one", 3),
        ("Sunday afternoon works for me", 2),
        ("12/7 at 6:30", 3),
        ("7/12 at 6:30", 3),  # day/month
        ("Sunday, 2pm", 2),
        ("Can't wait, Sunday it is!", 2),
        ("option three", 3),
        ("number two please", 2),
        ("the middle one", 2),
        ("the later one", 3),
        ("Weekend's tough, but Monday at 6:30 is great", 3),
        ("Saturday is out, Sunday works", 2),
        ("saturdy at 10 works", 1),
        ("mondy at 6:30 please", 3),
        ("Monday is perfect, I get off work at 5", 3),
        ("anything after 5 works", 3),
        ("before noon please", 1),
        ("I'm away Saturday, so Sunday it is", 2),
        # a stated preference outweighs a slot that only works
        ("The first works but the second is better for me", 2),
        ("Saturday would be best but Monday works too", 1),
        ("Saturday is better than Sunday for me", 1),
        ("Monday rather than Saturday please", 3),
        ("Sunday instead of Saturday", 2),
        # an emoji or "anyway" ends a clause
        ("crazy day, the car wouldn't start \U0001f644 anyway Saturday morning works great", 1),
        # a one-edit misspelt ordinal before "one"/"option"
        ("Please book me for the thrid option", 3),
        ("secnd one pls", 2),
        ("the frist one", 1),
    ],
)
def test_it_picks_the_slot_the_lead_named(text, index):
    assert choose_slot(text, OFFERED, NY).index == index


@pytest.mark.parametrize(
    "text",
    [
        "Saturday or Sunday, whichever",  # two candidates
        "sounds good",  # no reference at all
        "I have 2 questions about the lease first",
        "3 people will come",
        "Is it my first time renting with you? Yes it is",
        "I'd prefer something after 8pm",  # bound that fits no slot
        "Is the fridge new?",  # "fridge" is no misspelt Friday
        "Could we do something in the evening instead?",  # asks for other times
    ],
)
def test_it_picks_nothing_when_the_message_does_not_single_out_a_slot(text):
    assert choose_slot(text, OFFERED, NY).index is None


def test_a_day_that_was_not_offered_is_an_unmatched_reference():
    choice = choose_slot("Could you do Wednesday instead?", OFFERED, NY)
    assert choice.index is None
    assert choice.unmatched
    assert choice.mentions_time


def test_a_time_that_does_not_fit_the_named_day_is_unmatched():
    choice = choose_slot("Sat at 2", OFFERED, NY)
    assert choice.index is None and choice.unmatched


def test_a_named_day_with_a_time_we_do_not_have_is_not_a_pick():
    choice = choose_slot("Is a later time possible on Monday, like 8pm?", OFFERED, NY)
    assert choice.index is None and choice.unmatched


def test_it_notices_a_rejection_of_every_offer():
    choice = choose_slot("None of those work for me, sorry", OFFERED, NY)
    assert choice.rejects_all and choice.index is None


def test_negated_days_are_vetoed():
    choice = choose_slot("I can't do Saturday or Sunday", OFFERED, NY)
    assert choice.vetoed == {1, 2}
    assert choice.index is None


def test_times_are_read_in_the_conversation_time_zone_not_utc():
    utc_slot = SlotOption(
        starts_at=dt.datetime(2026, 12, 5, 18, 0, tzinfo=dt.UTC),  # 10:00 in Los Angeles
        ends_at=dt.datetime(2026, 12, 5, 18, 30, tzinfo=dt.UTC),
    )
    other = SlotOption(
        starts_at=dt.datetime(2026, 12, 5, 22, 0, tzinfo=dt.UTC),  # 14:00 in Los Angeles
        ends_at=dt.datetime(2026, 12, 5, 22, 30, tzinfo=dt.UTC),
    )
    assert choose_slot("Saturday at 10am", (utc_slot, other), "America/Los_Angeles").index == 1
    assert choose_slot("Saturday at 2", (utc_slot, other), "America/Los_Angeles").index == 2


def test_relative_days_need_a_reference_instant():
    now = dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC)  # Friday Dec 4, New York morning
    assert choose_slot("tomorrow at 10", OFFERED, NY, now=now).index == 1
    assert choose_slot("tomorrow at 10", OFFERED, NY).index == 1  # the time alone still singles it out
    assert choose_slot("tomorrow", OFFERED, NY).index is None


def test_without_offered_slots_it_only_reports_that_a_time_was_mentioned():
    choice = choose_slot("Could I come Tuesday evening?", (), NY)
    assert choice.index is None and choice.mentions_time


def test_a_huge_message_is_read_in_bounded_time():
    choice = choose_slot("Sunday at 2 " + "blah " * 20_000, OFFERED, NY)
    assert choice.index == 2


# Engine candidates over a week: Mon 9:00, Mon 18:30, Tue 19:00, Thu 12:00, Sat 10:00 (New York).
CANDIDATES = (
    _slot("2026-12-07T09:00:00-05:00"),
    _slot("2026-12-07T18:30:00-05:00"),
    _slot("2026-12-08T19:00:00-05:00"),
    _slot("2026-12-10T12:00:00-05:00"),
    _slot("2026-12-12T10:00:00-05:00"),
)


@pytest.mark.parametrize(
    ("text", "fitting"),
    [
        ("any weekday after 6", (2, 3)),
        ("Tuesday or Thursday works best", (3, 4)),
        ("not Monday", (3, 4, 5)),
        ("weekend mornings", (5,)),
        ("evenings, but not Tuesday", (2,)),
        ("whenever suits you", (1, 2, 3, 4, 5)),
        ("Friday at 8pm", ()),
    ],
)
def test_preferred_slots_are_the_candidates_that_fit_the_stated_times(text, fitting):
    assert preferred_slots(text, CANDIDATES, NY) == fitting


def test_a_quoted_earlier_message_is_not_read_as_the_lead_choice():
    text = "Monday works!\n\nOn Tue, Leasing Team wrote:\n> 1) Sat Dec 5 10:00 AM 2) Sun Dec 6 2:00 PM 3) Mon Dec 7"
    assert choose_slot(text, OFFERED, NY).index == 3
    assert choose_slot("Sunday please\n> Sat 10am or Mon 6:30pm?", OFFERED, NY).index == 2
    assert choose_slot("Saturday!\nSent from my iPhone", OFFERED, NY).index == 1


def test_two_slots_that_merely_work_stay_ambiguous():
    choice = choose_slot("the first works, the second works too", OFFERED, NY)
    assert choice.index is None and choice.candidates == (1, 2)


# Tue Dec 8 08:00, Tue Dec 8 18:00, Thu Dec 10 18:00 (New York): two slots on one day.
SAME_DAY = (
    _slot("2026-12-08T08:00:00-05:00"),
    _slot("2026-12-08T18:00:00-05:00"),
    _slot("2026-12-10T18:00:00-05:00"),
)


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("Tuesday works - the later one", 2),
        ("Tuesday, the earlier one", 1),
        ("the later one on Tuesday please", 2),
        ("the later one", 3),  # nothing else named: the latest of the offer
        ("Tues 8am is a bit early for me so the evening one on Tuesday", 2),
    ],
)
def test_a_comparative_picks_among_the_slots_the_other_words_point_at(text, index):
    assert choose_slot(text, SAME_DAY, NY).index == index


@pytest.mark.parametrize("text", ["yep", "sure thing", "ok thanks", "kk", "that works for me", "\U0001F44D"])
def test_a_bare_yes_to_a_single_proposed_time_picks_it(text):
    assert choose_slot(text, OFFERED[:1], NY).index == 1


def test_a_bare_yes_to_several_times_picks_none():
    assert choose_slot("yep", OFFERED, NY).index is None


@pytest.mark.parametrize(("text", "index"), [("whichever is soonest", 1), ("the soonest one works", 1)])
def test_the_soonest_is_the_earliest_offered_slot(text, index):
    assert choose_slot(text, OFFERED, NY).index == index


@pytest.mark.parametrize(
    ("text", "index", "unmatched"),
    [
        ("Sunday is fine, as long as it's after 1", 2, False),
        ("Saturday could work, but only if it's the afternoon", None, True),
        ("Saturday works, if not then Sunday", 1, False),  # a fallback names its own day: not a condition
    ],
)
def test_a_condition_narrows_the_clause_it_qualifies(text, index, unmatched):
    choice = choose_slot(text, OFFERED, NY)
    assert (choice.index, choice.unmatched) == (index, unmatched)


def test_the_other_ones_are_the_slots_not_ruled_out():
    one_left = choose_slot("can't do Saturday or Sunday, the other one works", OFFERED, NY)
    two_left = choose_slot("can't do the weekend morning, the other two are fine", OFFERED, NY)

    assert one_left.index == 3
    assert (two_left.index, two_left.candidates) == (None, (2, 3))
