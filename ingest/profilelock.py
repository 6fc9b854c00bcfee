"""A lock we own on a persistent browser profile, so two processes never open the same profile.

The lock is an flock on `<profile>/.leasebot.lock`: the kernel drops it when the owner dies, so a crashed
worker never leaves the profile locked for us. Chromium's own SingletonLock/SingletonSocket/SingletonCookie
can still be left behind by a killed browser; `clear_stale()` (manage.py rpa_unlock) removes them when no
live process owns the profile.
"""

import fcntl
import json
import os
import socket
import time
from pathlib import Path

from ingest.errors import ProfileLocked

LOCK_NAME = ".leasebot.lock"
CHROMIUM_SINGLETONS = ("SingletonLock", "SingletonSocket", "SingletonCookie")


class ProfileLock:
    def __init__(self, profile_dir):
        self.profile_dir = Path(profile_dir)
        self.path = self.profile_dir / LOCK_NAME
        self._fd = None

    def acquire(self):
        self.profile_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = _read_owner(fd)
            os.close(fd)
            raise ProfileLocked(f"browser profile {self.profile_dir} is in use by {owner or 'another process'}") from None
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}).encode())
        self._fd = fd
        return self

    def release(self):
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self):
        return self._fd is not None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


def _read_owner(fd):
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096) or b"{}")
    except (OSError, ValueError):
        return ""
    return f"pid {data.get('pid')} on {data.get('host')}" if data.get("pid") else ""


def _singleton_owner(profile_dir):
    """(host, pid) from Chromium's SingletonLock symlink ("host-pid"), or None."""
    link = Path(profile_dir) / "SingletonLock"
    try:
        target = os.readlink(link)
    except OSError:
        return None
    host, _, pid = target.rpartition("-")
    return (host, int(pid)) if pid.isdigit() else (host, None)


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clear_stale(profile_dir):
    """Remove leftover locks from `profile_dir`. Returns the names removed; raises ProfileLocked if a live
    process (ours or a Chromium on this host) still owns the profile."""
    profile_dir = Path(profile_dir)
    removed = []
    with ProfileLock(profile_dir):
        owner = _singleton_owner(profile_dir)
        if owner and owner[0] == socket.gethostname() and owner[1] and _pid_alive(owner[1]):
            raise ProfileLocked(f"Chromium pid {owner[1]} still runs on profile {profile_dir}; stop it first")
        for name in CHROMIUM_SINGLETONS:
            path = profile_dir / name
            if path.is_symlink() or path.exists():
                path.unlink()
                removed.append(name)
    (profile_dir / LOCK_NAME).unlink(missing_ok=True)
    return removed
