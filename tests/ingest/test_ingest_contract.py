"""run_ingest with the real playwright runtime (its browser thread) against the sandbox, in this process."""

import pytest
from django.core import mail

from conversations.models import Conversation, PlatformAccount
from ingest import accounts
from ingest import runtime as runtime_module
from ingest.ingest_run import run_ingest
from ingest.models import AccountState
from tests.ingest.ingest_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.contract, pytest.mark.django_db]


@pytest.fixture
def real_runtime(settings, tmp_path):
    settings.LEASEBOT_RPA_RUNTIME = "playwright"
    settings.LEASEBOT_RPA_ARTIFACTS_DIR = tmp_path / "artifacts"
    yield
    accounts.on_browser_thread(lambda: runtime_module.get_runtime().close())
    runtime_module._process_runtime.update(pid=None, runtime=None)


def sandbox_account(sandbox, tmp_path, platform):
    path = sandbox.write_storage_state(platform, tmp_path / f"{platform}.json")
    return PlatformAccount.objects.create(platform=platform, name=f"contract {platform}",
                                          base_url=sandbox.base_url(platform), storage_state_ref=f"file:{path}"), path


def test_a_session_file_refreshed_while_the_worker_kept_an_old_context_is_picked_up(
    sandbox, real_runtime, tmp_path
):
    account, path = sandbox_account(sandbox, tmp_path, "roomies")
    platform = sandbox.state("roomies")
    platform.add_lead_message("Hello, is it free?")
    assert run_ingest(account.pk).ok

    platform.expire_sessions()
    sandbox.write_storage_state("roomies", path)  # a person logged in again; the worker's context is stale
    platform.add_lead_message("Still there?", lead_name="Priya Shah")
    result = run_ingest(account.pk)

    assert result.ok and result.counts["messages_new"] == 1
    assert not AccountState.objects.get(account=account).needs_login
    assert Conversation.objects.filter(account=account).count() == 2


def test_an_expired_session_in_the_real_browser_flags_needs_login_and_alerts(
    sandbox, real_runtime, tmp_path, admin_user
):
    account, _ = sandbox_account(sandbox, tmp_path, "leasebreak")
    sandbox.state("leasebreak").expire_sessions()

    result = run_ingest(account.pk)

    assert result.error_code == "session_expired"
    assert AccountState.objects.get(account=account).needs_login
    assert len(mail.outbox) == 1
