"""The triage slot pool: read once, computed only as far as asked, and always what next_slots says."""

import pytest
from django.test import override_settings

from conversations import showings
from tests.triage.pipeline_factories import make_thread

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize("spread", [False, True])
def test_the_pool_gives_exactly_the_slots_next_slots_gives_for_any_head_and_in_full(frozen_now, spread):
    conv = make_thread(hours=("09:00", "12:00"))
    with override_settings(LEASEBOT_SLOT_SPREAD_DAYS=spread):
        full = showings.next_slots(conv, limit=40)
        pool = showings.SlotPool(conv, limit=40)
        assert len(full) == 40, "the fixture's week has more than 40 slots"
        for n in (1, 3, 4, 40, 60):
            assert pool.first(n) == full[:n]
        assert pool.all() == full
        assert pool.first(4) == full[:4]


def test_a_conversation_without_an_active_unit_has_an_empty_pool(frozen_now):
    conv = make_thread()
    conv.unit.active = False
    conv.unit.save(update_fields=["active"])
    pool = showings.SlotPool(conv, limit=10)
    assert pool.first(3) == [] and pool.all() == []
