"""Platform quirks, operator overrides and the runtime's browser features, in real Chromium."""

import datetime as dt

import pytest

from ingest import errors
from ingest.adapters.base import find_outbound
from ingest.login import capture_session
from ingest.profilelock import ProfileLock
from ingest.types import AccountConfig, BrowserSettings

pytestmark = pytest.mark.contract

DESKTOP_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"


def test_spareroom_orders_by_newest_inbound_and_still_lists_threads_we_answered(sandbox, make_account):
    state = sandbox.state("spareroom")
    now = dt.datetime.now(dt.UTC)
    answered, _ = state.add_lead_message("Is it furnished?", lead_name="Ana", at=now - dt.timedelta(hours=3))
    state.add_our_message(answered, "Yes, fully furnished.", at=now - dt.timedelta(minutes=1))
    waiting, _ = state.add_lead_message("Can I visit?", lead_name="Ben", at=now - dt.timedelta(hours=2))
    _, adapter = make_account("spareroom")

    rows = adapter.list_inbox()

    assert [row.thread_id for row in rows] == [waiting, answered]
    assert rows[1].snippet == "Yes, fully furnished."
    assert rows[1].time.raw.startswith(("Today", "Yesterday"))


def test_roomies_skips_menu_links_and_never_clicks_the_report_button(sandbox, make_account):
    state = sandbox.state("roomies")
    thread_id, _ = state.add_lead_message("Hi!")
    # Even with the generic fallback first, the role=menuitem "Report" submit button is never clicked.
    _, adapter = make_account("roomies", overrides={"selectors": {"send": ["form button[type='submit']"]}})

    rows = adapter.list_inbox()
    adapter.send_message(thread_id, "Hello, yes it is available.")

    assert [row.thread_id for row in rows] == [thread_id]
    assert state.send_count() == 1
    assert state.snapshot()["other_posts"] == []


def test_a_changed_page_is_reported_and_an_operator_override_fixes_it(sandbox, make_account):
    state = sandbox.state("leasebreak")
    thread_id, _ = state.add_lead_message("Still available?")
    _, broken = make_account("leasebreak", overrides={"selectors": {"inbox_row": [".conversation-row"]}})

    with pytest.raises(errors.PageChanged) as caught:
        broken.list_inbox()
    assert caught.value.code == "page_changed" and ".conversation-row" in caught.value.detail

    _, fixed = make_account("leasebreak", overrides={
        "selectors": {"inbox_row": [".conversation-row", "div.message-row"]},
        "paths": {"listings": ["/account/listings"]},
    })
    assert [row.thread_id for row in fixed.list_inbox()] == [thread_id]
    state.add_listing("Studio", listing_id="L1")
    assert [item.external_id for item in fixed.sync_listings()] == ["L1"]


def test_a_slow_platform_times_out_as_a_retryable_error(sandbox, make_account):
    sandbox.state("renthop").set_delay(1.0)
    _, adapter = make_account("renthop", browser=BrowserSettings(navigation_timeout_ms=300))

    with pytest.raises(errors.NavigationTimeout) as caught:
        adapter.list_inbox()

    assert caught.value.code == "timeout" and caught.value.retryable


def test_a_rate_limited_send_is_not_delivered_and_the_next_attempt_is(sandbox, make_account):
    state = sandbox.state("furnishedfinder")
    thread_id, _ = state.add_lead_message("Is the unit free in May?")
    state.add_fault("status", status=429, times=1, applies_to="send")
    _, adapter = make_account("furnishedfinder")

    with pytest.raises(errors.RateLimited):
        adapter.send_message(thread_id, "Yes, from May 1st.")
    assert state.send_count() == 0

    adapter.send_message(thread_id, "Yes, from May 1st.")
    assert state.send_count() == 1


def test_a_missing_session_file_is_a_clear_per_account_error(sandbox, make_account):
    config, adapter = make_account("spareroom", logged_in=False)
    assert not config.storage_state_path.exists()

    with pytest.raises(errors.SessionExpired) as caught:
        adapter.list_inbox()

    assert "rpa_login spareroom" in str(caught.value)


