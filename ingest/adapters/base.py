"""The one adapter interface, driven by a platform's paths and selectors (PLATFORMS.md defaults +
per-account overrides). Platform modules only describe their quirks.

    list_inbox() -> list[InboxRow]              page order kept, duplicates dropped, broken rows skipped
    fetch_thread(thread_id) -> Thread           messages oldest first, external ids where the page has them
    send_message(thread_id, body) -> str        one click, then confirmed by reading the thread back
    sync_listings() -> list[ListingInfo]        listing pages tried in order, paged
"""

import functools
import logging
import re
import time
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ingest import timeparse
from ingest.adapters.extract import attr, extract, text
from ingest.detection import classify, inspect_page, snapshot_from_response
from ingest.errors import PageChanged, PlatformError, SendUnconfirmed, ThreadNotFound
from ingest.platforms import EMPTY_INBOX, EMPTY_LISTINGS, Resolved, get_spec
from ingest.types import INBOUND, OUTBOUND, InboxRow, ListingInfo, Message, Thread

logger = logging.getLogger(__name__)

MAX_LISTING_PAGES = 25
LISTING_OFFSET_STEP = 10
LISTING_ID_ATTRS = ("data-listing-id", "data-room-id", "data-property-id", "data-id")
_MESSAGE_ID_FROM_DOM_ID = re.compile(r"^(?:msg|message)[_-]?(.+)$")


def _default_clock():
    from leasebot import clock

    return clock.now()


def normalize_text(value):
    return " ".join((value or "").split())


def find_outbound(thread, body, *, exclude=()):
    """The key of our message with this text in the thread (whitespace-insensitive), skipping `exclude` keys;
    None when absent. Dispatch uses it to see whether an earlier attempt already went out."""
    wanted = normalize_text(body)
    for key, message in thread.message_keys():
        if key not in exclude and message.direction == OUTBOUND and normalize_text(message.body) == wanted:
            return key
    return None


