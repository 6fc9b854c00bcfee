"""The triage jobs with real RQ workers against real Redis and Postgres: exactly-once triage, the sweep,
the reminders job; and two threads with their own database connections racing for one message."""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from conversations import ingestion, jobs
from conversations.ingestion import PlatformMessage
from conversations.models import Message, Outcome
from conversations.triage import pipeline
from leasebot import clock
from tests.scheduling.factories import make_showing
from tests.triage.pipeline_factories import decision_events, lead_says, make_thread, outbound

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
ROUTINE = "Hi, is this room still available? I'd love to come and see it."


@pytest.fixture
def queues():
    import django_rq

    triage_queue = django_rq.get_queue("triage")
    triage_queue.connection.flushdb()
    yield {name: django_rq.get_queue(name) for name in ("triage", "dispatch", "default")}
    triage_queue.connection.flushdb()


def _burst(queue):
    """A real RQ worker in burst mode, in this process (so it sees the frozen clock)."""
    from rq import SimpleWorker

    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def _worker_process(tmp_path, name):
    db = connection.settings_dict
    env = dict(os.environ, DATABASE_URL=f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115  (closed with the process)
    return subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", "triage", "--burst", "--name", name],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def _wait(processes, tmp_path, timeout=180):
    deadline = time.monotonic() + timeout
    for proc in processes:
        try:
            proc.wait(max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            logs = "\n".join(p.read_text(errors="replace")[-3000:] for p in tmp_path.glob("*.log"))
            pytest.fail(f"triage workers did not finish in {timeout}s:\n{logs}")


def test_an_ingested_message_is_triaged_by_a_worker_and_its_reply_handed_to_dispatch(queues, frozen_now):
    conv = make_thread()
    message, created = ingestion.record_message(conv, PlatformMessage("inbound", ROUTINE, "m-1", sent_at=frozen_now))
    assert created and queues["triage"].count == 1  # enqueued after commit by ingestion
    _burst(queues["triage"])
    message.refresh_from_db()
    assert message.triage_state == "done"
    [reply] = outbound(conv)
    assert reply.status == "queued" and len(reply.offered_slots) == 3
    [job] = queues["dispatch"].jobs
    assert job.func_name == "ingest.jobs.dispatch_message" and job.args == (reply.pk,)


def test_two_real_workers_triage_each_message_exactly_once(queues, tmp_path):
    conversations = [make_thread(lead_name=f"Lead {n}") for n in range(12)]
    messages = [lead_says(conv, ROUTINE) for conv in conversations]
    for message in messages * 2:  # every job enqueued twice: the workers race for the same rows
        queues["triage"].enqueue(ingestion.TRIAGE_JOB, message.pk)
    _wait([_worker_process(tmp_path, f"triage-{n}") for n in range(2)], tmp_path)
    assert set(Message.objects.filter(pk__in=[m.pk for m in messages]).values_list("triage_state", flat=True)) == {"done"}
    for conv in conversations:
        assert len(decision_events(conv)) == 1
        assert [m.status for m in outbound(conv)] == ["queued"]
    labels = {e.actor_label for e in decision_events()}
    assert all(label.startswith("worker:") for label in labels)


def test_two_threads_with_their_own_connections_never_triage_one_message_twice(frozen_now):
    conv = make_thread()
    conversations = [conv] + [make_thread(lead_name=f"Lead {n}") for n in range(4)]
    messages = [lead_says(c, ROUTINE) for c in conversations]
    results, errors = [], []

    def run(message, barrier):
        try:
            barrier.wait(timeout=30)
            results.append(pipeline.triage_message(message.pk, worker=f"worker:{threading.get_ident()}"))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    for message in messages:
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=run, args=(message, barrier)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    done = [r for r in results if r is not None]
    assert len(results) == 10 and len(done) == 5
    assert sorted(r.message_id for r in done) == sorted(m.pk for m in messages)
    for c in conversations:
        assert len(outbound(c)) == 1 and len(decision_events(c)) == 1


def test_the_sweep_re_enqueues_lost_and_stale_triage_work(queues, frozen_now):
    lost = lead_says(make_thread(), ROUTINE)  # created without an enqueue (Redis was down)
    stale = lead_says(make_thread(), ROUTINE)
    Message.objects.filter(pk=stale.pk).update(triage_state="claimed", triage_claimed_at=frozen_now - dt.timedelta(hours=1))
    fresh_claim = lead_says(make_thread(), ROUTINE)
    Message.objects.filter(pk=fresh_claim.pk).update(triage_state="claimed", triage_claimed_at=frozen_now)
    assert jobs.sweep_triage() == 2
    assert sorted(job.args[0] for job in queues["triage"].jobs) == sorted([lost.pk, stale.pk])
    _burst(queues["triage"])
    states = dict(Message.objects.filter(pk__in=[lost.pk, stale.pk, fresh_claim.pk]).values_list("pk", "triage_state"))
    assert states == {lost.pk: "done", stale.pk: "done", fresh_claim.pk: "claimed"}


def test_an_admin_re_triage_runs_the_message_again_through_a_worker(queues, frozen_now, admin_user):
    conv = make_thread()
    message = lead_says(conv, "Blue giraffe umbrella quantum")
    assert pipeline.triage_message(message.pk).reason_code == "low_confidence"
    from conversations import workflow

    workflow.resolve_escalation(conv, actor=admin_user)
    pipeline.retriage(message, user=admin_user)
    assert queues["triage"].count == 1
    _burst(queues["triage"])
    assert len(decision_events(conv)) == 2
    from leasebot.models import AuditEvent

    assert AuditEvent.objects.filter(action="ai_retriage_requested", actor_user=admin_user).count() == 1


def test_the_reminders_job_runs_on_a_worker(queues, frozen_now):
    conv = make_thread()
    showing = make_showing(conv.unit, conv.assigned_agent, frozen_now + dt.timedelta(hours=20))
    from conversations import workflow

    workflow.link_showing(conv, showing, actor="worker:test", cause="test")
    workflow.apply_outcome(conv, Outcome.SHOWING_CONFIRMED, actor="worker:test", cause="test")
    queues["default"].enqueue("conversations.jobs.run_showing_reminders")
    queues["default"].enqueue("conversations.jobs.run_showing_reminders")
    _burst(queues["default"])
    assert [m.body.startswith("Hi Sam, a reminder") for m in outbound(conv)] == [True]
    with clock.frozen(frozen_now + dt.timedelta(hours=21)):
        assert jobs.run_showing_reminders() == {"reminders": 0, "outcome_prompts": 1}


def test_an_older_message_another_worker_is_holding_is_left_to_it_instead_of_deadlocking(frozen_now):
    conv = make_thread()
    older = lead_says(conv, "Hello", minutes_ago=3)
    newer = lead_says(conv, ROUTINE, minutes_ago=1)
    holding, release, errors = threading.Event(), threading.Event(), []

    def other_worker():
        # Claims the older message and keeps its row lock, as a worker waiting for the conversation would.
        try:
            with transaction.atomic():
                assert pipeline.claim(older.pk) is not None
                holding.set()
                release.wait(timeout=30)
                transaction.set_rollback(True)  # it gives the message back; we triage it as it would
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    assert holding.wait(timeout=30)
    result = pipeline.triage_message(newer.pk, worker="worker:newer")  # must not wait for the older row
    release.set()
    thread.join(timeout=30)
    assert not errors, errors
    assert result.decision == "send"
    older.refresh_from_db()
    assert older.triage_state == "pending"  # never skipped under the other worker's claim
    assert pipeline.triage_message(older.pk, worker="worker:older").reason_code == "superseded_by_newer_message"
    assert len(outbound(conv)) == 1
