"""The five imitation platforms: their paths, markup, login walls, times and walls of the anti-bot kind.

Markup follows shared/PLATFORMS.md so the real adapters (default selectors) run unchanged against it.
"""

import abc
import dataclasses
import re
import time
from html import escape
from urllib.parse import quote

from ingest.sandbox import timefmt
from ingest.sandbox.state import INBOUND

LISTINGS_PER_PAGE = 10


@dataclasses.dataclass
class Request:
    method: str
    path: str  # inside the platform, e.g. "/inbox/c1a2"
    query: dict
    form: dict
    cookies: dict
    prefix: str  # "/roomies"
    user_agent: str = ""

    @property
    def full_path(self):
        query = "&".join(f"{k}={quote(v)}" for k, v in self.query.items())
        return self.prefix + self.path + (f"?{query}" if query else "")


@dataclasses.dataclass
class Response:
    status: int = 200
    body: str = ""
    headers: list = dataclasses.field(default_factory=list)


def page(title, body, *, status=200, headers=None):
    html = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title></head><body>{body}</body></html>"
    )
    return Response(status=status, body=html, headers=list(headers or []))


def redirect(location, status=303, headers=None):
    return Response(status=status, headers=[("Location", location), *(headers or [])])


def cloudflare_page():
    return page(
        "Just a moment...",
        "<h1>Checking your browser before accessing the site.</h1>"
        "<p>Verifying you are human. This may take a few seconds.</p>"
        "<p>Performance &amp; security by Cloudflare</p><p>Ray ID: 8c1f0sandbox</p>",
        status=503,
    )


def blocked_page():
    return page(
        "Attention Required! | Cloudflare",
        "<h1>Sorry, you have been blocked</h1><p>You are unable to access this site.</p><p>Ray ID: 8c1f0sandbox</p>",
        status=403,
    )


def status_page(status):
    reason = {403: "Forbidden", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
              503: "Service Unavailable"}[status]
    headers = [("Retry-After", "1")] if status in (429, 503) else []
    return page(f"{status} {reason}", f"<h1>{reason}</h1>", status=status, headers=headers)


