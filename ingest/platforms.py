"""Default paths and selectors per platform, from shared/PLATFORMS.md (first guesses, tried in order).

Where PLATFORMS.md is silent (RentHop/FurnishedFinder thread pages, direction markers, listing pages of
SpareRoom/RentHop/FurnishedFinder) the entries are our own guesses; an operator replaces any of them per
account through `overrides` without a code change.
"""

import dataclasses

GENERIC_LOGIN_FORM = ["form input[type='password']"]
# Shown by a page that loaded fine but has nothing in it; without one, "no rows" means the page changed.
EMPTY_INBOX = ["[data-testid='inbox-empty']", ".empty-state", ".no-messages"]
EMPTY_LISTINGS = ["[data-testid='listings-empty']", ".empty-state", ".no-listings"]
CLOUDFLARE_TITLES = ("just a moment", "attention required", "access denied")
CLOUDFLARE_TEXTS = ("verifying you are human", "performance & security by cloudflare", "ray id")
BLOCKED_TEXTS = ("sorry, you have been blocked",)


@dataclasses.dataclass(frozen=True)
class PlatformSpec:
    name: str
    timezone: str
    paths: dict
    selectors: dict
    login_wall_urls: tuple = ()
    login_wall_texts: tuple = ()


SPAREROOM = PlatformSpec(
    name="spareroom",
    timezone="America/New_York",
    paths={
        "login": "/roommate/logon.pl",
        "inbox": "/roommate/mythreads_beta.pl",
        "thread": "/roommate/mythreads_beta.pl?thread_id={id}",
        "listings": ["/roommate/mylistings.pl?offset={offset}"],
    },
    selectors={
        "inbox_row": ["a.thread_item[data-thread-id][data-message-id]"],
        "row_snippet": ["span.snippet"],
        "row_time": ["i.threadDate"],
        "row_lead_name": ["span.name"],
        "row_listing_title": ["span.ad-title"],
        "thread_message": ["li.message[id^='msg_']"],
        "message_body": ["dd.message_body"],
        "message_time": ["dd.message_date"],
        "message_outbound": [".message--ours", "[data-direction='outbound']"],
        "thread_lead_name": ["h1.thread-lead", ".thread_header .name"],
        "thread_listing": ["a.ad-link[data-listing-id]", "a[href*='flatshare_id=']"],
        "composer": ["textarea[name='message']"],
        "send": ["button[type='submit'][name='btnSubmit']"],
        "challenge": ["iframe[src*='challenge']", "#challenge-form", "[data-cy='bot-check']"],
        "captcha": ["iframe[title*='captcha']", "[data-sitekey]", "#g-recaptcha-response"],
        "listing_item": ["li.listing-result[data-listing-id]", "[data-listing-id]"],
        "listing_title": [".listing-title", "h2"],
        "listing_price": [".listing-price"],
        "listing_status": [".listing-status"],
        "listing_link": ["a[href*='flatshare_id=']", "a"],
    },
    login_wall_urls=("/roommate/logon.pl",),
    login_wall_texts=("to view this content you will need to either",),
)

ROOMIES = PlatformSpec(
    name="roomies",
    timezone="America/New_York",
    paths={
        "login": "/login",
        "inbox": "/inbox",
        "thread": "/inbox/{id}",
        "listings": ["/dashboard", "/my-listings", "/listings", "/rooms/manage", "/rooms"],
    },
    selectors={
        "inbox_row": ["a[href*='/inbox/']", "[data-thread-id]", "[data-testid='message-row']"],
        "row_snippet": ["div.text-gray-700.text-sm.truncate", "[data-testid='message-preview']"],
        "row_time": ["time[datetime]"],
        "row_lead_name": ["div.font-semibold.text-gray-800", "[data-testid='message-lead-name']"],
        "row_listing_title": ["[data-testid='message-listing-title']", ".listing-title"],
        "thread_message": ["li[x-data*='messageItem']", "[data-message-id]", "[data-testid='thread-message']"],
        "message_body": ["div.whitespace-pre-line", "[data-testid='message-body']"],
        "message_time": ["time[datetime]"],
        "message_outbound": ["[data-direction='outbound']", ".justify-end"],
        "thread_lead_name": ["[data-testid='thread-lead-name']", "h1"],
        "thread_listing": ["a[data-testid='thread-listing'][href*='/rooms/']", "a[href*='/rooms/']"],
        "composer": ["textarea[name='body']", "textarea[name='message']", "textarea[data-testid='message-input']"],
        "send": ["button[data-testid='send-message']", "form button[type='submit']"],
        "challenge": ["#challenge-stage", "[data-testid='challenge-page']"],
        "captcha": ["iframe[src*='recaptcha']", "[name='cf-turnstile-response']"],
        "listing_item": ["[data-listing-id]", "[data-room-id]", "[data-testid='listing-card']"],
        "listing_title": ["[data-testid='listing-title']"],
        "listing_price": ["[data-testid='listing-price']"],
        "listing_status": ["[data-testid='listing-status']"],
        "listing_link": ["a[href*='/rooms/']"],
    },
    login_wall_urls=("/login", "/register", "/users/sign_in"),
    login_wall_texts=(
        "please login",
        "log in to continue",
        "sign in to continue",
        "to view this content you need to log in",
    ),
)

