"""RQ jobs of the ingest app: thin wrappers that take ids, re-read rows and call a service. Safe to run twice.

    schedule_ingest()                  periodic (queue ingest, every 60 s): one ingest job per active account,
                                       and a listing sync when LEASEBOT_LISTING_SYNC_SECONDS have passed
    ingest_account(account_id)         queue ingest
    sync_account_listings(account_id)  queue ingest
    dispatch_message(message_id)       queue dispatch (enqueued by conversations.outbox by dotted path)
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction

from conversations.models import PlatformAccount
from ingest import dispatch, ingest_run, resilience
from leasebot import clock

logger = logging.getLogger(__name__)
INGEST_JOB = "ingest.jobs.ingest_account"
LISTINGS_JOB = "ingest.jobs.sync_account_listings"


def _listing_sync_every():
    return dt.timedelta(seconds=int(getattr(settings, "LEASEBOT_LISTING_SYNC_SECONDS", 3600)))


def _pending(queue, job_id):
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        status = Job.fetch(job_id, connection=queue.connection).get_status(refresh=False)
    except NoSuchJobError:
        return False
    return status in ("queued", "started", "scheduled", "deferred")


def _enqueue_once(path, account_id, job_id):
    """One job per account at a time: a slow ingest never piles up behind itself."""
    import django_rq

    queue = django_rq.get_queue("ingest")
    if _pending(queue, job_id):
        return False
    # A first import of a long inbox in a real browser can take minutes; the next tick waits for it.
    queue.enqueue(path, account_id, job_id=job_id, result_ttl=300, failure_ttl=86400,
                  job_timeout=int(getattr(settings, "LEASEBOT_INGEST_JOB_TIMEOUT_SECONDS", 900)))
    return True


def schedule_ingest():
    enqueued = []
    now = clock.now()
    with transaction.atomic():
        for account in PlatformAccount.objects.filter(active=True).order_by("pk"):
            state = resilience.state_for(account)
            resilience.resume_if_session_refreshed(account, state)
            state.refresh_from_db()
            if state.paused_reason:
                continue  # never contact a paused account; a fresh login resumes it
            jobs = [(INGEST_JOB, f"ingest-account-{account.pk}")]
            if state.last_listing_sync_at is None or now - state.last_listing_sync_at >= _listing_sync_every():
                jobs.insert(0, (LISTINGS_JOB, f"listings-account-{account.pk}"))
            for path, job_id in jobs:
                transaction.on_commit(lambda p=path, a=account.pk, j=job_id: _enqueue_once(p, a, j))
                enqueued.append((path, account.pk))
    return len(enqueued)


def ingest_account(account_id):
    result = ingest_run.run_ingest(account_id)
    return {"skipped": result.skipped, "error": result.error_code, **result.counts}


def sync_account_listings(account_id):
    result = ingest_run.run_sync_listings(account_id)
    return {"skipped": result.skipped, "error": result.error_code, **result.counts}


def dispatch_message(message_id):
    result = dispatch.dispatch_message(message_id, worker_id=ingest_run.worker_name())
    return {"outcome": result.outcome, "code": result.code}