class Site(abc.ABC):
    name = ""
    title = ""
    login_path = "/login"
    inbox_path = "/inbox"
    composer_name = "message"
    listing_paths = ()  # paths that serve the listing pages; others 404
    captcha_html = ""
    challenge_html = ""
    wall_text = "Please log in."

    def __init__(self, state):
        self.state = state

    # -- routing ------------------------------------------------------------------------------------
    def handle(self, request):
        is_login = request.path == self.login_path
        fault = self.state.take_fault(is_send=request.method == "POST" and not is_login)
        if fault is not None:
            return self.fault_response(fault)
        if is_login:
            return self.login(request)
        if not self.state.has_session(request.cookies.get(self.cookie_name)) or self.rejects_agent(request):
            return self.login_wall(request)
        thread_id = self.thread_id_for(request)
        if request.path == self.inbox_path and thread_id is None:
            return self.inbox(request)
        if thread_id is not None:
            if request.method == "POST":
                return self.send(request, thread_id)
            return self.thread_page(request, thread_id)
        if request.path in self.listing_paths:
            return self.listings(request)
        if request.method == "POST":
            self.state.record_other_post(request.path)
        return page("Not found", "<h1>Page not found</h1>", status=404)

    def rejects_agent(self, request):
        return self.state.reject_headless_user_agent and "HeadlessChrome" in request.user_agent

    @property
    def cookie_name(self):
        return f"sb_{self.name}"

    def url(self, path):
        return f"/{self.name}{path}"

    @abc.abstractmethod
    def thread_url(self, thread_id):
        """Each platform's own markup or URL scheme."""

    @abc.abstractmethod
    def thread_id_for(self, request):
        """Each platform's own markup or URL scheme."""

    # -- walls --------------------------------------------------------------------------------------
    def fault_response(self, fault):
        if fault.kind == "status":
            return status_page(fault.status)
        if fault.kind == "cloudflare":
            return cloudflare_page()
        if fault.kind == "blocked":
            return blocked_page()
        if fault.kind == "captcha":
            return page(self.title, f"<h1>One more step</h1>{self.captcha_html}")
        return page(self.title, f"<h1>Checking your connection</h1>{self.challenge_html}")

    def login_wall(self, request):
        return redirect(f"{self.url(self.login_path)}?next={quote(request.full_path)}", status=302)

    def login_form(self, *, next_url="", error=""):
        return (
            f"<h1>{escape(self.title)}: log in</h1><p class='wall'>{escape(self.wall_text)}</p>"
            + (f"<p class='error'>{escape(error)}</p>" if error else "")
            + f"<form method='post' action='{self.url(self.login_path)}'>"
            f"<input type='hidden' name='next' value='{escape(next_url)}'>"
            "<label>Email <input name='username' autocomplete='username'></label>"
            "<label>Password <input type='password' name='password' autocomplete='current-password'></label>"
            "<button type='submit' name='login'>Log in</button></form>"
        )

    def login(self, request):
        next_url = request.form.get("next") or request.query.get("next") or ""
        if request.method != "POST":
            return page(f"Log in | {self.title}", self.login_form(next_url=next_url))
        token = self.state.login(request.form.get("username", ""), request.form.get("password", ""))
        if token is None:
            return page(f"Log in | {self.title}", self.login_form(next_url=next_url, error="Wrong email or password"))
        if not next_url.startswith(f"/{self.name}/"):
            next_url = self.url(self.inbox_path)
        cookie = f"{self.cookie_name}={token}; Path=/{self.name}; Max-Age=2592000; HttpOnly; SameSite=Lax"
        return redirect(next_url, headers=[("Set-Cookie", cookie)])

    # -- pages --------------------------------------------------------------------------------------
    def inbox_threads(self):
        return self.state.inbox()

    def inbox(self, request):
        now = self.state.now()
        rows = [self.inbox_row(thread, now) for thread in self.inbox_threads()]
        if not rows:
            return page(f"Inbox | {self.title}", self.inbox_markup(
                "<p class='empty-state' data-testid='inbox-empty'>No messages yet</p>"))
        if self.state.duplicate_rows and rows:
            rows.insert(1, rows[0])
        if self.state.malformed_rows:
            rows.insert(min(1, len(rows)), self.malformed_row())
        return page(f"Inbox | {self.title}", self.inbox_markup("".join(rows)))

    def inbox_markup(self, rows):
        return f"<h1>Messages</h1><div class='inbox'>{rows}</div>"

    def thread_page(self, request, thread_id):
        thread = self.state.thread(thread_id)
        if thread is None:
            return page("Not found", "<h1>Conversation not found</h1>", status=404)
        now = self.state.now()
        listing = self.state.listing(thread.listing_id) if thread.listing_id else None
        messages = "".join(self.message_item(m, now) for m in thread.messages)
        return page(f"{thread.lead_name} | {self.title}", self.thread_markup(thread, listing, messages))

    def send(self, request, thread_id):
        body = (request.form.get(self.composer_name) or "").replace("\r\n", "\n").strip()
        if self.state.thread(thread_id) is None:
            return page("Not found", "<h1>Conversation not found</h1>", status=404)
        if not body:
            return page(self.title, "<p class='error'>Message can't be blank</p>", status=422)
        self.state.record_send(thread_id, body)
        if self.state.send_delay_seconds:
            time.sleep(self.state.send_delay_seconds)
        return redirect(self.thread_url(thread_id))

    def page_number(self, request):
        return _int(request.query.get("page"), 1)

    def listings(self, request):
        items = self.state.listings_page(self.page_number(request), LISTINGS_PER_PAGE)
        cards = "".join(self.listing_card(item) for item in items)
        if not items and self.page_number(request) == 1:
            cards = "<p class='empty-state' data-testid='listings-empty'>You have no listings yet</p>"
        return page(f"My listings | {self.title}", f"<h1>My listings</h1><div class='listings'>{cards}</div>")

    @abc.abstractmethod
    def listing_card(self, item):
        """Each platform's own markup or URL scheme."""

    def listing_title(self, listing):
        return listing.title if listing else ""

    def search_form(self):
        """A site-wide search form whose submit button precedes the composer's (a broad send selector
        must not pick it)."""
        return (f"<form method='get' action='{self.url('/search')}' class='site-search'>"
                "<input name='q' placeholder='Search'><button type='submit'>Search</button></form>")

    @abc.abstractmethod
    def composer(self, thread_id, extra=""):
        """Each platform's own markup or URL scheme."""


def _int(value, default):
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def _e(value):
    return escape(str(value), quote=True)


