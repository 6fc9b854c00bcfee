"""In-memory state of one imitation platform, scriptable from tests (and over HTTP, see app.py).

Every public method is safe to call from any thread: the sandbox server answers requests on its own
threads while a test scripts it.
"""

import dataclasses
import datetime as dt
import itertools
import secrets
import threading

INBOUND = "inbound"
OUTBOUND = "outbound"

FAULT_KINDS = ("status", "captcha", "challenge", "cloudflare", "blocked")


@dataclasses.dataclass
class SandboxMessage:
    id: str
    direction: str
    body: str
    at: dt.datetime
    author: str = ""


@dataclasses.dataclass
class SandboxThread:
    id: str
    lead_name: str
    listing_id: str = ""
    messages: list = dataclasses.field(default_factory=list)

    def newest(self):
        return self.messages[-1] if self.messages else None

    def newest_inbound(self):
        return next((m for m in reversed(self.messages) if m.direction == INBOUND), None)


@dataclasses.dataclass
class SandboxListing:
    id: str
    title: str
    price: str = ""
    status: str = "active"


@dataclasses.dataclass
class Fault:
    kind: str
    status: int = 0
    times: int | None = None  # None: until cleared
    applies_to: str = "pages"  # "pages" | "send" | "all"


class PlatformState:
    def __init__(self, platform, *, username="demo", password="demo", clock=None):
        self.platform = platform
        self.username = username
        self.password = password
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._lock = threading.RLock()
        self._ids = itertools.count(1001)
        self.reset()

    # -- scripting ----------------------------------------------------------------------------------
    def reset(self):
        with self._lock:
            self.threads = {}
            self.listings = []
            self.sent = []
            self.sessions = set()
            self.faults = []
            self.delay_seconds = 0.0
            self.send_delay_seconds = 0.0
            self.malformed_rows = False
            self.duplicate_rows = False
            self.requests = 0
            self.login_count = 0
            self.other_posts = []  # form posts that are not sends (e.g. Roomies' "Report" menu button)
            self.reject_headless_user_agent = False

    def now(self):
        return self._clock()

    def set_clock(self, clock):
        self._clock = clock

    def add_lead_message(self, body, *, thread_id=None, lead_name="Jordan Lee", listing_id="", at=None):
        """A lead writes: into `thread_id` if it exists, else a new thread. Returns (thread_id, message_id)."""
        with self._lock:
            thread_id = str(thread_id) if thread_id else self._new_thread_id()
            thread = self.threads.get(thread_id)
            if thread is None:
                thread = SandboxThread(id=thread_id, lead_name=lead_name, listing_id=str(listing_id or ""))
                self.threads[thread_id] = thread
            message = SandboxMessage(
                id=self._new_message_id(), direction=INBOUND, body=body, at=at or self.now(), author=thread.lead_name
            )
            thread.messages.append(message)
            return thread_id, message.id

    def add_our_message(self, thread_id, body, *, at=None):
        """A message we sent earlier (e.g. through the site by hand); not counted as a send."""
        with self._lock:
            thread = self.threads[str(thread_id)]
            message = SandboxMessage(id=self._new_message_id(), direction=OUTBOUND, body=body, at=at or self.now())
            thread.messages.append(message)
            return message.id

    def add_listing(self, title, *, listing_id=None, price="$1,200/mo", status="active"):
        with self._lock:
            listing = SandboxListing(id=str(listing_id or f"L{next(self._ids)}"), title=title, price=price, status=status)
            self.listings.append(listing)
            return listing.id

    def sent_messages(self):
        """What the bot sent through the composer: [{"thread_id", "message_id", "body", "at"}]."""
        with self._lock:
            return [dict(item) for item in self.sent]

    def send_count(self, thread_id=None):
        with self._lock:
            return sum(1 for item in self.sent if thread_id is None or item["thread_id"] == str(thread_id))

    def expire_sessions(self):
        with self._lock:
            self.sessions.clear()

    def add_fault(self, kind, *, status=0, times=None, applies_to="pages"):
        """Answer the next `times` requests (None: all until cleared) with a fault.

        kind: "status" (HTTP `status`: 429/503/403), "captcha" (the platform's captcha widget),
        "challenge" (the platform's challenge element), "cloudflare" ("Just a moment..." page, 503),
        "blocked" ("Sorry, you have been blocked", 403).
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {FAULT_KINDS}")
        if kind == "status" and status not in (403, 429, 500, 502, 503):
            raise ValueError("status fault needs status 403, 429, 500, 502 or 503")
        with self._lock:
            self.faults.append(Fault(kind=kind, status=status, times=times, applies_to=applies_to))

    def clear_faults(self):
        with self._lock:
            self.faults.clear()
            self.delay_seconds = 0.0
            self.send_delay_seconds = 0.0

    def set_delay(self, seconds):
        with self._lock:
            self.delay_seconds = float(seconds)

    def set_send_delay(self, seconds):
        """Store a sent message at once but answer the POST only after `seconds` (a worker can die between
        the click and the confirmation)."""
        with self._lock:
            self.send_delay_seconds = float(seconds)

    def set_rows(self, *, malformed=None, duplicate=None):
        with self._lock:
            if malformed is not None:
                self.malformed_rows = bool(malformed)
            if duplicate is not None:
                self.duplicate_rows = bool(duplicate)

    def set_reject_headless(self, reject=True):
        """Treat a "HeadlessChrome" user agent as logged out, as some platforms do."""
        with self._lock:
            self.reject_headless_user_agent = bool(reject)

    def snapshot(self):
        """A JSON-friendly view of everything, for the HTTP control API and for debugging tests."""
        with self._lock:
            return {
                "platform": self.platform,
                "threads": [
                    {
                        "id": t.id, "lead_name": t.lead_name, "listing_id": t.listing_id,
                        "messages": [
                            {"id": m.id, "direction": m.direction, "body": m.body, "at": m.at.isoformat()}
                            for m in t.messages
                        ],
                    }
                    for t in self.threads.values()
                ],
                "listings": [dataclasses.asdict(item) for item in self.listings],
                "sent": [{**item, "at": item["at"].isoformat()} for item in self.sent],
                "faults": [dataclasses.asdict(f) for f in self.faults],
                "requests": self.requests,
                "logins": self.login_count,
                "other_posts": list(self.other_posts),
            }

    # -- used by the web app ------------------------------------------------------------------------
    def login(self, username, password):
        with self._lock:
            if username != self.username or password != self.password:
                return None
            token = secrets.token_urlsafe(16)
            self.sessions.add(token)
            self.login_count += 1
            return token

    def record_other_post(self, path):
        with self._lock:
            self.other_posts.append(path)

    def has_session(self, token):
        with self._lock:
            return bool(token) and token in self.sessions

    def take_fault(self, *, is_send):
        """The fault that applies to this request, consuming one use of it."""
        with self._lock:
            self.requests += 1
            for fault in list(self.faults):
                if fault.applies_to == "pages" and is_send:
                    continue
                if fault.applies_to == "send" and not is_send:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                return fault
            return None

    def record_send(self, thread_id, body):
        with self._lock:
            thread = self.threads.get(str(thread_id))
            if thread is None:
                return None
            message = SandboxMessage(id=self._new_message_id(), direction=OUTBOUND, body=body, at=self.now())
            thread.messages.append(message)
            self.sent.append({"thread_id": thread.id, "message_id": message.id, "body": body, "at": message.at})
            return message.id

    def thread(self, thread_id):
        with self._lock:
            thread = self.threads.get(str(thread_id))
            return None if thread is None else dataclasses.replace(thread, messages=list(thread.messages))

    def listing(self, listing_id):
        with self._lock:
            return next((item for item in self.listings if item.id == str(listing_id)), None)

    def inbox(self):
        """Threads in the platform's inbox order (newest activity first; SpareRoom overrides this)."""
        with self._lock:
            threads = [dataclasses.replace(t, messages=list(t.messages)) for t in self.threads.values() if t.messages]
        return sorted(threads, key=lambda t: t.newest().at, reverse=True)

    def listings_page(self, page, per_page):
        with self._lock:
            start = (page - 1) * per_page
            return list(self.listings[start:start + per_page])

    def _new_thread_id(self):
        if self.platform == "roomies":
            return f"c{secrets.token_hex(4)}"
        return str(next(self._ids) * 7)

    def _new_message_id(self):
        return str(next(self._ids))
