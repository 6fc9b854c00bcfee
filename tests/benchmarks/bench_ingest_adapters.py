"""Ingest adapter benchmark, phase 1 (prints figures; not a timed test).

1. Mock runtime: 10,000 messages across 2,000 threads read through the adapter interface
   (list_inbox + fetch_thread for every thread + content keys). Target for the whole ingest path
   (with persistence and linkage, phase 2): >= 1,000 messages/s; this is the adapter share of it.
2. Real Chromium against the sandbox, each platform: 20 leads; per lead the time from "message appears"
   to "reply visible in the sandbox thread" for the adapter work alone (list_inbox, fetch_thread,
   send_message with read-back), p50/p95. Polling delay and triage come on top in phase 2.

Run: scripts/bench tests/benchmarks/bench_ingest_adapters.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leasebot.settings")
os.environ["LEASEBOT_RPA_RUNTIME"] = "mock"
os.environ["LEASEBOT_ALLOW_MOCK_RUNTIME"] = "1"
os.environ.setdefault("LEASEBOT_ENV", "test")

import django  # noqa: E402

django.setup()

from ingest.mock import MockRuntime  # noqa: E402
from ingest.runtime import PlaywrightRuntime  # noqa: E402
from ingest.sandbox import SandboxServer  # noqa: E402
from ingest.types import AccountConfig  # noqa: E402

THREADS, MESSAGES_PER_THREAD, LEADS = 2000, 5, 20
PLATFORMS = ("spareroom", "roomies", "leasebreak", "renthop", "furnishedfinder")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def bench_mock():
    runtime = MockRuntime()
    config = AccountConfig(platform="renthop", base_url="https://renthop.example", account_key="bench")
    state = runtime.state(config)
    for n in range(THREADS):
        thread_id, _ = state.add_lead_message(f"Lead {n}: is the apartment available?", lead_name=f"Lead {n}")
        for m in range(MESSAGES_PER_THREAD - 1):
            state.add_lead_message(f"Follow-up {m} from lead {n}", thread_id=thread_id)
    adapter = runtime.adapter_for(config)
    started = time.perf_counter()
    messages = 0
    for row in adapter.list_inbox():
        messages += len(adapter.fetch_thread(row.thread_id).message_keys())
    elapsed = time.perf_counter() - started
    print(f"mock adapter reads: {messages} messages in {THREADS} threads, {elapsed:.2f}s, "
          f"{messages / elapsed:,.0f} messages/s (target for full ingest >= 1,000/s)")


def bench_sandbox():
    runtime = PlaywrightRuntime(artifacts_dir=tempfile.mkdtemp(prefix="bench-artifacts-"))
    overall = []
    with SandboxServer() as sandbox, tempfile.TemporaryDirectory() as sessions:
        for platform in PLATFORMS:
            path = sandbox.write_storage_state(platform, Path(sessions) / f"{platform}.json")
            config = AccountConfig(platform=platform, base_url=sandbox.base_url(platform), account_key="bench",
                                   storage_state_path=path)
            adapter = runtime.adapter_for(config)
            state = sandbox.state(platform)
            adapter.list_inbox()  # warm the context
            durations = []
            for n in range(LEADS):
                thread_id, _ = state.add_lead_message(f"Hi, can I see it? ({n})", lead_name=f"Lead {n}")
                started = time.perf_counter()
                rows = adapter.list_inbox()
                assert rows[0].thread_id == thread_id
                adapter.fetch_thread(thread_id)
                adapter.send_message(thread_id, f"Sure! Thursday at 6pm works. ({n})")
                durations.append(time.perf_counter() - started)
            assert state.send_count() == LEADS
            overall += durations
            print(f"{platform:16} lead -> reply visible (adapter work): p50 {statistics.median(durations):.2f}s "
                  f"p95 {percentile(durations, 0.95):.2f}s over {LEADS} leads")
    runtime.close()
    print(f"{'all platforms':16} p50 {statistics.median(overall):.2f}s p95 {percentile(overall, 0.95):.2f}s "
          f"(target end to end incl. polling p95 <= 30s)")


if __name__ == "__main__":
    bench_mock()
    bench_sandbox()