class SpareRoom(Site):
    name = "spareroom"
    title = "SpareRoom"
    login_path = "/roommate/logon.pl"
    inbox_path = "/roommate/mythreads_beta.pl"
    listing_paths = ("/roommate/mylistings.pl",)
    wall_text = "To view this content you will need to either log in or register."
    captcha_html = "<div class='g-recaptcha' data-sitekey='6Lc-sandbox'></div><iframe title='reCAPTCHA captcha'></iframe>"
    challenge_html = "<div data-cy='bot-check'>Please confirm you are not a robot.</div>"

    def thread_url(self, thread_id):
        return self.url(f"{self.inbox_path}?thread_id={thread_id}")

    def thread_id_for(self, request):
        if request.path != self.inbox_path:
            return None
        return request.query.get("thread_id") or request.form.get("thread_id") or None

    def inbox_threads(self):
        # SpareRoom's quirk: ordered by the newest *inbound* message, even when our reply is newer.
        threads = self.state.inbox()
        return sorted(threads, key=lambda t: (t.newest_inbound() or t.messages[0]).at, reverse=True)

    def inbox_row(self, thread, now):
        newest = thread.newest()
        listing = self.state.listing(thread.listing_id) if thread.listing_id else None
        return (
            f"<a class='thread_item' href='{_e(self.thread_url(thread.id))}' data-thread-id='{_e(thread.id)}' "
            f"data-message-id='{_e(newest.id)}'><span class='name'>{_e(thread.lead_name)}</span>"
            f"<span class='ad-title'>{_e(self.listing_title(listing))}</span>"
            f"<span class='snippet'>{_e(newest.body[:80])}</span>"
            f"<i class='threadDate'>{_e(timefmt.spareroom(newest.at, now))}</i></a>"
        )

    def malformed_row(self):
        return ("<a class='thread_item' href='#' data-thread-id='' data-message-id=''><span class='name'></span>"
                "<i class='threadDate'>sometime</i></a>")

    def thread_markup(self, thread, listing, messages):
        ad = ""
        if listing:
            ad = (f"<a class='ad-link' data-listing-id='{_e(listing.id)}' "
                  f"href='{self.url('/flatshare/flatshare_detail.pl?flatshare_id=' + listing.id)}'>{_e(listing.title)}</a>")
        return (
            f"<div class='thread_header'><h1 class='thread-lead'>{_e(thread.lead_name)}</h1>{ad}</div>"
            f"<ul class='messages'>{messages}</ul>{self.composer(thread.id)}"
        )

    def message_item(self, message, now):
        ours = "" if message.direction == INBOUND else " message--ours"
        return (
            f"<li class='message{ours}' id='msg_{_e(message.id)}'><dl>"
            f"<dd class='message_body'>{_e(message.body)}</dd>"
            f"<dd class='message_date'>{_e(timefmt.spareroom_long(message.at, now))}</dd></dl></li>"
        )

    def composer(self, thread_id, extra=""):
        return (
            f"<form method='post' action='{self.url(self.inbox_path)}'>"
            f"<input type='hidden' name='thread_id' value='{_e(thread_id)}'>"
            "<textarea name='message'></textarea>"
            "<button type='submit' name='btnSubmit' value='Send'>Send</button></form>"
        )

    def page_number(self, request):
        # SpareRoom pages its adverts by offset, in steps of ten.
        offset = request.query.get("offset") or "0"
        return int(offset) // LISTINGS_PER_PAGE + 1 if offset.isdigit() else 1

    def listing_card(self, item):
        return (
            f"<li class='listing-result' data-listing-id='{_e(item.id)}'>"
            f"<h2 class='listing-title'>{_e(item.title)}</h2><span class='listing-price'>{_e(item.price)}</span>"
            f"<span class='listing-status'>{_e(item.status)}</span>"
            f"<a href='{self.url('/flatshare/flatshare_detail.pl?flatshare_id=' + item.id)}'>View ad</a></li>"
        )


