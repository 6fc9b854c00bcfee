"""Each adapter, in real Chromium, against its sandbox site: the integrations contract."""

import pytest

from ingest import errors
from ingest.types import INBOUND, OUTBOUND

pytestmark = pytest.mark.contract


def test_it_lists_the_inbox_and_fetches_a_new_thread(platform, sandbox, make_account):
    state = sandbox.state(platform)
    listing_id = state.add_listing("Sunny room near the park", listing_id="4471")
    thread_id, message_id = state.add_lead_message(
        "Hi! Is the room still available for March?", lead_name="Maya Ortiz", listing_id=listing_id
    )
    _, adapter = make_account(platform)

    rows = adapter.list_inbox()

    assert [row.thread_id for row in rows] == [thread_id]
    row = rows[0]
    assert row.lead_name == "Maya Ortiz"
    assert row.snippet.startswith("Hi! Is the room")
    assert row.time is not None and row.time.ok, row.time
    thread = adapter.fetch_thread(thread_id)
    assert thread.lead_name == "Maya Ortiz"
    assert thread.listing_ref == listing_id
    assert thread.listing_title == "Sunny room near the park"
    assert [(m.direction, m.body) for m in thread.messages] == [(INBOUND, "Hi! Is the room still available for March?")]
    message = thread.messages[0]
    assert message.time.ok, message.time
    assert abs((message.time.at - state.thread(thread_id).messages[0].at).total_seconds()) < 120
    expected_id = None if platform == "renthop" else message_id  # RentHop shows no message ids
    assert message.external_id == expected_id


def test_it_sees_a_new_message_in_a_known_thread(platform, sandbox, make_account):
    state = sandbox.state(platform)
    thread_id, first_id = state.add_lead_message("Is parking included?", lead_name="Sam Reed")
    _, adapter = make_account(platform)
    before = adapter.fetch_thread(thread_id)
    known = {key for key, _ in before.message_keys()}

    _, second_id = state.add_lead_message("Also, are pets allowed?", thread_id=thread_id)
    rows = adapter.list_inbox()
    after = adapter.fetch_thread(thread_id)

    assert rows[0].thread_id == thread_id
    if rows[0].newest_message_id is not None:
        assert rows[0].newest_message_id == second_id
    new = [message for key, message in after.message_keys() if key not in known]
    assert [(m.direction, m.body) for m in new] == [(INBOUND, "Also, are pets allowed?")]


def test_it_sends_once_and_confirms_by_reading_the_thread_back(platform, sandbox, make_account):
    state = sandbox.state(platform)
    thread_id, _ = state.add_lead_message("Can I see it this week?", lead_name="Lee Park")
    _, adapter = make_account(platform)
    body = "Happy to show it Thursday at 5:30pm.\nDoes that work?"

    external_id = adapter.send_message(thread_id, body)

    assert state.send_count() == 1
    sent = state.sent_messages()[0]
    assert sent["thread_id"] == thread_id
    assert sent["body"] == body
    if platform == "renthop":
        assert external_id.startswith("c:")
    else:
        assert external_id == sent["message_id"]
    thread = adapter.fetch_thread(thread_id)
    assert [m.direction for m in thread.messages] == [INBOUND, OUTBOUND]
    assert state.send_count() == 1


def test_it_syncs_every_listing_page(platform, sandbox, make_account):
    state = sandbox.state(platform)
    ids = [state.add_listing(f"Room {n} in Brooklyn", listing_id=f"R{n:03d}", price=f"${1000 + n}/mo") for n in range(23)]
    _, adapter = make_account(platform)

    listings = adapter.sync_listings()

    assert [item.external_id for item in listings] == ids
    assert {item.page for item in listings} == {1, 2, 3}
    first = listings[0]
    assert first.title == "Room 0 in Brooklyn"
    assert first.price_text == "$1000/mo"
    assert first.status == "active"
    assert first.url.startswith(sandbox.base_url(platform)) and first.url.endswith("R000")


def test_it_reports_an_expired_session_and_keeps_the_evidence(platform, sandbox, make_account):
    state = sandbox.state(platform)
    state.add_lead_message("Hello?")
    _, adapter = make_account(platform)
    assert adapter.list_inbox()
    state.expire_sessions()

    with pytest.raises(errors.SessionExpired) as caught:
        adapter.list_inbox()

    assert caught.value.code == "session_expired"
    assert caught.value.retryable is False
    suffixes = sorted(path.suffix for path in caught.value.artifacts)
    assert suffixes == [".html", ".png"]
    assert all(path.stat().st_size > 0 for path in caught.value.artifacts)


@pytest.mark.parametrize(
    ("kind", "error", "code"),
    [
        ("captcha", errors.CaptchaRequired, "captcha_required"),
        ("challenge", errors.BotChallenge, "bot_challenge"),
        ("cloudflare", errors.BotChallenge, "bot_challenge"),
        ("blocked", errors.AccessBlocked, "access_blocked"),
    ],
)
def test_it_recognises_walls(platform, sandbox, make_account, kind, error, code):
    sandbox.state(platform).add_fault(kind, times=1)
    _, adapter = make_account(platform)

    with pytest.raises(error) as caught:
        adapter.list_inbox()

    assert caught.value.code == code


def test_it_reports_429_as_rate_limited_and_recovers(platform, sandbox, make_account):
    state = sandbox.state(platform)
    state.add_lead_message("Still there?")
    state.add_fault("status", status=429, times=2)
    _, adapter = make_account(platform)

    for _ in range(2):
        with pytest.raises(errors.RateLimited) as caught:
            adapter.list_inbox()
        assert caught.value.code == "rate_limited" and caught.value.retryable
        assert caught.value.retry_after == 1.0
    assert len(adapter.list_inbox()) == 1


def test_it_skips_broken_rows_and_drops_duplicates(platform, sandbox, make_account):
    state = sandbox.state(platform)
    first, _ = state.add_lead_message("First")
    second, _ = state.add_lead_message("Second")
    state.set_rows(malformed=True, duplicate=True)
    _, adapter = make_account(platform)

    rows = adapter.list_inbox()

    assert sorted(row.thread_id for row in rows) == sorted([first, second])
    assert [row.position for row in rows] == [0, 1]


def test_an_empty_inbox_is_not_a_changed_page(platform, make_account):
    _, adapter = make_account(platform)
    assert adapter.list_inbox() == []
    assert adapter.sync_listings() == []


def test_a_thread_that_is_gone_is_reported_as_such_not_as_a_changed_page(platform, make_account):
    _, adapter = make_account(platform)

    with pytest.raises(errors.ThreadNotFound) as caught:
        adapter.fetch_thread("999999")
    assert caught.value.code == "thread_not_found" and not caught.value.retryable

    with pytest.raises(errors.ThreadNotFound):
        adapter.send_message("999999", "Hello?")
