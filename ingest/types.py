"""Plain data passed between the browser runtime, the adapters and (phase 2) the ingest jobs.

Nothing here imports Django models: phase 2 builds an AccountConfig from a PlatformAccount row.
"""

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

INBOUND = "inbound"
OUTBOUND = "outbound"


@dataclasses.dataclass(frozen=True)
class BrowserSettings:
    headless: bool = True
    user_agent: str | None = None
    locale: str | None = "en-US"
    timezone_id: str | None = None
    viewport: tuple[int, int] = (1280, 900)
    navigation_timeout_ms: int = 20_000


@dataclasses.dataclass(frozen=True)
class AccountConfig:
    """Everything an adapter needs for one platform account.

    `overrides` has the shape of PlatformAccount.overrides: {"paths": {...}, "selectors": {...}};
    a selector override replaces the default list for that name, a path override replaces the path.
    `storage_state_path` or `profile_dir` are already resolved from the account's credential refs.
    """

    platform: str
    base_url: str
    account_key: str = "default"
    overrides: dict = dataclasses.field(default_factory=dict)
    browser: BrowserSettings = dataclasses.field(default_factory=BrowserSettings)
    storage_state_path: Path | None = None
    profile_dir: Path | None = None
    platform_timezone: str | None = None

    def __post_init__(self):
        from ingest.platforms import PLATFORMS

        if self.platform not in PLATFORMS:
            raise ValueError(f"unknown platform {self.platform!r}; expected one of {', '.join(PLATFORMS)}")
        if self.storage_state_path and self.profile_dir:
            raise ValueError("an account uses either a storage state file or a persistent profile, not both")
        if not isinstance(self.overrides, dict):
            raise ValueError("overrides must be a dict like {'paths': {...}, 'selectors': {...}}")

    @property
    def context_key(self):
        return f"{self.platform}:{self.account_key}"


@dataclasses.dataclass(frozen=True)
class ParsedTime:
    """A platform timestamp: the text as shown, and the instant if we could read it.

    `at` is None exactly when the text could not be parsed; `error` then says why. Callers must
    record that, never substitute "now".
    """

    raw: str
    at: dt.datetime | None
    precision: str = "minute"  # "second" | "minute" | "day" | "relative"
    error: str = ""

    @property
    def ok(self):
        return self.at is not None


@dataclasses.dataclass(frozen=True)
class InboxRow:
    thread_id: str
    position: int
    newest_message_id: str | None = None
    lead_name: str = ""
    snippet: str = ""
    listing_title: str = ""
    listing_ref: str = ""
    time: ParsedTime | None = None


@dataclasses.dataclass(frozen=True)
class Message:
    external_id: str | None
    direction: str
    body: str
    time: ParsedTime | None
    ordinal: int = 0  # position in the thread, oldest first
    author: str = ""

    def key(self, occurrence):
        """The platform id, else an id derived from content (stable because threads only grow)."""
        if self.external_id:
            return self.external_id
        digest = hashlib.sha256(f"{self.direction}\n{' '.join(self.body.split())}".encode()).hexdigest()[:24]
        return f"c:{digest}:{occurrence}"


@dataclasses.dataclass(frozen=True)
class Thread:
    thread_id: str
    messages: list[Message]
    lead_name: str = ""
    listing_title: str = ""
    listing_ref: str = ""
    listing_url: str = ""
    url: str = ""

    def message_keys(self):
        """(key, message) pairs in thread order; content-derived keys count repeats of the same text."""
        seen = {}
        pairs = []
        for message in self.messages:
            base = message.key(0)
            if message.external_id:
                pairs.append((base, message))
                continue
            occurrence = seen.get(base, 0)
            seen[base] = occurrence + 1
            pairs.append((message.key(occurrence), message))
        return pairs


@dataclasses.dataclass(frozen=True)
class ListingInfo:
    external_id: str
    title: str
    url: str = ""
    price_text: str = ""
    status: str = ""
    page: int = 1
