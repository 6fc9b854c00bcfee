import datetime as dt

import pytest
from playwright.sync_api import expect

from leasebot import clock
from tests.conversations.factories import make_account, make_conversation, make_draft, make_inbound
from tests.factories import PASSWORD, make_admin, make_agent
from tests.scheduling.factories import assign, make_showing, make_unit, weekly
from tests.smoke.conftest import ALL_WIDTHS, check_layout, login

pytestmark = [pytest.mark.smoke, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    admin = make_admin(username="smoke-admin")
    agent = make_agent(username="smoke-agent", name="Sky Agent", timezone="America/New_York")
    profile = agent.agent_profile
    unit = make_unit(property_name="Maple Court", unit_number="4B")
    assign(unit, profile, priority=1)
    weekly(unit, "09:00", "18:00")
    weekly(profile, "09:00", "18:00")
    account = make_account("spareroom")
    conv = make_conversation(account, agent=profile, unit=unit, lead_name="Robin Lead")
    make_inbound(conv, "Hi, is the room still available? <b>bold?</b>")
    draft_conv = make_conversation(account, agent=profile, unit=unit, lead_name="Dana Draft")
    make_inbound(draft_conv, "Can I see it?")
    make_draft(draft_conv, "Hi Dana! Would Saturday at 10 AM work for a viewing?")
    make_showing(unit, profile, clock.now().replace(microsecond=0) + dt.timedelta(days=2), status="confirmed", lead_name="Sam Showing")
    return {"admin": admin, "agent": agent, "conv": conv, "draft_conv": draft_conv, "unit": unit}


@pytest.mark.parametrize("width", ALL_WIDTHS)
def test_every_page_fits_the_screen_without_console_errors(page, live_server, world, console_errors, width):
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server.url, "smoke-agent", PASSWORD)
    agent_pages = [
        "/inbox/", "/inbox/?queue=drafts", f"/conversations/{world['conv'].pk}/", "/today/", "/showings/",
        "/showings/?view=week", "/availability/",
    ]
    for path in agent_pages:
        page.goto(live_server.url + path)
        check_layout(page, width)
    page.context.clear_cookies()
    login(page, live_server.url, "smoke-admin", PASSWORD)
    for path in ["/ops/", "/inbox/", "/ops/invitations/", f"/units/{world['unit'].pk}/assignments/"]:
        page.goto(live_server.url + path)
        check_layout(page, width)
    assert console_errors == []


def test_roles_land_on_their_own_pages(page, live_server, world):
    login(page, live_server.url, "smoke-admin", PASSWORD)
    expect(page.get_by_role("heading", name="Operations")).to_be_visible()
    expect(page.get_by_role("heading", name="Human queue")).to_be_visible()
    page.context.clear_cookies()
    login(page, live_server.url, "smoke-agent", PASSWORD)
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    page.goto(live_server.url + "/ops/")
    assert "Operations" not in page.content()


def test_the_inbox_shows_queues_and_an_escaped_conversation(page, live_server, world):
    login(page, live_server.url, "smoke-agent", PASSWORD)
    expect(page.get_by_role("link", name="Drafts to review")).to_be_visible()
    page.get_by_role("link", name="Robin Lead").click()
    expect(page.get_by_role("heading", name="Robin Lead")).to_be_visible()
    expect(page.get_by_text("<b>bold?</b>")).to_be_visible()  # shown as text, not markup


def test_an_agent_approves_a_draft(page, live_server, world):
    login(page, live_server.url, "smoke-agent", PASSWORD)
    page.goto(f"{live_server.url}/conversations/{world['draft_conv'].pk}/")
    page.get_by_role("button", name="Approve and send").click()
    expect(page.get_by_text("Draft approved and queued.")).to_be_visible()
    expect(page.get_by_text("Queued").first).to_be_visible()


def test_a_risky_manual_reply_is_blocked_with_its_reason_and_a_safe_one_is_queued(page, live_server, world):
    login(page, live_server.url, "smoke-agent", PASSWORD)
    page.goto(f"{live_server.url}/conversations/{world['conv'].pk}/")
    box = page.get_by_label("Reply to Robin Lead")
    box.fill("Sorry, no kids allowed in this building.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Not sent: this reply breaks a policy.")).to_be_visible()
    expect(page.get_by_text("fair_housing").first).to_be_visible()
    page.get_by_label("Reply to Robin Lead").fill("Yes, it's available. Would Saturday at 10 AM work?")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply queued.")).to_be_visible()


def test_showings_filter_by_status_unit_and_date_with_an_empty_state(page, live_server, world):
    login(page, live_server.url, "smoke-agent", PASSWORD)
    page.goto(live_server.url + "/showings/")
    expect(page.get_by_text("Sam Showing")).to_be_visible()
    page.get_by_label("Status").select_option("cancelled")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_text("Sam Showing")).to_have_count(0)
    expect(page.get_by_text("No showings match these filters.")).to_be_visible()
    page.get_by_label("Status").select_option("confirmed")
    page.get_by_label("Unit").select_option(label=str(world["unit"]))
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_text("Sam Showing")).to_be_visible()
    page.get_by_label("From").fill("2031-01-01")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_text("No showings match these filters.")).to_be_visible()


def test_availability_shows_an_error_for_an_invalid_rule_and_adds_a_valid_one(page, live_server, world):
    login(page, live_server.url, "smoke-agent", PASSWORD)
    page.goto(live_server.url + "/availability/")
    expect(page.get_by_role("heading", name="My availability")).to_be_visible()
    rules = page.locator("#section-rules")
    rules.locator("summary").click()
    rules.get_by_label("Weekday").select_option(label="Sunday")
    rules.get_by_label("Start time").fill("18:00")
    rules.get_by_label("End time").fill("09:00")
    rules.get_by_role("button", name="Add").click()
    expect(page.locator("#section-rules .errorlist").first).to_be_visible()
    rules = page.locator("#section-rules")
    rules.get_by_label("Start time").fill("19:00")
    rules.get_by_label("End time").fill("21:00")
    rules.get_by_role("button", name="Add").click()
    expect(page.locator("#section-rules").get_by_text("Sunday 19:00–21:00")).to_be_visible()
