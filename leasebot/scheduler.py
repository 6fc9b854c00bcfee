"""The periodic scheduler: enqueues each periodic job once per interval, however many schedulers run.

Jobs are named by dotted path (the kernel imports no app). A Redis SET NX per job and time bucket
makes a second scheduler (or a restart) a no-op for that interval; the database stays the truth,
so a missed tick only delays work.
"""

import logging
import time
from dataclasses import dataclass

import django_rq
from django.conf import settings

from leasebot import clock

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    path: str
    every_seconds: int
    queue: str = "default"


DEFAULT_JOBS = (
    # Every 15 s, like a person keeping the inbox tab open: a lead hears back within ~30 s (p95).
    PeriodicJob("ingest.jobs.schedule_ingest", 15, "ingest"),
    PeriodicJob("conversations.jobs.run_follow_ups", 60, "default"),
    PeriodicJob("conversations.jobs.sweep_outbox", 60, "dispatch"),
    PeriodicJob("conversations.jobs.sweep_triage", 60, "triage"),
    PeriodicJob("conversations.jobs.run_showing_reminders", 300, "default"),
)


def periodic_jobs():
    configured = getattr(settings, "LEASEBOT_PERIODIC_JOBS", None)
    return tuple(PeriodicJob(*item) for item in configured) if configured else DEFAULT_JOBS


def job_exists(path):
    from django.utils.module_loading import import_string

    try:
        import_string(path)
        return True
    except ImportError:
        return False


def tick(now=None, jobs=None):
    """Enqueue every job whose interval bucket has not been claimed yet. Returns the enqueued paths."""
    now = now or clock.now()
    enqueued = []
    for job in jobs or periodic_jobs():
        if not job_exists(job.path):
            continue
        bucket = int(now.timestamp()) // job.every_seconds
        queue = django_rq.get_queue(job.queue)
        claimed = queue.connection.set(f"leasebot:periodic:{job.path}:{bucket}", "1", nx=True, ex=job.every_seconds * 2)
        if claimed:
            queue.enqueue(job.path, job_timeout=max(60, job.every_seconds * 5))
            enqueued.append(job.path)
    return enqueued


def run_forever(interval=5):
    while True:
        try:
            done = tick()
            if done:
                logger.info("enqueued periodic jobs: %s", ", ".join(done))
        except Exception as error:  # noqa: BLE001  (Redis blip: try again next tick, never die)
            logger.warning("scheduler tick failed: %s", type(error).__name__)
        time.sleep(interval)