class Roomies(Site):
    name = "roomies"
    title = "Roomies"
    login_path = "/login"
    inbox_path = "/inbox"
    composer_name = "body"
    listing_paths = ("/rooms/manage",)  # the earlier guesses (/dashboard, /my-listings, /listings) 404 here
    wall_text = "Please login to continue."
    captcha_html = "<iframe src='about:blank#recaptcha' title='captcha'></iframe>"
    challenge_html = "<div id='challenge-stage'>Checking your browser</div>"

    def thread_url(self, thread_id):
        return self.url(f"/inbox/{thread_id}")

    def thread_id_for(self, request):
        match = re.fullmatch(r"/inbox/([A-Za-z0-9_-]+)", request.path)
        return match.group(1) if match and match.group(1) not in ("archived", "settings") else None

    def inbox_markup(self, rows):
        # The menu links also contain "/inbox/": adapters must skip them (role=menuitem, no lead name).
        menu = (f"<nav><a role='menuitem' href='{self.url('/inbox/archived')}'>Archived</a>"
                f"<a role='menuitem' href='{self.url('/inbox/settings')}'>Settings</a></nav>")
        return f"{menu}<h1>Inbox</h1><div class='divide-y'>{rows}</div>"

    def inbox_row(self, thread, now):
        newest = thread.newest()
        listing = self.state.listing(thread.listing_id) if thread.listing_id else None
        return (
            f"<a data-testid='message-row' class='flex p-4' href='{_e(self.thread_url(thread.id))}'>"
            f"<div class='font-semibold text-gray-800'>{_e(thread.lead_name)}</div>"
            f"<div data-testid='message-listing-title'>{_e(self.listing_title(listing))}</div>"
            f"<div class='text-gray-700 text-sm truncate'>{_e(newest.body[:80])}</div>"
            f"<time datetime='{timefmt.iso_utc(newest.at)}'>{_e(timefmt.ago(newest.at, now))}</time></a>"
        )

    def malformed_row(self):
        return ("<a data-testid='message-row' href='/roomies/inbox/'><div class='font-semibold text-gray-800'></div>"
                "<time datetime='not-a-date'>whenever</time></a>")

    def thread_markup(self, thread, listing, messages):
        ad = ""
        if listing:
            ad = (f"<a data-testid='thread-listing' data-listing-id='{_e(listing.id)}' "
                  f"href='{self.url('/rooms/' + listing.id)}'>{_e(listing.title)}</a>")
        return (
            f"{self.search_form()}<header><h1 data-testid='thread-lead-name'>{_e(thread.lead_name)}</h1>{ad}</header>"
            f"<ul>{messages}</ul>{self.composer(thread.id)}"
        )

    def message_item(self, message, now):
        direction = "inbound" if message.direction == INBOUND else "outbound"
        align = "justify-start" if direction == "inbound" else "justify-end"
        return (
            f"<li x-data=\"messageItem({_e(message.id)})\" data-message-id='{_e(message.id)}' "
            f"data-testid='thread-message' data-direction='{direction}' class='flex {align}'>"
            f"<div class='whitespace-pre-line'>{_e(message.body)}</div>"
            f"<time datetime='{timefmt.iso_utc(message.at)}'>{_e(timefmt.ago(message.at, now))}</time></li>"
        )

    def composer(self, thread_id, extra=""):
        report = (f"<form method='post' action='{self.url('/report/' + thread_id)}'>"
                  "<button type='submit' role='menuitem'>Report conversation</button></form>")
        return (
            f"{report}<form method='post' action='{_e(self.thread_url(thread_id))}'>"
            "<textarea name='body' data-testid='message-input'></textarea>"
            "<button type='submit' data-testid='send-message'>Send</button></form>"
        )

    def listing_card(self, item):
        return (
            f"<div data-testid='listing-card' data-room-id='{_e(item.id)}'>"
            f"<a href='{self.url('/rooms/' + item.id)}'><h3 data-testid='listing-title'>{_e(item.title)}</h3></a>"
            f"<span data-testid='listing-price'>{_e(item.price)}</span>"
            f"<span data-testid='listing-status'>{_e(item.status)}</span></div>"
        )


