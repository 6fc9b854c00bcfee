import pytest
from django.core.exceptions import ImproperlyConfigured

from ingest import errors, runtime
from ingest.mock import MockRuntime
from ingest.types import INBOUND, OUTBOUND, AccountConfig

pytestmark = pytest.mark.unit


@pytest.fixture
def mock_allowed(settings):
    settings.LEASEBOT_ENV = "test"
    settings.LEASEBOT_RPA_RUNTIME = "mock"
    settings.LEASEBOT_ALLOW_MOCK_RUNTIME = True


@pytest.fixture
def fresh_process_runtime(monkeypatch):
    monkeypatch.setattr(runtime, "_process_runtime", {"pid": None, "runtime": None})


def config(platform="leasebreak", key="acct-1"):
    return AccountConfig(platform=platform, base_url=f"https://{platform}.example", account_key=key)


def test_the_mock_needs_an_explicit_opt_in(settings):
    settings.LEASEBOT_ENV = "test"
    settings.LEASEBOT_RPA_RUNTIME = "mock"
    settings.LEASEBOT_ALLOW_MOCK_RUNTIME = False
    with pytest.raises(ImproperlyConfigured, match="MOCK_RUNTIME_FORBIDDEN"):
        MockRuntime()


def test_the_mock_is_refused_in_production_even_when_allowed(settings, fresh_process_runtime):
    settings.LEASEBOT_ENV = "production"
    settings.LEASEBOT_RPA_RUNTIME = "mock"
    settings.LEASEBOT_ALLOW_MOCK_RUNTIME = True
    with pytest.raises(ImproperlyConfigured, match="MOCK_RUNTIME_FORBIDDEN"):
        runtime.get_runtime()


def test_the_process_runtime_follows_the_setting(settings, mock_allowed, fresh_process_runtime):
    assert isinstance(runtime.get_runtime(), MockRuntime)
    assert runtime.get_runtime() is runtime.get_runtime()
    runtime._process_runtime.update(pid=None, runtime=None)
    settings.LEASEBOT_RPA_RUNTIME = "playwright"
    assert isinstance(runtime.get_runtime(), runtime.PlaywrightRuntime)  # no browser until first use


def test_the_mock_speaks_the_adapter_interface(mock_allowed):
    mock = MockRuntime()
    account = config()
    state = mock.state(account)
    listing_id = state.add_listing("Studio in Chelsea", listing_id="LB1")
    thread_id, message_id = state.add_lead_message("Available?", lead_name="Ana", listing_id=listing_id)
    adapter = mock.adapter_for(account)

    rows = adapter.list_inbox()
    sent_id = adapter.send_message(thread_id, "Yes! Want to see it Friday?")
    thread = adapter.fetch_thread(thread_id)

    assert [(r.thread_id, r.newest_message_id, r.listing_ref) for r in rows] == [(thread_id, message_id, "LB1")]
    assert [(m.external_id, m.direction) for m in thread.messages] == [(message_id, INBOUND), (sent_id, OUTBOUND)]
    assert all(m.time.ok for m in thread.messages)
    assert state.send_count() == 1
    assert [item.external_id for item in adapter.sync_listings()] == ["LB1"]


def test_accounts_do_not_share_mock_platforms(mock_allowed):
    mock = MockRuntime()
    mock.state(config(key="a")).add_lead_message("Hi")
    assert mock.adapter_for(config(key="b")).list_inbox() == []


def test_renthop_in_the_mock_has_no_message_ids_like_the_real_site(mock_allowed):
    mock = MockRuntime()
    account = config("renthop")
    thread_id, _ = mock.state(account).add_lead_message("Hi")
    adapter = mock.adapter_for(account)
    sent = adapter.send_message(thread_id, "Hello")
    assert sent.startswith("c:")
    assert [m.external_id for m in adapter.fetch_thread(thread_id).messages] == [None, None]


@pytest.mark.parametrize(
    ("kind", "status", "error"),
    [("status", 429, errors.RateLimited), ("status", 503, errors.RateLimited), ("status", 403, errors.AccessBlocked),
     ("captcha", 0, errors.CaptchaRequired), ("cloudflare", 0, errors.BotChallenge),
     ("blocked", 0, errors.AccessBlocked)],
)
def test_mock_faults_raise_the_same_typed_errors(mock_allowed, kind, status, error):
    mock = MockRuntime()
    account = config()
    mock.state(account).add_fault(kind, status=status, times=1)
    adapter = mock.adapter_for(account)
    with pytest.raises(error):
        adapter.list_inbox()
    assert adapter.list_inbox() == []


def test_an_expired_mock_session_needs_a_new_login(mock_allowed):
    mock = MockRuntime()
    account = config()
    adapter = mock.adapter_for(account)
    mock.state(account).expire_sessions()
    with pytest.raises(errors.SessionExpired):
        adapter.list_inbox()
    mock.login(account)
    assert adapter.list_inbox() == []


def test_a_failed_mock_send_is_not_recorded(mock_allowed):
    mock = MockRuntime()
    account = config()
    state = mock.state(account)
    thread_id, _ = state.add_lead_message("Hi")
    state.add_fault("status", status=429, times=1, applies_to="send")
    with pytest.raises(errors.RateLimited):
        mock.adapter_for(account).send_message(thread_id, "Hello")
    assert state.send_count() == 0


def test_a_missing_thread_in_the_mock_is_thread_not_found(mock_allowed):
    adapter = MockRuntime().adapter_for(config())
    with pytest.raises(errors.ThreadNotFound):
        adapter.fetch_thread("nope")
    with pytest.raises(errors.ThreadNotFound):
        adapter.send_message("nope", "Hi")
