"""What a page is, right after every navigation: the page we asked for, or a wall of some kind.

`classify()` is pure (tested without a browser); `inspect_page()` collects a PageSnapshot from a
Playwright page in one round trip. The typed errors live in ingest.errors and are re-exported here.
"""

import dataclasses
import html
import re
from urllib.parse import urlsplit

from ingest.errors import (  # noqa: F401  (re-exported API)
    AccessBlocked,
    BotChallenge,
    CaptchaRequired,
    PageChanged,
    PlatformError,
    RateLimited,
    SessionExpired,
)
from ingest.platforms import BLOCKED_TEXTS, CLOUDFLARE_TEXTS, CLOUDFLARE_TITLES, GENERIC_LOGIN_FORM

_TEXT_LIMIT = 20_000


@dataclasses.dataclass(frozen=True)
class PageSnapshot:
    url: str
    status: int | None = None
    title: str = ""
    text: str = ""
    matched: frozenset = frozenset()  # names of the selector groups that matched: "captcha", "challenge", "login_form"
    retry_after: float | None = None


def classify(snapshot, resolved, *, expect_login_page=False):
    """Raise the typed error the snapshot shows, or return None when the page looks usable."""
    title = snapshot.title.lower()
    text = snapshot.text.lower()
    where = {"url": snapshot.url, "status": snapshot.status}
    if any(marker in text or marker in title for marker in BLOCKED_TEXTS):
        raise AccessBlocked("the platform blocked this browser", detail="blocked text on page", **where)
    if "captcha" in snapshot.matched:
        raise CaptchaRequired("a captcha is shown", detail="captcha selector matched", **where)
    if "challenge" in snapshot.matched:
        raise BotChallenge("a bot challenge is shown", detail="challenge selector matched", **where)
    cloudflare_title = next((t for t in CLOUDFLARE_TITLES if title.startswith(t)), None)
    cloudflare_text = next((t for t in CLOUDFLARE_TEXTS if t in text), None)
    if cloudflare_title or cloudflare_text:
        raise BotChallenge(
            "a Cloudflare-style interstitial is shown", detail=f"marker: {cloudflare_title or cloudflare_text}", **where
        )
    if snapshot.status == 429:
        raise RateLimited("HTTP 429 Too Many Requests", retry_after=snapshot.retry_after, **where)
    if snapshot.status == 503:
        raise RateLimited("HTTP 503 Service Unavailable", detail="temporary; treated as rate limiting",
                          retry_after=snapshot.retry_after, **where)
    if expect_login_page:
        return None
    wall = _login_wall(snapshot, resolved, text)
    if wall:
        raise SessionExpired("the platform asks to log in again", detail=wall, **where)
    if snapshot.status == 403:
        raise AccessBlocked("HTTP 403 Forbidden", detail="status 403 without a challenge page", **where)
    return None


def _login_wall(snapshot, resolved, text):
    path = urlsplit(snapshot.url).path
    for fragment in resolved.spec.login_wall_urls:
        if path.endswith(fragment) or f"{fragment}/" in path or f"{fragment}?" in snapshot.url:
            return f"login-wall URL {fragment}"
    for marker in resolved.spec.login_wall_texts:
        if marker in text:
            return f"login-wall text {marker!r}"
    if "login_form" in snapshot.matched:
        return "a password form is shown"
    return None


_MATCH_JS = """([groups, limit]) => {
  const matched = [];
  for (const [name, selectors] of Object.entries(groups)) {
    for (const selector of selectors) {
      try { if (document.querySelector(selector)) { matched.push(name); break; } } catch (e) {}
    }
  }
  const body = document.body ? document.body.innerText : "";
  return {matched, title: document.title || "", text: body.slice(0, limit)};
}"""


def inspect_page(page, response, resolved):
    groups = {
        "captcha": resolved.selectors("captcha"),
        "challenge": resolved.selectors("challenge"),
        "login_form": resolved.selectors("login_form") or GENERIC_LOGIN_FORM,
    }
    found = page.evaluate(_MATCH_JS, [groups, _TEXT_LIMIT])
    status = response.status if response is not None else None
    retry_after = None
    if response is not None:
        header = response.headers.get("retry-after")
        if header and header.strip().isdigit():
            retry_after = float(header)
    return PageSnapshot(
        url=page.url, status=status, title=found["title"], text=found["text"],
        matched=frozenset(found["matched"]), retry_after=retry_after,
    )


def snapshot_from_response(response):
    """A snapshot of a response the page may not show (a POST answered with an error, an XHR)."""
    try:
        body = response.text()
    except Exception:  # the body may be gone (redirects, aborted requests); the status still counts
        body = ""
    title = re.search(r"<title[^>]*>(.*?)</title>", body, re.I | re.S)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.I | re.S))
    header = response.headers.get("retry-after", "")
    return PageSnapshot(
        url=response.url, status=response.status, title=html.unescape(title.group(1).strip()) if title else "",
        text=html.unescape(" ".join(text.split()))[:_TEXT_LIMIT],
        retry_after=float(header) if header.strip().isdigit() else None,
    )