class Leasebreak(Site):
    name = "leasebreak"
    title = "Leasebreak"
    login_path = "/users/sign_in"
    inbox_path = "/messages"
    listing_paths = ("/account/listings",)
    wall_text = "You need to sign in or sign up before continuing. Please sign in."
    captcha_html = "<iframe src='about:blank#hcaptcha'></iframe><div data-sitekey='10000000-sandbox'></div>"
    challenge_html = "<div id='cf-challenge-running'></div><form class='challenge-form'></form>"

    def thread_url(self, thread_id):
        return self.url(f"/messages/{thread_id}")

    def thread_id_for(self, request):
        match = re.fullmatch(r"/messages/(\d+)", request.path)
        return match.group(1) if match else None

    def inbox_row(self, thread, now):
        newest = thread.newest()
        listing = self.state.listing(thread.listing_id) if thread.listing_id else None
        return (
            f"<div class='message-row' data-thread-id='{_e(thread.id)}' data-message-id='{_e(newest.id)}'>"
            f"<a href='{_e(self.thread_url(thread.id))}'><span data-testid='message-lead-name'>{_e(thread.lead_name)}</span></a>"
            f"<span data-testid='message-thread-label'>{_e(self.listing_title(listing))}</span>"
            f"<p class='message-preview'>{_e(newest.body[:80])}</p>"
            f"<time datetime='{timefmt.iso_eastern(newest.at)}'>{_e(timefmt.leasebreak(newest.at))}</time></div>"
        )

    def malformed_row(self):
        return "<div class='message-row' data-thread-id='' data-message-id=''><time datetime=''>n/a</time></div>"

    def thread_markup(self, thread, listing, messages):
        ad = ""
        if listing:
            ad = (f"<a class='listing-title' data-listing-id='{_e(listing.id)}' "
                  f"href='{self.url('/listing/' + listing.id)}'>{_e(listing.title)}</a>")
        return (
            f"{self.search_form()}<div class='thread-header'><h1 data-testid='thread-lead-name'>{_e(thread.lead_name)}</h1>{ad}</div>"
            f"<section>{messages}</section>{self.composer(thread.id)}"
        )

    def message_item(self, message, now):
        direction = "inbound" if message.direction == INBOUND else "outbound"
        return (
            f"<article class='message' data-message-id='{_e(message.id)}' data-direction='{direction}'>"
            f"<div data-testid='message-body'>{_e(message.body)}</div>"
            f"<time datetime='{timefmt.iso_eastern(message.at)}'>{_e(timefmt.leasebreak(message.at))}</time></article>"
        )

    def composer(self, thread_id, extra=""):
        return (
            f"<form method='post' action='{_e(self.thread_url(thread_id))}'>"
            "<input type='hidden' name='authenticity_token' value='sandbox'>"
            "<textarea name='message'></textarea><button type='submit' data-testid='send-button'>Send</button></form>"
        )

    def listing_card(self, item):
        return (
            f"<div data-testid='listing-card' data-listing-id='{_e(item.id)}'>"
            f"<a href='{self.url('/listing/' + item.id)}'><h3 class='listing-title'>{_e(item.title)}</h3></a>"
            f"<span class='listing-price'>{_e(item.price)}</span><span class='listing-status'>{_e(item.status)}</span></div>"
        )


class RentHop(Site):
    name = "renthop"
    title = "RentHop"
    login_path = "/login"
    inbox_path = "/account/messages"
    listing_paths = ("/account/listings",)
    wall_text = "Log in to your RentHop account."
    captcha_html = "<iframe src='about:blank#recaptcha'></iframe><input type='hidden' name='cf-turnstile-response'>"
    challenge_html = "<div data-testid='challenge-screen'>One moment…</div>"

    def thread_url(self, thread_id):
        return self.url(f"/account/messages/{thread_id}")

    def thread_id_for(self, request):
        match = re.fullmatch(r"/account/messages/(\d+)", request.path)
        return match.group(1) if match else None

    def login_wall(self, request):
        # RentHop's quirk: no redirect, the login form is rendered in place with a 200.
        return page(f"Log in | {self.title}", self.login_form(next_url=request.full_path))

    def inbox_row(self, thread, now):
        newest = thread.newest()
        listing = self.state.listing(thread.listing_id) if thread.listing_id else None
        return (
            f"<a data-testid='message-item' href='{_e(self.thread_url(thread.id))}' data-thread-id='{_e(thread.id)}' "
            f"data-message-id='{_e(newest.id)}'><b data-testid='message-sender'>{_e(thread.lead_name)}</b>"
            f"<span data-testid='message-listing'>{_e(self.listing_title(listing))}</span>"
            f"<span data-testid='message-snippet'>{_e(newest.body[:80])}</span>"
            f"<small data-testid='message-time'>{_e(timefmt.ago(newest.at, now, short=True))}</small></a>"
        )

    def malformed_row(self):
        return "<a data-testid='message-item' data-thread-id='' data-message-id=''><small data-testid='message-time'>??</small></a>"

    def thread_markup(self, thread, listing, messages):
        ad = ""
        if listing:
            ad = f"<a data-listing-id='{_e(listing.id)}' href='{self.url('/listings/' + listing.id)}'>{_e(listing.title)}</a>"
        return (f"<h1 data-testid='thread-sender'>{_e(thread.lead_name)}</h1>{ad}"
                f"<div class='conversation'>{messages}</div>{self.composer(thread.id)}")

    def message_item(self, message, now):
        # RentHop shows no message ids: adapters derive ids from content.
        direction = "inbound" if message.direction == INBOUND else "outbound"
        return (
            f"<div class='message-bubble' data-testid='thread-message' data-direction='{direction}'>"
            f"<p data-testid='message-text'>{_e(message.body)}</p>"
            f"<small data-testid='message-time'>{_e(timefmt.ago(message.at, now, short=True))}</small></div>"
        )

    def composer(self, thread_id, extra=""):
        return (f"<form method='post' action='{_e(self.thread_url(thread_id))}'><textarea name='message'></textarea>"
                "<button type='submit' data-testid='send-button'>Send</button></form>")

    def listing_card(self, item):
        return (
            f"<div class='listing-row' data-listing-id='{_e(item.id)}'>"
            f"<a href='{self.url('/listings/' + item.id)}' data-testid='listing-title'>{_e(item.title)}</a>"
            f"<span data-testid='listing-price'>{_e(item.price)}</span>"
            f"<span data-testid='listing-status'>{_e(item.status)}</span></div>"
        )