def guarded(action):
    """Every public adapter call: failures become typed errors and leave a screenshot + HTML behind."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (ValueError, TypeError):
                raise  # the caller's mistake, refused before the browser was touched
            except Exception as exc:
                error = self.session.translate_error(exc)
                error.artifacts = self.session.save_artifacts(f"{action}-{error.code}")
                logger.warning("%s %s failed: %s (%s)", self.config.context_key, action, error.code, error)
                if error is exc:
                    raise
                raise error from exc

        return wrapper

    return decorate


class Adapter:
    """Base for the five platform adapters. `session` is the runtime's BrowserSession for this account."""

    platform = ""
    send_confirm_attempts = 4
    send_confirm_interval = 0.5

    def __init__(self, config, session, *, clock=None):
        if config.platform != self.platform:
            raise ValueError(f"{type(self).__name__} cannot drive a {config.platform} account")
        self.config = config
        self.session = session
        self.spec = get_spec(config.platform)
        self.resolved = Resolved(self.spec, config.overrides)
        self.zone = ZoneInfo(config.platform_timezone or self.spec.timezone)
        self.clock = clock or _default_clock

    # -- the interface ------------------------------------------------------------------------------
    @guarded("list_inbox")
    def list_inbox(self):
        self.open(self.resolved.path("inbox"))
        found = extract(
            self.session.page,
            items=self.sel("inbox_row"),
            fields={
                "snippet": self.sel("row_snippet"), "time": self.sel("row_time"), "lead_name": self.sel("row_lead_name"),
                "listing_title": self.sel("row_listing_title"), "link": ["a[href]"],
            },
            markers={"empty": self.sel("inbox_empty") or EMPTY_INBOX},
        )
        if found["selector"] is None:
            if found["markers"]["empty"]:
                return []
            raise PageChanged("no inbox row selector matched", url=self.session.page.url,
                              detail=f"tried {self.sel('inbox_row')}")
        now = self.clock()
        rows, seen = [], set()
        for item in found["items"]:
            row = self.parse_row(item, position=len(rows), now=now)
            if row is None or row.thread_id in seen:
                continue
            seen.add(row.thread_id)
            rows.append(row)
        return rows

    @guarded("fetch_thread")
    def fetch_thread(self, thread_id):
        return self.read_thread(thread_id)

    @guarded("send_message")
    def send_message(self, thread_id, body):
        wanted = normalize_text(body)
        if not wanted:
            raise ValueError("refusing to send an empty message")
        before = self.read_thread(thread_id)
        known = {key for key, _ in before.message_keys()}
        page = self.session.page
        composer = self.first_locator("composer")
        button = self.send_button(composer)
        composer.fill(body)
        try:
            # Form composers post and navigate; single-page inboxes post with fetch() and stay put.
            # Either way the POST is what we wait for, then the thread is read back.
            with page.expect_response(lambda response: response.request.method == "POST") as posted:
                button.click()  # the only click for this message, whatever happens next
        except PlaywrightTimeout:
            logger.warning("%s send: no POST seen after the click; reading the thread back", self.config.context_key)
        else:
            if posted.value.status >= 400:
                classify(snapshot_from_response(posted.value), self.resolved)
        return self.confirm_sent(thread_id, wanted, known)

    @guarded("sync_listings")
    def sync_listings(self):
        tried = []
        saw_empty_page = False
        for template in self.resolved.paths("listings"):
            listings, empty = self.sync_listings_from(template)
            tried.append(template)
            if listings:
                return listings
            saw_empty_page = saw_empty_page or empty
        if saw_empty_page:
            return []
        raise PageChanged("no listing page matched", url=self.session.page.url, detail=f"tried {tried}")

    # -- navigation and detection -------------------------------------------------------------------
    def url(self, path):
        return self.config.base_url.rstrip("/") + path

    def open(self, path, *, allow_404=False):
        response = self.session.goto(self.url(path))
        if allow_404 and response is not None and response.status == 404:
            return response
        self.check(response)
        return response

    def check(self, response):
        classify(inspect_page(self.session.page, response, self.resolved), self.resolved)

    def sel(self, name):
        return self.resolved.selectors(name)

    def first_locator(self, name, *, within=None, skip_menuitems=False):
        """The first element of the first selector (in order) that matches; `within` narrows the match with
        another locator (and_), so selectors are still evaluated page-wide ("form button" works)."""
        page = self.session.page
        for selector in self.sel(name):
            locator = page.locator(selector)
            if within is not None:
                locator = locator.and_(within)
            if skip_menuitems:
                locator = locator.and_(page.locator(":not([role='menuitem'])"))
            if locator.count():
                return locator.first
        raise PageChanged(f"no {name} selector matched", url=page.url, detail=f"tried {self.sel(name)}")

    def send_button(self, composer):
        """The composer's own send button: inside the composer's form when it has one, else outside every
        form, so a site-wide search or newsletter form is never submitted; menu items (Report) never."""
        page = self.session.page
        form = composer.locator("xpath=ancestor::form[1]")
        if form.count():
            return self.first_locator("send", within=form.locator("*"), skip_menuitems=True)
        return self.first_locator("send", within=page.locator(":not(form *)"), skip_menuitems=True)

    # -- reading ------------------------------------------------------------------------------------
    def thread_path(self, thread_id):
        return self.resolved.path("thread").replace("{id}", str(thread_id))

    def read_thread(self, thread_id):
        response = self.open(self.thread_path(thread_id), allow_404=True)
        if response is not None and response.status == 404:
            raise ThreadNotFound(f"thread {thread_id} is gone", url=self.session.page.url, status=404)
        page = self.session.page
        found = extract(
            page,
            items=self.sel("thread_message"),
            fields={"body": self.sel("message_body"), "time": self.sel("message_time")},
            flags={"outbound": self.sel("message_outbound")},
            page_fields={"lead_name": self.sel("thread_lead_name"), "listing": self.sel("thread_listing")},
        )
        if found["selector"] is None:
            raise PageChanged("no thread message selector matched", url=page.url,
                              detail=f"tried {self.sel('thread_message')}")
        now = self.clock()
        messages = [self.parse_message(item, ordinal, now) for ordinal, item in enumerate(found["items"])]
        listing = found["page"]["listing"]
        return Thread(
            thread_id=str(thread_id),
            messages=messages,
            lead_name=text(found["page"]["lead_name"]),
            listing_title=text(listing),
            listing_ref=self.listing_id_of(listing) if listing else "",
            listing_url=(listing or {}).get("href", ""),
            url=page.url,
        )

    def parse_row(self, item, *, position, now):
        node = item["self"]
        if attr(node, "role") == "menuitem":
            return None
        thread_id = self.row_thread_id(item)
        if not thread_id:
            return None
        fields = item["fields"]
        return InboxRow(
            thread_id=thread_id,
            position=position,
            newest_message_id=attr(node, "data-message-id") or None,
            lead_name=text(fields["lead_name"]),
            snippet=text(fields["snippet"]),
            listing_title=text(fields["listing_title"]),
            listing_ref=attr(node, *LISTING_ID_ATTRS),
            time=self.parse_time(fields["time"], now),
        )

    def row_thread_id(self, item):
        node = item["self"]
        explicit = attr(node, "data-thread-id")
        if explicit:
            return explicit
        if "data-thread-id" in (node.get("attrs") or {}):
            return ""  # present but empty: a broken row
        href = node.get("href") or (item["fields"].get("link") or {}).get("href", "")
        return self.thread_id_from_url(href) if href else ""

    def thread_id_from_url(self, href):
        """The id from a thread URL, by matching the account's thread path template."""
        template = self.resolved.path("thread")
        path_part, _, query_part = template.partition("?")
        parts = urlsplit(href)
        if "{id}" in query_part:
            key = query_part.split("=", 1)[0]
            return (parse_qs(parts.query).get(key) or [""])[0]
        prefix, _, suffix = path_part.partition("{id}")
        match = re.search(re.escape(prefix) + r"([^/?#]+)" + re.escape(suffix) + r"/?$", parts.path)
        return match.group(1) if match else ""

    def parse_message(self, item, ordinal, now):
        node = item["self"]
        fields = item["fields"]
        external_id = attr(node, "data-message-id") or None
        if external_id is None:
            match = _MESSAGE_ID_FROM_DOM_ID.match(attr(node, "id"))
            external_id = match.group(1) if match else None
        return Message(
            external_id=external_id,
            direction=OUTBOUND if item["flags"].get("outbound") else INBOUND,
            body=(fields["body"] or {}).get("text", "").strip() if fields["body"] else text(node),
            time=self.parse_time(fields["time"], now),
            ordinal=ordinal,
        )

    def parse_time(self, node, now):
        if not node:
            return None
        raw = attr(node, "datetime") or text(node)
        return timeparse.parse(raw, now=now, tz=self.zone)

    def listing_id_of(self, node):
        explicit = attr(node, *LISTING_ID_ATTRS)
        if explicit:
            return explicit
        href = node.get("href", "")
        parts = urlsplit(href)
        for values in parse_qs(parts.query).values():
            if values and values[0]:
                return values[0]
        return parts.path.rstrip("/").rsplit("/", 1)[-1]

    # -- sending ------------------------------------------------------------------------------------
    def confirm_sent(self, thread_id, wanted, known):
        for attempt in range(self.send_confirm_attempts):
            key = find_outbound(self.read_thread(thread_id), wanted, exclude=known)
            if key is not None:
                return key
            if attempt + 1 < self.send_confirm_attempts:
                time.sleep(self.send_confirm_interval)
        raise SendUnconfirmed("the sent message did not show in the thread", url=self.session.page.url,
                              detail=f"thread {thread_id}; read back {self.send_confirm_attempts} times")

    # -- listings -----------------------------------------------------------------------------------
    def listing_page_path(self, template, number):
        if "{offset}" in template:
            return template.replace("{offset}", str((number - 1) * LISTING_OFFSET_STEP))
        if "{page}" in template:
            return template.replace("{page}", str(number))
        return f"{template}{'&' if '?' in template else '?'}page={number}"

    def sync_listings_from(self, template):
        """(listings, saw_an_empty_listing_page) for one listing path template."""
        listings, seen, previous_ids = [], set(), None
        for number in range(1, MAX_LISTING_PAGES + 1):
            response = self.open(self.listing_page_path(template, number), allow_404=True)
            if response is not None and response.status == 404:
                break
            found = extract(
                self.session.page,
                items=self.sel("listing_item"),
                fields={"title": self.sel("listing_title"), "price": self.sel("listing_price"),
                        "status": self.sel("listing_status"), "link": self.sel("listing_link")},
                markers={"empty": self.sel("listing_empty") or EMPTY_LISTINGS},
            )
            if found["selector"] is None:
                return listings, number == 1 and found["markers"]["empty"]
            page_items = [self.parse_listing(item, number) for item in found["items"]]
            page_ids = [item.external_id for item in page_items if item]
            if page_ids == previous_ids:
                break  # the site ignores the page parameter
            previous_ids = page_ids
            for listing in page_items:
                if listing and listing.external_id not in seen:
                    seen.add(listing.external_id)
                    listings.append(listing)
        return listings, False

    def parse_listing(self, item, number):
        fields = item["fields"]
        link = fields["link"] or {}
        external_id = attr(item["self"], *LISTING_ID_ATTRS) or (self.listing_id_of(link) if link else "")
        if not external_id:
            return None
        return ListingInfo(
            external_id=external_id,
            title=text(fields["title"]),
            url=link.get("href", ""),
            price_text=text(fields["price"]),
            status=text(fields["status"]).lower(),
            page=number,
        )


__all__ = ["Adapter", "PlatformError", "find_outbound", "guarded", "normalize_text"]
