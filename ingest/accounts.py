"""A PlatformAccount row → the AccountConfig an adapter runs with; credential references resolved here.

A reference is `env:NAME` or `file:/absolute/path`. The resolved value is a path to a Playwright storage
state (or, for env:, the storage-state JSON itself, written once to a private file) or to a persistent
profile folder. Errors name the account and the reference, never the secret behind it.
"""

import hashlib
import json
import os
from pathlib import Path

from django.conf import settings

from conversations.models import CREDENTIAL_REF_RE
from ingest.errors import PlatformError
from ingest.types import AccountConfig, BrowserSettings

PUBLIC_BASE_URLS = {
    "spareroom": "https://www.spareroom.com",
    "roomies": "https://www.roomies.com",
    "leasebreak": "https://www.leasebreak.com",
    "renthop": "https://www.renthop.com",
    "furnishedfinder": "https://www.furnishedfinder.com",
}


class CredentialError(PlatformError):
    """The account's session reference cannot be used. A person must fix the reference or run rpa_login."""

    code = "credential_invalid"
    retryable = False

    def __init__(self, account, message, *, code=None):
        super().__init__(f"{account.platform} account #{account.pk} ({account.name}): {message}")
        if code:
            self.code = code


def _reference_field(account):
    if account.storage_state_ref and account.profile_dir_ref:
        raise CredentialError(account, "set either a storage state or a profile folder reference, not both")
    if account.storage_state_ref:
        return "storage_state_ref", account.storage_state_ref
    if account.profile_dir_ref:
        return "profile_dir_ref", account.profile_dir_ref
    raise CredentialError(
        account, "no session reference: set storage_state_ref (env:NAME or file:/path), then run rpa_login",
        code="credential_missing",
    )


def _resolve(account, field, ref):
    """The value behind a reference (a path, or for env: possibly storage-state JSON)."""
    if not CREDENTIAL_REF_RE.match(ref or ""):
        # The value may BE the secret someone pasted: never echo it.
        raise CredentialError(
            account, f"{field} is not a reference (env:NAME or file:/absolute/path); the stored value is not shown",
            code="credential_literal",
        )
    kind, _, name = ref.partition(":")
    if kind == "env":
        value = os.environ.get(name, "")
        if not value.strip():
            raise CredentialError(account, f"{field}: environment variable {name} is not set", code="credential_missing")
        return value.strip()
    return name


def _private_copy(account, content):
    """env: references may hold the storage-state JSON itself; Playwright wants a file, kept 0600."""
    try:
        json.loads(content)
    except ValueError:
        raise CredentialError(
            account, "storage_state_ref: the environment variable holds neither a path nor storage-state JSON",
            code="credential_invalid",
        ) from None
    folder = Path(settings.LEASEBOT_RPA_PROFILES_DIR) / "resolved"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256(content.encode()).hexdigest()[:16]
    path = folder / f"account-{account.pk}-{digest}.json"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
    return path


def session_paths(account):
    """(storage_state_path, profile_dir) from the account's references; CredentialError when unusable."""
    field, ref = _reference_field(account)
    value = _resolve(account, field, ref)
    if field == "storage_state_ref":
        if value.startswith("{"):
            return _private_copy(account, value), None
        path = Path(value)
        if not path.is_absolute():
            raise CredentialError(
                account, f"{field} must resolve to an absolute path or to storage-state JSON", code="credential_invalid"
            )
        if not path.is_file():
            raise CredentialError(
                account, f"no saved session at {path}: run `manage.py rpa_login {account.platform} --storage-state {path}`",
                code="credential_missing",
            )
        return path, None
    path = Path(value)
    if not path.is_absolute():
        raise CredentialError(account, f"{field} must point at an absolute folder", code="credential_invalid")
    return None, path


def login_target(account):
    """(AccountConfig without a session, storage-state path to write or None) for `rpa_login --account`:
    the references are resolved, but the session file may not exist yet (that is why a person logs in)."""
    import dataclasses

    field, ref = _reference_field(account)
    value = _resolve(account, field, ref)
    if value.startswith("{"):
        raise CredentialError(account, "storage_state_ref holds the session itself; point it at a file to log in",
                              code="credential_invalid")
    path = Path(value)
    if not path.is_absolute():
        raise CredentialError(account, f"{field} must resolve to an absolute path", code="credential_invalid")
    config = dataclasses.replace(build_config_unchecked(account), storage_state_path=None,
                                 profile_dir=path if field == "profile_dir_ref" else None)
    return config, path if field == "storage_state_ref" else None


