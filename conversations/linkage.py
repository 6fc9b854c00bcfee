"""Linking a platform thread to its listing and unit (R5): by external id, then URL, then title."""

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from conversations.models import Listing

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalize_title(title):
    folded = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode().lower()
    return _NON_WORD.sub(" ", folded).strip()[:300]


def _normalize_url(url):
    parts = urlsplit((url or "").strip())
    if not parts.netloc:
        return ""
    return f"{parts.netloc.lower().removeprefix('www.')}{parts.path.rstrip('/')}"


@dataclass
class LinkResult:
    listing: Listing | None
    matched_by: str = ""
    tried: list = field(default_factory=list)


def resolve_listing(account, *, listing_external_id="", listing_url="", title=""):
    tried = []
    if listing_external_id:
        tried.append("external_id")
        listing = Listing.objects.filter(account=account, external_listing_id=listing_external_id).first()
        if listing:
            return LinkResult(listing, "external_id", tried)
    wanted_url = _normalize_url(listing_url)
    if wanted_url:
        tried.append("url")
        for listing in Listing.objects.filter(account=account).exclude(url="").only("id", "url", "unit_id"):
            if _normalize_url(listing.url) == wanted_url:
                return LinkResult(listing, "url", tried)
    normalized = normalize_title(title)
    if normalized:
        tried.append("title")
        matches = list(Listing.objects.filter(account=account, normalized_title=normalized)[:2])
        # Two listings with one title are ambiguous: better unresolved than linked to the wrong unit.
        if len(matches) == 1:
            return LinkResult(matches[0], "title", tried)
        if len(matches) > 1:
            tried.append("title_ambiguous")
    return LinkResult(None, "", tried)
