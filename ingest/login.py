"""Capture a platform session once, by a person in a headed browser, for the worker to reuse."""

import dataclasses

from ingest.adapters import ADAPTERS
from ingest.detection import classify, inspect_page
from ingest.errors import SessionExpired


def capture_session(runtime, config, *, save_to=None, wait_for_person, attempts=3):
    """Open the platform's login page, let a person log in, verify the inbox opens, keep the session.

    `config` has no storage state to load (a fresh context) or a persistent `profile_dir` (the session
    stays in the profile). `save_to`: where to write the storage state (the account's credential
    reference). `wait_for_person(page, attempt)` returns once the person says they are done.
    """
    config = dataclasses.replace(config, storage_state_path=None, account_key=f"{config.account_key}-login")
    adapter = ADAPTERS[config.platform](config, runtime.session_for(config))
    session = adapter.session
    try:
        open_login_page(adapter)
        for attempt in range(1, attempts + 1):
            wait_for_person(session.page, attempt)
            try:
                adapter.open(adapter.resolved.path("inbox"))
            except SessionExpired:
                if attempt == attempts:
                    raise
                open_login_page(adapter)
                continue
            break
        if save_to is not None:
            return session.save_storage_state(save_to)
        return config.profile_dir
    finally:
        runtime.close_session(config)


def open_login_page(adapter):
    """The login page is expected to ask for a password; a captcha or a block on it is still reported."""
    response = adapter.session.goto(adapter.url(adapter.resolved.path("login")))
    classify(inspect_page(adapter.session.page, response, adapter.resolved), adapter.resolved, expect_login_page=True)
