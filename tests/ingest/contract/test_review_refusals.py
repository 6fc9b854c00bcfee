"""Refusals that are the caller's fault stay plain ValueErrors (not browser errors, not crashes)."""

import pytest

pytestmark = pytest.mark.contract


def test_an_empty_message_is_refused_before_anything_is_clicked(sandbox, make_account):
    state = sandbox.state("leasebreak")
    thread_id, _ = state.add_lead_message("Hello?", lead_name="Ada Brooks")
    _, adapter = make_account("leasebreak")

    with pytest.raises(ValueError, match="empty message"):
        adapter.send_message(thread_id, "   \n ")

    assert state.send_count() == 0
