"""Ingest + linkage through the mock runtime (prints figures; not a timed test).

10,000 messages across 2,000 threads, 100 listings on 20 units: run_ingest lists the inbox, fetches every
new thread, records conversations (linked by listing id, or left unresolved for 10% of threads) and
messages through conversations.ingestion, and writes a run row. Target: >= 1,000 messages/s.

    1. first import of week-old history (no triage: nothing is answered)
    2. a re-run with nothing new (every inbox row unchanged: skipped by its cursor)
    3. 1,000 fresh lead messages in 1,000 known threads (triage queued after commit for each)

Run: scripts/bench tests/benchmarks/bench_ingest_mock.py
"""

import datetime as dt
import json
import os
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

from django.db import connection, reset_queries  # noqa: E402

from conversations.models import Conversation, Listing, Message, PlatformAccount  # noqa: E402
from ingest import accounts  # noqa: E402
from ingest.ingest_run import run_ingest  # noqa: E402
from ingest.runtime import get_runtime  # noqa: E402
from scheduling.models import Unit  # noqa: E402

THREADS, MESSAGES_PER_THREAD, LISTINGS, UNITS = 2000, 5, 100, 20


def setup(session_path):
    units = [Unit.objects.create(property_name="Bench Court", unit_number=str(n), timezone="America/New_York")
             for n in range(UNITS)]
    account = PlatformAccount.objects.create(platform="spareroom", name="bench", base_url="http://bench.test/spareroom",
                                             storage_state_ref=f"file:{session_path}", send_mode="draft_only")
    platform = get_runtime().state(accounts.build_config(account))
    for n in range(LISTINGS):
        listing_id = platform.add_listing(f"Bench room {n}", listing_id=f"B{n}")
        Listing.objects.create(account=account, unit=units[n % UNITS], external_listing_id=listing_id,
                               title=f"Bench room {n}")
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=7)
    threads = []
    for t in range(THREADS):
        listing_id = f"B{t % LISTINGS}" if t % 10 else "unknown-listing"
        thread_id = None
        for m in range(MESSAGES_PER_THREAD):
            at = start + dt.timedelta(minutes=t * 3 + m)  # all between 7 and 2.8 days old
            if m % 2 and thread_id:
                platform.add_our_message(thread_id, f"Reply {m} to lead {t}: Saturday 10am?", at=at)
            else:
                thread_id, _ = platform.add_lead_message(f"Lead {t} message {m}: is it free?", thread_id=thread_id,
                                                         lead_name=f"Lead {t}", listing_id=listing_id, at=at)
        threads.append(thread_id)
    return account, platform, threads


def timed(label, account_id, expected_new):
    reset_queries()
    started, cpu = time.perf_counter(), time.process_time()
    result = run_ingest(account_id)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert result.ok, result
    assert result.counts["messages_new"] == expected_new, result.counts
    seen = result.counts["messages_seen"]
    rate = f"{expected_new / elapsed:,.0f} new messages/s" if expected_new else f"{result.counts['threads_seen'] / elapsed:,.0f} rows/s"
    print(f"{label:48} {elapsed:6.2f}s wall {cpu:6.2f}s cpu  threads {result.counts['threads_seen']:5}  messages seen {seen:6}  "
          f"new {expected_new:6}  {rate}")
    return elapsed


def main():
    with tempfile.TemporaryDirectory() as folder:
        session = Path(folder) / "session.json"
        session.write_text(json.dumps({"cookies": [], "origins": []}))
        account, platform, threads = setup(session)
        total = THREADS * MESSAGES_PER_THREAD
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; mock runtime, {THREADS:,} threads, {total:,} messages, {LISTINGS} listings on {UNITS} units "
              f"(database {connection.settings_dict['NAME']})")
        first = timed("1. first import (week-old history, linkage)", account.pk, total)
        timed("2. re-run, nothing new", account.pk, 0)
        for thread_id in threads[:1000]:
            platform.add_lead_message("Is Saturday still possible?", thread_id=thread_id)
        timed("3. 1,000 fresh lead messages in known threads", account.pk, 1000)
        linked = Conversation.objects.filter(account=account, linkage="resolved").count()
        skipped = Message.objects.filter(conversation__account=account, triage_state="skipped").count()
        pending = Message.objects.filter(conversation__account=account, triage_state="pending").count()
        print(f"conversations {Conversation.objects.filter(account=account).count():,} (linked {linked:,}, "
              f"unresolved {THREADS - linked:,}); inbound not answered (old) {skipped:,}, queued for triage {pending:,}")
        verdict = "meets" if total / first >= 1000 else "MISSES"
        print(f"first import: {total / first:,.0f} messages/s ({verdict} the >= 1,000 messages/s target)")


if __name__ == "__main__":
    main()
