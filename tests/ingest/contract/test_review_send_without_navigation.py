"""A send the platform takes without navigating (an XHR composer, a 204 answer) must still be confirmed
by reading the thread back, never reported as a retryable failure: a retry would send it twice."""

import pytest

from ingest.types import BrowserSettings

pytestmark = pytest.mark.contract


def _post_without_navigation(route):
    if route.request.method == "POST":
        route.fetch()  # the platform receives and stores the message...
        route.fulfill(status=204, body="")  # ...but the page stays where it is
    else:
        route.continue_()


def test_a_send_that_does_not_navigate_is_confirmed_from_the_thread(platform, sandbox, make_account):
    state = sandbox.state(platform)
    thread_id, _ = state.add_lead_message("Is it still available?", lead_name="Ada Brooks")
    _, adapter = make_account(platform, browser=BrowserSettings(navigation_timeout_ms=2_000))
    adapter.session.page.route("**/*", _post_without_navigation)

    external_id = adapter.send_message(thread_id, "Yes, it is. Would Friday at 6pm suit you?")

    assert state.send_count() == 1
    sent = state.sent_messages()[0]
    assert sent["body"] == "Yes, it is. Would Friday at 6pm suit you?"
    if platform != "renthop":  # RentHop shows no message ids; the adapter returns a content-derived key
        assert external_id == sent["message_id"]


# The composer posts with fetch() and the page updates in place, as single-page inboxes do.
_XHR_COMPOSER = """
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!form.querySelector('textarea')) return;
  event.preventDefault();
  fetch(form.action, {method: 'POST', body: new URLSearchParams(new FormData(form, event.submitter))});
}, true);
"""


def test_an_xhr_composer_send_is_confirmed_from_the_thread(platform, sandbox, make_account):
    state = sandbox.state(platform)
    thread_id, _ = state.add_lead_message("Could I visit on Sunday?", lead_name="Ada Brooks")
    _, adapter = make_account(platform, browser=BrowserSettings(navigation_timeout_ms=2_000))
    adapter.session.page.context.add_init_script(_XHR_COMPOSER)

    external_id = adapter.send_message(thread_id, "Sunday works: 2pm?")

    assert state.send_count() == 1
    if platform != "renthop":
        assert external_id == state.sent_messages()[0]["message_id"]
