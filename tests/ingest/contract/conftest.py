"""Real Chromium (one browser for the whole session) against the sandbox sites on a free port."""

import itertools
import os

import pytest

from ingest.runtime import PlaywrightRuntime
from ingest.sandbox import SandboxServer
from ingest.types import AccountConfig, BrowserSettings

PLATFORM_NAMES = ("spareroom", "roomies", "leasebreak", "renthop", "furnishedfinder")
_accounts = itertools.count(1)


@pytest.fixture(scope="session")
def sandbox():
    with SandboxServer() as server:
        yield server


@pytest.fixture(scope="session")
def runtime(tmp_path_factory):
    chromium = os.environ.get("LEASEBOT_CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(chromium):
        pytest.fail(f"Chromium not found at {chromium}; the contract suite needs a real browser")
    runtime = PlaywrightRuntime(chromium_path=chromium, artifacts_dir=tmp_path_factory.mktemp("rpa-artifacts"))
    yield runtime
    runtime.close()


@pytest.fixture(autouse=True)
def fresh_sandbox(sandbox):
    for name in PLATFORM_NAMES:
        sandbox.state(name).reset()
    yield


@pytest.fixture
def make_account(sandbox, runtime, tmp_path):
    """make_account(platform, overrides=..., browser=..., logged_in=True) -> (config, adapter)."""
    created = []

    def make(platform, *, overrides=None, browser=None, logged_in=True):
        key = f"contract-{next(_accounts)}"
        path = tmp_path / f"{key}.json"
        if logged_in:
            sandbox.write_storage_state(platform, path)
        config = AccountConfig(
            platform=platform, base_url=sandbox.base_url(platform), account_key=key,
            overrides=overrides or {}, browser=browser or BrowserSettings(navigation_timeout_ms=10_000),
            storage_state_path=path,
        )
        created.append(config)
        return config, runtime.adapter_for(config)

    yield make
    for config in created:
        runtime.close_session(config)


@pytest.fixture(params=PLATFORM_NAMES)
def platform(request):
    return request.param
