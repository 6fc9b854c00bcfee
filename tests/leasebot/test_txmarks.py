import pytest
from django.db import transaction

from leasebot import txmarks
from tests.conversations.factories import make_conversation

pytestmark = [pytest.mark.django_db(transaction=True)]


class Boom(Exception):
    pass


def test_it_gives_no_mark_outside_a_transaction():
    assert txmarks.mark() is None
    assert txmarks.alive(None) is False


def test_a_mark_lives_until_its_transaction_commits():
    with transaction.atomic():
        hook = txmarks.mark()
        assert txmarks.alive(hook)
    assert not txmarks.alive(hook)
    with transaction.atomic():
        assert not txmarks.alive(hook)  # a later transaction does not revive it


def test_a_mark_dies_with_a_rolled_back_transaction():
    with pytest.raises(Boom), transaction.atomic():
        hook = txmarks.mark()
        raise Boom
    with transaction.atomic():
        assert not txmarks.alive(hook)


def test_a_mark_made_in_a_savepoint_dies_when_it_rolls_back_and_lives_when_it_is_released():
    with transaction.atomic():
        with pytest.raises(Boom), transaction.atomic():
            rolled_back = txmarks.mark()
            raise Boom
        with transaction.atomic():
            released = txmarks.mark()
        assert not txmarks.alive(rolled_back)
        assert txmarks.alive(released)


def test_it_knows_a_row_lock_is_held_only_while_its_transaction_lasts(agent_a):
    conv = make_conversation(agent=agent_a.agent_profile)
    assert not txmarks.lock_held(conv)
    with transaction.atomic():
        locked = txmarks.note_locked(type(conv).objects.select_for_update().get(pk=conv.pk))
        assert txmarks.lock_held(locked)
        assert not txmarks.lock_held(conv)  # another instance of the same row was not read under the lock
    assert not txmarks.lock_held(locked)
