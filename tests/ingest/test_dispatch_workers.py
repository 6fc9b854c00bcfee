"""Exactly-once with real RQ workers (separate processes, real Redis, real Postgres) driving real Chromium
against the sandbox: 4 workers on 200 queued messages, and a worker SIGKILLed after clicking send."""

import collections
import datetime as dt
import os
import signal
import time

import pytest

from conversations import outbox
from conversations.models import Message, PlatformAccount
from ingest.models import AccountState, DispatchAttempt
from leasebot import clock
from leasebot.models import AuditEvent
from tests.conversations.factories import make_conversation
from tests.ingest.ingest_fixtures import *  # noqa: F403
from tests.ingest.ingest_fixtures import queued, start_worker, wait_all

pytestmark = [pytest.mark.worker, pytest.mark.contract, pytest.mark.django_db(transaction=True)]
PLATFORM = "spareroom"


@pytest.fixture
def queue(clean_redis):
    import django_rq

    return django_rq.get_queue("dispatch")


@pytest.fixture
def account(sandbox, tmp_path):
    path = sandbox.write_storage_state(PLATFORM, tmp_path / "session.json")
    account = PlatformAccount.objects.create(
        platform=PLATFORM, name="workers", send_mode="auto_send", base_url=sandbox.base_url(PLATFORM),
        storage_state_ref=f"file:{path}",
    )
    AccountState.objects.create(account=account, min_interval_seconds=0, jitter_seconds=0, daily_send_cap=100_000)
    return account




def test_four_workers_send_two_hundred_messages_exactly_once(sandbox, queue, account, tmp_path):
    platform = sandbox.state(PLATFORM)
    messages = []
    for t in range(40):
        thread_id, _ = platform.add_lead_message(f"Lead {t}: is it available?", lead_name=f"Lead {t}")
        conv = make_conversation(account, external_thread_id=thread_id)
        messages += [queued(conv, f"Reply {t}-{n}: yes, Saturday at 10am works.") for n in range(5)]
    for msg in messages * 2:  # every message enqueued twice: workers race for the same rows
        queue.enqueue(outbox.DISPATCH_JOB, msg.pk)

    started = time.monotonic()
    workers = [start_worker(tmp_path, f"dispatch-{n}") for n in range(4)]
    wait_all(workers, tmp_path, timeout=240)
    elapsed = time.monotonic() - started

    sent = platform.sent_messages()
    bodies = collections.Counter(item["body"] for item in sent)
    assert len(sent) == 200 and set(bodies.values()) == {1}
    rows = Message.objects.filter(pk__in=[m.pk for m in messages])
    assert {m.status for m in rows} == {"sent"}
    assert {m.external_message_id for m in rows} == {item["message_id"] for item in sent}
    workers_used = set(DispatchAttempt.objects.values_list("worker", flat=True))
    assert len(workers_used) >= 2, workers_used  # several processes really shared the work
    print(f"\n4 workers sent 200 messages in {elapsed:.1f}s ({200 / elapsed:.1f} messages/s)")


def test_a_worker_killed_after_clicking_send_is_recovered_as_sent_not_sent_twice(sandbox, queue, account, tmp_path):
    platform = sandbox.state(PLATFORM)
    thread_id, _ = platform.add_lead_message("Can I see it tomorrow?")
    msg = queued(make_conversation(account, external_thread_id=thread_id), "Tomorrow at 5:30pm works. See you!")
    platform.set_send_delay(60)  # the message is stored at once; the answer to the click never comes in time
    queue.enqueue(outbox.DISPATCH_JOB, msg.pk)

    doomed = start_worker(tmp_path, "doomed")
    deadline = time.monotonic() + 90
    while platform.send_count() == 0:
        assert doomed.poll() is None, (tmp_path / "doomed.log").read_text(errors="replace")
        assert time.monotonic() < deadline, "the worker never clicked send"
        time.sleep(0.1)
    os.killpg(doomed.pid, signal.SIGKILL)
    doomed.wait(10)
    platform.set_send_delay(0)

    msg.refresh_from_db()
    assert msg.status == "sending" and msg.attempts == 1
    # The claim expires (LEASEBOT_DISPATCH_CLAIM_SECONDS later in real life); then the sweep re-enqueues it.
    Message.objects.filter(pk=msg.pk).update(claim_expires_at=clock.now() - dt.timedelta(seconds=1))
    assert outbox.sweep_queued() == [msg.pk]
    wait_all([start_worker(tmp_path, "survivor")], tmp_path, timeout=120)

    msg.refresh_from_db()
    assert (msg.status, msg.attempts) == ("sent", 2)
    assert platform.send_count() == 1
    assert msg.external_message_id == platform.sent_messages()[0]["message_id"]
    event = AuditEvent.objects.get(action="platform_dispatch_sent", entity_id=str(msg.pk))
    assert event.details["recovered"] is True
