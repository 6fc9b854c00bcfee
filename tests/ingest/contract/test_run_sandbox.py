"""`manage.py run_sandbox` as the demo runs it: another process, scripted over HTTP."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ingest.sandbox import SandboxClient

pytestmark = pytest.mark.contract

ROOT = Path(__file__).resolve().parents[3]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, deadline):
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{url} did not come up")


def test_run_sandbox_serves_seeded_platforms_and_session_files(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_sandbox", "--port", str(port), "--trickle", "0.05",
         "--sessions-dir", str(tmp_path)],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        root = f"http://127.0.0.1:{port}"
        wait_until_up(root + "/", time.monotonic() + 20)
        remote = SandboxClient(root).platform("spareroom")
        assert {item["id"] for item in remote.snapshot()["listings"]} == {"SR4471", "SR4472"}

        deadline = time.monotonic() + 10
        total = 0
        while time.monotonic() < deadline and total < 9:
            total = sum(sum(len(thread["messages"]) for thread in SandboxClient(root).platform(name).snapshot()["threads"])
                        for name in ("spareroom", "roomies", "leasebreak", "renthop", "furnishedfinder"))
            time.sleep(0.05)
        assert total >= 9  # 5 seeded leads, then the trickle keeps adding more

        session = json.loads((tmp_path / "spareroom.json").read_text())["cookies"][0]
        request = urllib.request.Request(f"{root}/spareroom/roommate/mythreads_beta.pl",
                                         headers={"Cookie": f"{session['name']}={session['value']}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert "thread_item" in response.read().decode()
    finally:
        process.terminate()
        process.wait(10)
