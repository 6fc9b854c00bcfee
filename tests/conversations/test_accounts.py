import pytest
from django.core.exceptions import ValidationError

from conversations.models import PlatformAccount

pytestmark = [pytest.mark.django_db]


def account(**fields):
    return PlatformAccount(platform="roomies", name="Main", **fields)


@pytest.mark.parametrize("ref", ["env:ROOMIES_SESSION", "file:/srv/leasebot/sessions/roomies.json", ""])
def test_it_accepts_credential_references(ref):
    account(storage_state_ref=ref).full_clean()


@pytest.mark.parametrize("secret", ["hunter2", "sk-live-123", '{"cookies": []}', "env:lowercase", "file:relative/path"])
def test_it_refuses_anything_that_is_not_a_reference_without_echoing_it(secret):
    with pytest.raises(ValidationError) as error:
        account(storage_state_ref=secret).full_clean()
    assert "storage_state_ref" in error.value.message_dict
    assert secret not in str(error.value)


def test_it_refuses_unknown_platforms():
    with pytest.raises(ValidationError):
        PlatformAccount(platform="craigslist", name="x").full_clean()


@pytest.mark.parametrize(
    "overrides",
    [{"paths": {"inbox": "/my/inbox"}}, {"selectors": {"inbox_rows": ["a.row", "div.row"]}}, {}],
)
def test_it_accepts_path_and_selector_overrides(overrides):
    account(overrides=overrides).full_clean()


@pytest.mark.parametrize("overrides", [{"javascript": {}}, {"paths": "nope"}, {"selectors": {"inbox_rows": []}}, ["a"]])
def test_it_refuses_malformed_overrides(overrides):
    with pytest.raises(ValidationError):
        account(overrides=overrides).full_clean()


def test_the_global_default_send_mode_is_draft_only():
    assert account().effective_send_mode() == "draft_only"
    assert account(send_mode="auto_send").effective_send_mode() == "auto_send"


@pytest.mark.web
def test_admin_refuses_a_literal_secret(client_admin):
    from django.urls import reverse

    response = client_admin.post(reverse("admin:conversations_platformaccount_add"), {
        "platform": "roomies", "name": "Main", "send_mode": "inherit", "storage_state_ref": "my-password-123",
        "locale": "en-US", "browser_timezone": "America/New_York", "overrides": "{}", "headless": "on",
    })
    assert response.status_code == 200 and b"Store a reference, not a secret" in response.content
    assert not PlatformAccount.objects.exists()


@pytest.mark.web
def test_admin_reads_a_base_url_without_a_scheme_as_https(client_admin):
    from django.urls import reverse

    response = client_admin.post(reverse("admin:conversations_platformaccount_add"), {
        "platform": "roomies", "name": "Main", "send_mode": "inherit", "base_url": "roomies.example",
        "locale": "en-US", "browser_timezone": "America/New_York", "overrides": "{}", "headless": "on",
    })
    assert response.status_code == 302, response.content[:2000]
    assert PlatformAccount.objects.get().base_url == "https://roomies.example"