def test_a_headless_user_agent_can_be_replaced_per_account(sandbox, make_account):
    state = sandbox.state("roomies")
    state.add_lead_message("Hi")
    state.set_reject_headless(True)
    _, default = make_account("roomies")
    with pytest.raises(errors.SessionExpired):
        default.list_inbox()

    _, disguised = make_account(
        "roomies", browser=BrowserSettings(user_agent=DESKTOP_UA, locale="en-GB", timezone_id="America/Chicago")
    )
    assert len(disguised.list_inbox()) == 1
    seen = disguised.session.page.evaluate(
        "() => [navigator.userAgent, navigator.language, Intl.DateTimeFormat().resolvedOptions().timeZone]"
    )
    assert seen == [DESKTOP_UA, "en-GB", "America/Chicago"]


def fill_login_form(page, attempt):
    page.fill("input[name='username']", "demo")
    page.fill("input[name='password']", "demo" if attempt > 1 else "wrong")
    page.click("button[name='login']")
    page.wait_for_load_state()


def test_rpa_login_captures_a_session_the_worker_reuses(sandbox, runtime, make_account, tmp_path):
    state = sandbox.state("leasebreak")
    state.add_lead_message("Hello")
    target = tmp_path / "sessions" / "leasebreak.json"
    config = AccountConfig(platform="leasebreak", base_url=sandbox.base_url("leasebreak"), account_key="login-test")

    saved = capture_session(runtime, config, save_to=target, wait_for_person=fill_login_form)

    assert saved == target and oct(target.stat().st_mode & 0o777) == "0o600"
    worker = runtime.adapter_for(AccountConfig(
        platform="leasebreak", base_url=sandbox.base_url("leasebreak"), account_key="login-worker",
        storage_state_path=target,
    ))
    try:
        assert len(worker.list_inbox()) == 1
    finally:
        runtime.close_session(worker.config)


def test_a_persistent_profile_is_never_opened_twice(sandbox, runtime, tmp_path):
    state = sandbox.state("furnishedfinder")
    state.add_lead_message("Hello")
    profile = tmp_path / "profiles" / "ff"
    config = AccountConfig(platform="furnishedfinder", base_url=sandbox.base_url("furnishedfinder"),
                           account_key="profile-test", profile_dir=profile)
    capture_session(runtime, config, wait_for_person=fill_login_form)
    adapter = runtime.adapter_for(config)
    try:
        assert len(adapter.list_inbox()) == 1  # the login lives in the profile
        with pytest.raises(errors.ProfileLocked):
            ProfileLock(profile).acquire()
    finally:
        runtime.close_session(config)
    ProfileLock(profile).acquire().release()


def test_rpa_login_reports_a_captcha_on_the_login_page(sandbox, runtime):
    sandbox.state("roomies").add_fault("captcha", times=1, applies_to="all")
    config = AccountConfig(platform="roomies", base_url=sandbox.base_url("roomies"), account_key="login-captcha")

    with pytest.raises(errors.CaptchaRequired):
        capture_session(runtime, config, save_to=None, wait_for_person=fill_login_form)


def test_a_send_whose_answer_never_comes_is_confirmed_from_the_thread(sandbox, make_account):
    state = sandbox.state("spareroom")
    thread_id, _ = state.add_lead_message("Is Sunday OK?")
    state.set_send_delay(5)  # the platform stores the message, then hangs before answering
    _, adapter = make_account("spareroom", browser=BrowserSettings(navigation_timeout_ms=700))

    external_id = adapter.send_message(thread_id, "Sunday at 2pm works.")

    assert external_id == state.sent_messages()[0]["message_id"]
    assert state.send_count() == 1


def test_a_new_worker_finds_a_message_an_earlier_attempt_already_sent(sandbox, make_account):
    state = sandbox.state("renthop")
    thread_id, _ = state.add_lead_message("Hi")
    _, first = make_account("renthop")
    sent_key = first.send_message(thread_id, "Hello!\nWhen would you like to visit?")

    _, second = make_account("renthop")
    thread = second.fetch_thread(thread_id)

    assert find_outbound(thread, "Hello!  When would you like to visit?") == sent_key
    assert find_outbound(thread, "Something else") is None
    assert state.send_count() == 1
