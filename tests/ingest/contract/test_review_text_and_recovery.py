"""Lead text comes back exactly as written (markup is text, never HTML), and a dead browser is replaced."""

import pytest

pytestmark = pytest.mark.contract

HOSTILE = "<b>Hi</b> & \"you\" 'there' <script>alert(1)</script> — café 🏠 $1,200?"


def test_hostile_and_unicode_text_round_trips_exactly(platform, sandbox, make_account):
    state = sandbox.state(platform)
    thread_id, _ = state.add_lead_message(HOSTILE, lead_name="<i>Zoë</i> O'Brien")
    _, adapter = make_account(platform)

    thread = adapter.fetch_thread(thread_id)
    row = adapter.list_inbox()[0]

    assert [message.body for message in thread.messages] == [HOSTILE]
    assert thread.lead_name == "<i>Zoë</i> O'Brien"
    assert row.lead_name == "<i>Zoë</i> O'Brien"


def test_a_crashed_browser_is_relaunched_for_the_next_call(sandbox, runtime, make_account):
    state = sandbox.state("roomies")
    thread_id, _ = state.add_lead_message("Still available?", lead_name="Ada Brooks")
    config, adapter = make_account("roomies")
    assert [row.thread_id for row in adapter.list_inbox()] == [thread_id]

    runtime.browser(headless=True).close()  # what a Chromium crash looks like to the runtime

    assert [row.thread_id for row in adapter.list_inbox()] == [thread_id]
    assert [row.thread_id for row in runtime.adapter_for(config).list_inbox()] == [thread_id]