class FurnishedFinder(Site):
    name = "furnishedfinder"
    title = "Furnished Finder"
    login_path = "/login"
    inbox_path = "/messaging/inbox"
    composer_name = "messageBody"
    listing_paths = ("/landlord/properties",)
    wall_text = "Sign in to Furnished Finder."
    captcha_html = "<div data-testid='captcha-frame'><iframe src='about:blank#captcha'></iframe></div>"
    challenge_html = "<div data-testid='bot-challenge'>Verifying…</div>"

    def thread_url(self, thread_id):
        return self.url(f"/messaging/thread/{thread_id}")

    def thread_id_for(self, request):
        match = re.fullmatch(r"/messaging/thread/(\d+)", request.path)
        return match.group(1) if match else None

    def login_wall(self, request):
        return redirect(f"{self.url(self.login_path)}?ReturnUrl={quote(request.full_path)}", status=302)

    def inbox_row(self, thread, now):
        newest = thread.newest()
        listing = self.state.listing(thread.listing_id) if thread.listing_id else None
        return (
            f"<div class='thread-row' data-thread-id='{_e(thread.id)}' data-message-id='{_e(newest.id)}'>"
            f"<a href='{_e(self.thread_url(thread.id))}' class='thread-name'>{_e(thread.lead_name)}</a>"
            f"<span class='thread-property'>{_e(self.listing_title(listing))}</span>"
            f"<p data-testid='thread-preview'>{_e(newest.body[:80])}</p>"
            f"<span class='thread-time'>{_e(timefmt.furnishedfinder(newest.at))}</span></div>"
        )

    def malformed_row(self):
        return "<div class='thread-row' data-thread-id='' data-message-id=''><span class='thread-time'>13/45/2026 99:99</span></div>"

    def thread_markup(self, thread, listing, messages):
        ad = ""
        if listing:
            ad = (f"<a data-property-id='{_e(listing.id)}' href='{self.url('/property/' + listing.id)}'>"
                  f"{_e(listing.title)}</a>")
        return (f"<h1 data-testid='thread-traveler'>{_e(thread.lead_name)}</h1>{ad}"
                f"<div class='thread'>{messages}</div>{self.composer(thread.id)}")

    def message_item(self, message, now):
        direction = "inbound" if message.direction == INBOUND else "outbound"
        css = "thread-message" + ("" if direction == "inbound" else " thread-message--landlord")
        return (
            f"<div class='{css}' data-testid='thread-message' data-message-id='{_e(message.id)}' data-direction='{direction}'>"
            f"<div class='thread-message-body'>{_e(message.body)}</div>"
            f"<span class='thread-message-time'>{_e(timefmt.furnishedfinder(message.at))}</span></div>"
        )

    def composer(self, thread_id, extra=""):
        return (f"<form method='post' action='{_e(self.thread_url(thread_id))}'><textarea name='messageBody'></textarea>"
                "<button type='submit' data-testid='thread-send'>Send message</button></form>")

    def listing_card(self, item):
        return (
            f"<div class='property-card' data-property-id='{_e(item.id)}'>"
            f"<a href='{self.url('/property/' + item.id)}'><span class='property-title'>{_e(item.title)}</span></a>"
            f"<span class='property-rent'>{_e(item.price)}</span><span class='property-status'>{_e(item.status)}</span></div>"
        )


SITES = {site.name: site for site in (SpareRoom, Roomies, Leasebreak, RentHop, FurnishedFinder)}
