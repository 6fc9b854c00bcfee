"""The `mock` runtime: in-memory platforms behind the same adapter interface, for unit tests and demos.

Each account gets a sandbox PlatformState (the same scripting API as the sandbox sites: add_lead_message,
add_listing, add_fault, expire_sessions, sent_messages...), so tests script the mock and the sandbox alike.
Only constructible when leasebot.runtime.mock_allowed() says so.
"""

from ingest.errors import (
    AccessBlocked,
    BotChallenge,
    CaptchaRequired,
    RateLimited,
    SendUnconfirmed,
    SessionExpired,
    ThreadNotFound,
)
from ingest.sandbox.state import OUTBOUND, PlatformState
from ingest.types import INBOUND, InboxRow, ListingInfo, Message, ParsedTime, Thread
from ingest.types import OUTBOUND as OUT
from leasebot import runtime as runtime_mode

# Platforms whose thread pages show no message ids: the mock hides them too, like the real adapter sees.
NO_MESSAGE_IDS = frozenset({"renthop"})


class MockRuntime:
    name = "mock"

    def __init__(self):
        if not runtime_mode.mock_allowed():
            raise runtime_mode.RuntimeForbidden(
                runtime_mode.runtime_problem()
                or "MOCK_RUNTIME_FORBIDDEN: the mock runtime needs LEASEBOT_RPA_RUNTIME=mock and LEASEBOT_ALLOW_MOCK_RUNTIME=1"
            )
        self._states = {}
        self._tokens = {}

    def state(self, config):
        """The in-memory platform behind an account (created on first use, logged in)."""
        key = config.context_key
        if key not in self._states:
            state = PlatformState(config.platform)
            self._states[key] = state
            self._tokens[key] = state.login(state.username, state.password)
        return self._states[key]

    def login(self, config):
        """A person logged in again after expire_sessions()."""
        state = self.state(config)
        self._tokens[config.context_key] = state.login(state.username, state.password)

    def adapter_for(self, config, *, clock=None):
        return MockAdapter(config, self.state(config), lambda: self._tokens.get(config.context_key))

    def close(self):
        self._states.clear()
        self._tokens.clear()


class MockAdapter:
    def __init__(self, config, state, token):
        self.config = config
        self.state = state
        self._token = token

    def _enter(self, *, is_send=False):
        fault = self.state.take_fault(is_send=is_send)
        if fault is not None:
            raise _fault_error(fault)
        if not self.state.has_session(self._token()):
            raise SessionExpired("mock session expired", detail="expire_sessions() was called")

    def list_inbox(self):
        self._enter()
        rows = []
        for position, thread in enumerate(self.state.inbox()):
            newest = thread.newest()
            rows.append(InboxRow(
                thread_id=thread.id, position=position, newest_message_id=newest.id, lead_name=thread.lead_name,
                snippet=newest.body[:80], listing_title=self._listing_title(thread), listing_ref=thread.listing_id,
                time=_parsed(newest.at),
            ))
        return rows

    def fetch_thread(self, thread_id):
        self._enter()
        return self._thread(thread_id)

    def send_message(self, thread_id, body):
        self._enter()
        before = {key for key, _ in self._thread(thread_id).message_keys()}
        self._enter(is_send=True)
        if self.state.record_send(thread_id, body) is None:
            raise ThreadNotFound(f"thread {thread_id} is gone", status=404)
        for key, message in self._thread(thread_id).message_keys():
            if key not in before and message.direction == OUT:
                return key
        raise SendUnconfirmed("the sent message did not show in the thread")

    def sync_listings(self):
        self._enter()
        return [
            ListingInfo(external_id=item.id, title=item.title, url=f"{self.config.base_url}/listings/{item.id}",
                        price_text=item.price, status=item.status, page=index // 10 + 1)
            for index, item in enumerate(self.state.listings)
        ]

    def _thread(self, thread_id):
        thread = self.state.thread(thread_id)
        if thread is None:
            raise ThreadNotFound(f"thread {thread_id} is gone", status=404)
        hide_ids = self.config.platform in NO_MESSAGE_IDS
        return Thread(
            thread_id=thread.id,
            lead_name=thread.lead_name,
            listing_title=self._listing_title(thread),
            listing_ref=thread.listing_id,
            messages=[
                Message(
                    external_id=None if hide_ids else m.id,
                    direction=OUT if m.direction == OUTBOUND else INBOUND,
                    body=m.body, time=_parsed(m.at), ordinal=i,
                )
                for i, m in enumerate(thread.messages)
            ],
        )

    def _listing_title(self, thread):
        listing = self.state.listing(thread.listing_id) if thread.listing_id else None
        return listing.title if listing else ""


def _parsed(at):
    return ParsedTime(raw=at.isoformat(), at=at, precision="second")


def _fault_error(fault):
    if fault.kind == "captcha":
        return CaptchaRequired("mock captcha")
    if fault.kind in ("challenge", "cloudflare"):
        return BotChallenge("mock challenge")
    if fault.kind == "blocked" or fault.status == 403:
        return AccessBlocked("mock block", status=403)
    return RateLimited(f"mock HTTP {fault.status}", status=fault.status)
