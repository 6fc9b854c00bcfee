"""The send button is the composer's own: another form's submit earlier in the page (site search, newsletter)
must never be clicked, even when the first send selector is as broad as LeaseBreak's `button[type='submit']`."""

import pytest

pytestmark = pytest.mark.contract

_SEARCH_FORM_FIRST = """
document.addEventListener('DOMContentLoaded', () => {
  const form = document.createElement('form');
  form.method = 'get';
  form.action = location.pathname.split('/').slice(0, 2).join('/') + '/search';
  form.innerHTML = "<input name='q'><button type='submit'>Search</button>";
  document.body.prepend(form);
});
"""


@pytest.mark.parametrize("platform", ["leasebreak", "roomies"])
def test_it_clicks_the_composers_button_not_the_first_submit_on_the_page(platform, sandbox, make_account):
    state = sandbox.state(platform)
    thread_id, _ = state.add_lead_message("Is it available in May?", lead_name="Ada Brooks")
    overrides = {"selectors": {"send": ["button[type='submit']"]}} if platform == "roomies" else {}
    _, adapter = make_account(platform, overrides=overrides)
    adapter.session.page.context.add_init_script(_SEARCH_FORM_FIRST)

    adapter.send_message(thread_id, "It is: would Tuesday at 6pm work?")

    assert [sent["body"] for sent in state.sent_messages()] == ["It is: would Tuesday at 6pm work?"]