LEASEBREAK = PlatformSpec(
    name="leasebreak",
    timezone="America/New_York",
    paths={
        "login": "/users/sign_in",
        "inbox": "/messages",
        "thread": "/messages/{id}",
        "listings": ["/my/listings", "/my-listings", "/listings/my", "/account/listings"],
    },
    selectors={
        "inbox_row": ["[data-thread-id][data-message-id]", "[data-thread-id]", ".message-row", "a[href*='/messages/']"],
        "row_snippet": [".message-preview", "[data-testid='message-body']"],
        "row_time": ["time[datetime]", ".message-time"],
        "row_lead_name": ["[data-testid='message-lead-name']", ".message-name"],
        "row_listing_title": ["[data-testid='message-thread-label']", ".listing-title"],
        "thread_message": ["[data-message-id]", "[data-testid='thread-message']", ".message"],
        "message_body": ["[data-testid='message-body']", ".message-body"],
        "message_time": ["time[datetime]", ".message-time"],
        "message_outbound": ["[data-direction='outbound']", ".message--sent"],
        "thread_lead_name": ["[data-testid='thread-lead-name']", ".thread-header .message-name"],
        "thread_listing": ["a[href*='/listing/']", "a[href*='/for-rent/']"],
        "composer": ["textarea[name='message']", "textarea[name='body']"],
        "send": ["button[type='submit']", "button[data-testid='send-button']"],
        "challenge": ["#cf-challenge-running", ".challenge-form", "#challenge-stage"],
        "captcha": ["iframe[src*='hcaptcha']", "iframe[src*='recaptcha']", "[name='cf-turnstile-response']", "[data-sitekey]"],
        "listing_item": ["[data-listing-id]", "[data-testid='listing-card']"],
        "listing_title": ["[data-testid='listing-title']", ".listing-title", "h3"],
        "listing_price": ["[data-testid='listing-price']", ".listing-price"],
        "listing_status": ["[data-testid='listing-status']", ".listing-status"],
        "listing_link": ["a[href*='/listing/']", "a[href*='/for-rent/']"],
    },
    login_wall_urls=("/users/sign_in", "/login", "/session/new"),
    login_wall_texts=(
        "log in to continue",
        "sign in to continue",
        "please sign in",
        "you need to sign in",
        "you need to log in",
    ),
)

RENTHOP = PlatformSpec(
    name="renthop",
    timezone="America/New_York",
    paths={
        "login": "/login",
        "inbox": "/account/messages",
        "thread": "/account/messages/{id}",
        "listings": ["/account/listings?page={page}"],
    },
    selectors={
        "inbox_row": ["[data-thread-id][data-message-id]", "[data-testid='message-item']"],
        "row_snippet": ["[data-testid='message-snippet']", ".message-text"],
        "row_time": ["[data-testid='message-time']", ".message-time"],
        "row_lead_name": ["[data-testid='message-sender']", ".message-sender"],
        "row_listing_title": ["[data-testid='message-listing']", ".message-listing"],
        "thread_message": ["[data-testid='thread-message']", ".message-bubble"],
        "message_body": ["[data-testid='message-text']", ".message-text"],
        "message_time": ["[data-testid='message-time']", ".message-time"],
        "message_outbound": ["[data-direction='outbound']", ".message-bubble--mine"],
        "thread_lead_name": ["[data-testid='thread-sender']", "h1"],
        "thread_listing": ["a[data-listing-id]", "a[href*='/listings/']"],
        "composer": ["textarea[name='message']"],
        "send": ["button[data-testid='send-button']"],
        "challenge": ["#challenge-form", "[data-testid='challenge-screen']"],
        "captcha": ["iframe[src*='recaptcha']", "[name='cf-turnstile-response']"],
        "listing_item": ["[data-listing-id]"],
        "listing_title": ["[data-testid='listing-title']", ".listing-title"],
        "listing_price": ["[data-testid='listing-price']", ".listing-price"],
        "listing_status": ["[data-testid='listing-status']", ".listing-status"],
        "listing_link": ["a[href*='/listings/']"],
    },
)

