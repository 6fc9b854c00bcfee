"""From a PlatformAccount row to the adapter's configuration; the target of `rpa_login --account`."""

import pytest

from ingest import accounts
from tests.ingest.ingest_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db]


def test_the_config_carries_the_accounts_browser_settings_overrides_and_session(make_platform_account, session_file):
    overrides = {"selectors": {"composer": ["textarea.reply"]}}
    account = make_platform_account("renthop", base_url="", user_agent="UA/1", locale="en-GB",
                                    browser_timezone="America/Chicago", overrides=overrides, headless=False)
    config = accounts.build_config(account)
    assert config.base_url == "https://www.renthop.com"
    assert config.account_key == f"account-{account.pk}"
    assert (config.browser.user_agent, config.browser.locale, config.browser.timezone_id) == (
        "UA/1", "en-GB", "America/Chicago")
    assert config.browser.headless is False and config.overrides == overrides
    assert config.storage_state_path == session_file and config.profile_dir is None


def test_a_profile_folder_reference_opens_a_persistent_profile(make_platform_account, tmp_path, monkeypatch):
    monkeypatch.setenv("LEASEBOT_TEST_PROFILE", str(tmp_path / "profile"))
    account = make_platform_account("roomies", storage_state_ref="", profile_dir_ref="env:LEASEBOT_TEST_PROFILE")
    config = accounts.build_config(account)
    assert (config.storage_state_path, config.profile_dir) == (None, tmp_path / "profile")


def test_the_login_target_is_where_the_reference_points_even_before_a_session_exists(make_platform_account, tmp_path):
    target = tmp_path / "not-yet.json"
    account = make_platform_account("spareroom", storage_state_ref=f"file:{target}")
    with pytest.raises(accounts.CredentialError) as missing:
        accounts.build_config(account)
    assert missing.value.code == "credential_missing" and "rpa_login spareroom" in str(missing.value)

    config, save_to = accounts.login_target(account)
    assert save_to == target and config.storage_state_path is None and config.platform == "spareroom"
