"""Browser runtimes: `playwright` (real Chromium) and `mock` (in-memory platforms for unit tests).

One PlaywrightRuntime per worker process holds one long-lived browser (per headless mode) and one
context per platform account; adapters get a BrowserSession for their account. Playwright's sync API is
bound to the thread that started it: use a runtime from one thread only.
"""

import datetime as dt
import logging
import os
import re
from pathlib import Path

from django.conf import settings

from ingest.errors import NavigationTimeout, PlatformError, SessionExpired
from ingest.profilelock import ProfileLock

logger = logging.getLogger(__name__)

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


class NavigationFailed(PlatformError):
    code = "navigation_failed"
    retryable = True


def configured_chromium_path():
    return str(getattr(settings, "LEASEBOT_CHROMIUM_PATH", "/usr/bin/chromium"))


def configured_artifacts_dir():
    return Path(getattr(settings, "LEASEBOT_RPA_ARTIFACTS_DIR", Path.cwd() / ".local" / "rpa-artifacts"))


def context_options(browser_settings):
    options = {
        "viewport": {"width": browser_settings.viewport[0], "height": browser_settings.viewport[1]},
    }
    if browser_settings.user_agent:
        options["user_agent"] = browser_settings.user_agent
    if browser_settings.locale:
        options["locale"] = browser_settings.locale
    if browser_settings.timezone_id:
        options["timezone_id"] = browser_settings.timezone_id
    return options


class BrowserSession:
    """The browser context and page of one platform account, opened on first use."""

    def __init__(self, runtime, config):
        self.runtime = runtime
        self.config = config
        self._context = None
        self._page = None
        self._lock = None

    @property
    def page(self):
        if self._page is None or self._page.is_closed():
            self._open()
        return self._page

    def _open(self):
        config = self.config
        options = context_options(config.browser)
        if config.profile_dir:
            self._lock = ProfileLock(config.profile_dir).acquire()
            try:
                self._context = self.runtime.playwright.chromium.launch_persistent_context(
                    str(config.profile_dir), executable_path=self.runtime.chromium_path,
                    args=list(CHROMIUM_ARGS), headless=config.browser.headless, **options,
                )
            except Exception:
                self._lock.release()
                raise
            self._page = self._context.pages[0] if self._context.pages else self._context.new_page()
        else:
            if config.storage_state_path and not Path(config.storage_state_path).is_file():
                raise SessionExpired(
                    f"no saved session for {config.context_key}: run `manage.py rpa_login {config.platform}`",
                    detail="storage state file missing",
                )
            browser = self.runtime.browser(headless=config.browser.headless)
            if config.storage_state_path:
                options["storage_state"] = str(config.storage_state_path)
            self._context = browser.new_context(**options)
            self._page = self._context.new_page()
        self._context.set_default_navigation_timeout(config.browser.navigation_timeout_ms)
        self._context.set_default_timeout(config.browser.navigation_timeout_ms)

    def goto(self, url):
        return self.page.goto(url, wait_until="domcontentloaded")

    def translate_error(self, exc):
        """A typed PlatformError for any failure inside an adapter call."""
        if isinstance(exc, PlatformError):
            return exc
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        url = self._page.url if self._page is not None and not self._page.is_closed() else ""
        if isinstance(exc, PlaywrightTimeout):
            return NavigationTimeout("the page did not answer in time", url=url, detail=str(exc).splitlines()[0])
        if isinstance(exc, PlaywrightError):
            return NavigationFailed("the browser could not load the page", url=url, detail=str(exc).splitlines()[0])
        return NavigationFailed(f"{type(exc).__name__}: {exc}", url=url)

    def save_artifacts(self, reason):
        """Screenshot + HTML of the current page into LEASEBOT_RPA_ARTIFACTS_DIR; never raises."""
        if self._page is None or self._page.is_closed():
            return []
        folder = self.runtime.artifacts_dir
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{stamp}-{self.config.platform}-{self.config.account_key}-{reason}")
        saved = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
            html_path = folder / f"{stem}.html"
            html_path.write_text(self._page.content(), encoding="utf-8")
            saved.append(html_path)
            png_path = folder / f"{stem}.png"
            self._page.screenshot(path=str(png_path), full_page=True, timeout=5000)
            saved.append(png_path)
        except Exception:  # artifacts are best effort; the original failure matters more
            logger.exception("could not save RPA artifacts for %s", self.config.context_key)
        return saved

    def save_storage_state(self, path):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._context.storage_state(path=str(path))
        os.chmod(path, 0o600)  # it holds session cookies
        return path

    def close(self):
        try:
            if self._context is not None:
                self._context.close()
        finally:
            self._context = self._page = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None


class PlaywrightRuntime:
    name = "playwright"

    def __init__(self, *, chromium_path=None, artifacts_dir=None):
        self.chromium_path = chromium_path or configured_chromium_path()
        self.artifacts_dir = Path(artifacts_dir) if artifacts_dir else configured_artifacts_dir()
        self._playwright_manager = None
        self._playwright = None
        self._browsers = {}
        self._sessions = {}

    @property
    def playwright(self):
        if self._playwright is None:
            from playwright.sync_api import sync_playwright

            self._playwright_manager = sync_playwright()
            self._playwright = self._playwright_manager.start()
        return self._playwright

    def browser(self, *, headless=True):
        browser = self._browsers.get(headless)
        if browser is None or not browser.is_connected():
            browser = self.playwright.chromium.launch(
                executable_path=self.chromium_path, args=list(CHROMIUM_ARGS), headless=headless
            )
            self._browsers[headless] = browser
        return browser

    def session_for(self, config):
        session = self._sessions.get(config.context_key)
        if session is not None and session.config != config:
            session.close()  # the account's settings changed: start a fresh context
            session = None
        if session is None:
            session = BrowserSession(self, config)
            self._sessions[config.context_key] = session
        return session

    def adapter_for(self, config, *, clock=None):
        from ingest.adapters import ADAPTERS

        return ADAPTERS[config.platform](config, self.session_for(config), clock=clock)

    def close_session(self, config):
        session = self._sessions.pop(config.context_key, None)
        if session is not None:
            session.close()

    def close(self):
        for session in list(self._sessions.values()):
            session.close()
        self._sessions.clear()
        for browser in self._browsers.values():
            if browser.is_connected():
                browser.close()
        self._browsers.clear()
        if self._playwright_manager is not None:
            self._playwright_manager.__exit__(None, None, None)
        self._playwright_manager = self._playwright = None


_process_runtime = {"pid": None, "runtime": None}


def get_runtime():
    """The runtime of this process (created on first use, refused when the configuration forbids it)."""
    from leasebot import runtime as runtime_mode

    runtime_mode.ensure_runtime_allowed()
    current = _process_runtime
    if current["runtime"] is None or current["pid"] != os.getpid():  # never share a browser across fork
        if runtime_mode.get_runtime_name() == runtime_mode.MOCK:
            from ingest.mock import MockRuntime

            current["runtime"] = MockRuntime()
        else:
            current["runtime"] = PlaywrightRuntime()
        current["pid"] = os.getpid()
    return current["runtime"]


def adapter_for(config, *, clock=None):
    return get_runtime().adapter_for(config, clock=clock)