FURNISHEDFINDER = PlatformSpec(
    name="furnishedfinder",
    timezone="America/Chicago",
    paths={
        "login": "/login",
        "inbox": "/messaging/inbox",
        "thread": "/messaging/thread/{id}",
        "listings": ["/landlord/properties?page={page}", "/members/properties?page={page}"],
    },
    selectors={
        "inbox_row": ["[data-thread-id][data-message-id]", ".thread-row"],
        "row_snippet": ["[data-testid='thread-preview']", ".thread-preview"],
        "row_time": ["[data-testid='thread-time']", ".thread-time"],
        "row_lead_name": ["[data-testid='thread-name']", ".thread-name"],
        "row_listing_title": ["[data-testid='thread-property']", ".thread-property"],
        "thread_message": ["[data-testid='thread-message']", ".thread-message"],
        "message_body": ["[data-testid='thread-message-body']", ".thread-message-body"],
        "message_time": ["[data-testid='thread-message-time']", ".thread-message-time"],
        "message_outbound": ["[data-direction='outbound']", ".thread-message--landlord"],
        "thread_lead_name": ["[data-testid='thread-traveler']", "h1"],
        "thread_listing": ["a[data-property-id]", "a[href*='/property/']"],
        "composer": ["textarea[name='messageBody']"],
        "send": ["button[data-testid='thread-send']"],
        "challenge": ["#challenge-stage", "[data-testid='bot-challenge']"],
        "captcha": ["iframe[src*='captcha']", "[data-testid='captcha-frame']"],
        "listing_item": ["[data-property-id]", ".property-card"],
        "listing_title": ["[data-testid='property-title']", ".property-title"],
        "listing_price": ["[data-testid='property-rent']", ".property-rent"],
        "listing_status": ["[data-testid='property-status']", ".property-status"],
        "listing_link": ["a[href*='/property/']"],
    },
)

PLATFORMS = {spec.name: spec for spec in (SPAREROOM, ROOMIES, LEASEBREAK, RENTHOP, FURNISHEDFINDER)}


def get_spec(platform):
    try:
        return PLATFORMS[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}") from None


class Resolved:
    """Paths and selectors of one account: the platform defaults with the account's overrides applied."""

    def __init__(self, spec, overrides=None):
        overrides = overrides or {}
        unknown = set(overrides) - {"paths", "selectors"}
        if unknown:
            raise ValueError(f"unknown override sections: {', '.join(sorted(unknown))} (expected paths, selectors)")
        self.spec = spec
        self._paths = dict(spec.paths)
        self._selectors = {name: list(values) for name, values in spec.selectors.items()}
        for name, value in (overrides.get("paths") or {}).items():
            self._paths[name] = _as_path_value(name, value)
        for name, value in (overrides.get("selectors") or {}).items():
            self._selectors[name] = _as_list(name, value)

    def path(self, name):
        return self._paths[name]

    def paths(self, name):
        value = self._paths[name]
        return list(value) if isinstance(value, list | tuple) else [value]

    def selectors(self, name):
        return list(self._selectors.get(name, []))


def _as_list(name, value):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"selector override {name!r} must be a non-empty string or list of strings")
    return list(value)


def _as_path_value(name, value):
    values = _as_list(name, value)
    for path in values:
        if not path.startswith("/"):
            raise ValueError(f"path override {name!r} must start with '/': {path!r}")
    return values if isinstance(value, list | tuple) else values[0]
