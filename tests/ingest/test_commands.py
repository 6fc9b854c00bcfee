import os
import socket
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.unit


def test_run_sandbox_refuses_production(settings):
    settings.LEASEBOT_ENV = "production"
    with pytest.raises(CommandError, match="refuses to run when LEASEBOT_ENV=production"):
        call_command("run_sandbox", "--port", "0")


def test_rpa_unlock_clears_a_dead_browsers_lock(tmp_path, capsys):
    profile = tmp_path / "spareroom-main"
    profile.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    os.symlink(f"{socket.gethostname()}-{dead.pid}", profile / "SingletonLock")

    call_command("rpa_unlock", str(profile))

    assert "cleared SingletonLock" in capsys.readouterr().out
    assert not (profile / "SingletonLock").is_symlink()


def test_rpa_unlock_all_walks_the_profiles_folder(settings, tmp_path, capsys):
    settings.LEASEBOT_RPA_PROFILES_DIR = tmp_path
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    call_command("rpa_unlock", "--all")
    out = capsys.readouterr().out
    assert "a: no stale lock" in out and "b: no stale lock" in out


def test_rpa_unlock_refuses_a_profile_in_use(tmp_path):
    profile = tmp_path / "p"
    profile.mkdir()
    os.symlink(f"{socket.gethostname()}-{os.getpid()}", profile / "SingletonLock")
    with pytest.raises(CommandError):
        call_command("rpa_unlock", str(profile))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["roomies", "--storage-state", "/tmp/x.json"], "--base-url is required"),
        (["roomies", "--base-url", "https://www.roomies.com"], "--storage-state PATH or --profile-dir PATH"),
    ],
)
def test_rpa_login_says_what_is_missing(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("rpa_login", *args)


@pytest.mark.django_db
def test_rpa_login_for_an_unknown_account_says_so():
    with pytest.raises(CommandError, match="No roomies platform account with id 999"):
        call_command("rpa_login", "roomies", "--account", "999")


@pytest.mark.django_db
def test_rpa_login_for_an_account_whose_session_reference_is_missing_says_so():
    from conversations.models import PlatformAccount

    account = PlatformAccount.objects.create(platform="roomies", name="r", storage_state_ref="env:LEASEBOT_TEST_NO_SUCH_VAR")
    with pytest.raises(CommandError) as error:
        call_command("rpa_login", "roomies", "--account", str(account.pk))
    assert "credential" in str(error.value).lower() or "LEASEBOT_TEST_NO_SUCH_VAR" in str(error.value)
