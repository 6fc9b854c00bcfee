"""Browser smoke: real Chromium (Debian's) against a live server with seeded data."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls our fixtures make (and
# pytest-django's flushes) are still plain synchronous calls. Subprocess-based tests drop this variable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE_WIDTHS = (320, 375, 430)
ALL_WIDTHS = (*PHONE_WIDTHS, 768, 1280)
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-gpu",
]


@pytest.fixture(scope="module")
def smoke_browser():
    """Our own Playwright, stopped when the module ends. pytest-playwright's session-wide one would keep
    an asyncio loop running in this thread for the rest of the run, breaking every later sync_playwright()."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("LEASEBOT_CHROMIUM_PATH", "/usr/bin/chromium"), args=CHROMIUM_FLAGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(smoke_browser):
    context = smoke_browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    # An htmx request still running on the live server when the test's flush TRUNCATEs the tables can
    # deadlock with it (a query takes its tables' locks one by one): let the page go quiet first.
    page.wait_for_load_state("networkidle")
    context.close()


@pytest.fixture
def console_errors(page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def login(page, base_url, username, password):
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("domcontentloaded")


LAYOUT_PROBE = """() => {
  const doc = document.documentElement;
  const small = [];
  for (const el of document.querySelectorAll('button, .button, input:not([type=hidden]), select, textarea, nav a, .tabs a')) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    if (box.height < 44 || box.width < 44) small.push(`${el.tagName} "${(el.innerText || el.name || '').trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  return {overflow: doc.scrollWidth - window.innerWidth, small};
}"""


def check_layout(page, width):
    """No horizontal overflow and ≥44px tap targets at phone widths."""
    result = page.evaluate(LAYOUT_PROBE)
    if width in PHONE_WIDTHS:
        assert result["overflow"] <= 0, f"{page.url} overflows by {result['overflow']}px at {width}px"
        assert not result["small"], f"{page.url} small tap targets at {width}px: {result['small'][:5]}"
    return result