def session_file_mtime(account):
    """Modification time of the account's session file or profile folder, or None (used to notice a fresh login)."""
    try:
        storage, profile = session_paths(account)
    except CredentialError:
        return None
    target = storage or profile
    try:
        return target.stat().st_mtime
    except OSError:
        return None


def build_config(account):
    storage_state_path, profile_dir = session_paths(account)
    return build_config_unchecked(account, storage_state_path=storage_state_path, profile_dir=profile_dir)


def build_config_unchecked(account, *, storage_state_path=None, profile_dir=None):
    headless = bool(account.headless) and bool(getattr(settings, "LEASEBOT_RPA_HEADLESS", True))
    return AccountConfig(
        platform=account.platform,
        base_url=(account.base_url or PUBLIC_BASE_URLS[account.platform]).rstrip("/"),
        account_key=f"account-{account.pk}",
        overrides=account.overrides or {},
        browser=BrowserSettings(
            headless=headless,
            user_agent=account.user_agent or None,
            locale=account.locale or None,
            timezone_id=account.browser_timezone or None,
            navigation_timeout_ms=int(getattr(settings, "LEASEBOT_RPA_NAVIGATION_TIMEOUT_MS", 20_000)),
        ),
        storage_state_path=storage_state_path,
        profile_dir=profile_dir,
    )


def open_adapter(account):
    """The adapter for this account in this process's runtime (playwright unless mock was asked for).

    Playwright's sync API leaves an event loop running in the thread that started it, and Django then
    refuses database calls there ("async context"). So the real browser lives on one dedicated thread per
    process and every adapter call is handed to it; the database stays on the caller's thread.
    """
    from ingest.runtime import adapter_for
    from leasebot import runtime as runtime_mode

    config = build_config(account)
    if runtime_mode.get_runtime_name() == runtime_mode.MOCK:
        return adapter_for(config)
    return BrowserThreadAdapter(config)


def reopen_adapter(account):
    """Drop this account's browser context and open a new one from the session file as it is now.

    A long-lived worker keeps a context for hours; when a person refreshed the session file meanwhile
    (rpa_login, or a restarted sandbox), the old context still carries the expired cookies.
    """
    from ingest.runtime import get_runtime
    from leasebot import runtime as runtime_mode

    config = build_config(account)
    if runtime_mode.get_runtime_name() != runtime_mode.MOCK:
        on_browser_thread(lambda: get_runtime().close_session(config))
    return open_adapter(account)


def with_session_retry(account, adapter, call):
    """(adapter, call(adapter)), retried once on a fresh context when the platform says the session expired."""
    from ingest.errors import SessionExpired

    try:
        return adapter, call(adapter)
    except SessionExpired:
        adapter = reopen_adapter(account)
        return adapter, call(adapter)


_browser = {"pid": None, "executor": None}


def on_browser_thread(function, *args, **kwargs):
    """Run `function` on this process's browser thread and return its result (or raise its error)."""
    from concurrent.futures import ThreadPoolExecutor

    if _browser["executor"] is None or _browser["pid"] != os.getpid():
        _browser["executor"] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rpa-browser")
        _browser["pid"] = os.getpid()
    return _browser["executor"].submit(function, *args, **kwargs).result()


class BrowserThreadAdapter:
    """The adapter interface, each call run on the browser thread."""

    def __init__(self, config):
        from ingest.runtime import adapter_for

        self.config = config
        self._adapter = on_browser_thread(adapter_for, config)

    def list_inbox(self):
        return on_browser_thread(self._adapter.list_inbox)

    def fetch_thread(self, thread_id):
        return on_browser_thread(self._adapter.fetch_thread, thread_id)

    def send_message(self, thread_id, body):
        return on_browser_thread(self._adapter.send_message, thread_id, body)

    def sync_listings(self):
        return on_browser_thread(self._adapter.sync_listings)
