import os
import socket
import subprocess
import sys

import pytest

from ingest.errors import ProfileLocked
from ingest.profilelock import LOCK_NAME, ProfileLock, clear_stale

pytestmark = pytest.mark.unit


def test_a_profile_is_opened_by_one_holder_at_a_time(tmp_path):
    first = ProfileLock(tmp_path / "profile").acquire()
    with pytest.raises(ProfileLocked) as caught:
        ProfileLock(tmp_path / "profile").acquire()
    assert f"pid {os.getpid()}" in str(caught.value)
    first.release()
    ProfileLock(tmp_path / "profile").acquire().release()


def test_another_process_holding_the_lock_keeps_us_out(tmp_path):
    profile = tmp_path / "profile"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from ingest.profilelock import ProfileLock; ProfileLock(sys.argv[1]).acquire(); "
         "print('held', flush=True); time.sleep(30)", str(profile)],
        stdout=subprocess.PIPE, text=True, cwd=os.getcwd(),
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(ProfileLocked):
            ProfileLock(profile).acquire()
    finally:
        holder.kill()
        holder.wait()
    # The kernel drops the lock with its dead owner: no manual cleanup needed for our own lock.
    ProfileLock(profile).acquire().release()


def test_clear_stale_removes_chromium_singletons_of_a_dead_browser(tmp_path):
    profile = tmp_path / "profile"
    profile.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    os.symlink(f"{socket.gethostname()}-{dead.pid}", profile / "SingletonLock")
    (profile / "SingletonCookie").write_text("x")
    (profile / LOCK_NAME).write_text("{}")

    removed = clear_stale(profile)

    assert sorted(removed) == ["SingletonCookie", "SingletonLock"]
    assert not (profile / "SingletonLock").is_symlink()
    assert not (profile / LOCK_NAME).exists()


def test_clear_stale_leaves_a_live_browser_alone(tmp_path):
    profile = tmp_path / "profile"
    profile.mkdir()
    os.symlink(f"{socket.gethostname()}-{os.getpid()}", profile / "SingletonLock")
    with pytest.raises(ProfileLocked):
        clear_stale(profile)
    assert (profile / "SingletonLock").is_symlink()


def test_clear_stale_refuses_a_profile_a_worker_holds(tmp_path):
    lock = ProfileLock(tmp_path / "profile").acquire()
    try:
        with pytest.raises(ProfileLocked):
            clear_stale(tmp_path / "profile")
    finally:
        lock.release()
