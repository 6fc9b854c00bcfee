"""One ingest run of one platform account, and one listing sync: read the platform, record through
conversations.ingestion, write a run row, and turn typed failures into resilience state.

An inactive, disabled or needs-login account is never contacted. Threads are read in the platform's
page order; a thread is fetched when it is new or its inbox row changed since we last read it (rows
whose last message is ours included, so our own sends are matched, never duplicated).
"""

import hashlib
import logging
import os
import re
import socket
from dataclasses import dataclass, field

from django.db import transaction

from conversations.ingestion import (
    PlatformMessage,
    ThreadRef,
    record_conversation,
    record_messages,
    relink_unresolved,
)
from conversations.models import Listing, PlatformAccount
from ingest import accounts, resilience
from ingest.errors import PlatformError, ThreadNotFound
from ingest.models import CircuitBreaker, IngestRun, ThreadCursor
from leasebot import audit, clock

logger = logging.getLogger(__name__)
# Threads recorded per transaction: fewer commits, while a lead still reaches triage within a few fetches.
RECORD_BATCH = 20
RUN_COUNTS = ("threads_seen", "threads_new", "messages_seen", "messages_new", "listings_seen", "listings_new")
_PRICE = re.compile(r"(\d[\d,]*)(?:\.(\d{1,2}))?")


@dataclass
class RunResult:
    account_id: int
    skipped: str = ""  # why nothing was contacted
    run_id: int | None = None
    error_code: str = ""
    counts: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.skipped and not self.error_code


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"


def skip_reason(account, action):
    """Why this account must not be contacted for `action` now ("" when it may)."""
    if not account.active:
        return "inactive"
    state = resilience.state_for(account)
    resilience.resume_if_session_refreshed(account, state)
    state.refresh_from_db()
    if state.paused_reason:
        return "disabled" if state.disabled_reason else "needs_login"
    if resilience.breaker_wait(account, action) is not None:
        return "circuit_open"
    return ""


def _start_run(account, kind):
    return IngestRun.objects.create(account=account, kind=kind, started_at=clock.now(), worker=worker_name())


def _finish_run(run, result, error=None):
    run.finished_at = clock.now()
    for name in RUN_COUNTS:
        if name in result.counts:
            setattr(run, name, result.counts[name])
    if error is not None:
        run.error_code = getattr(error, "code", "internal_error")[:40]
        run.error_detail = str(error)[:500]
        result.error_code = run.error_code
    run.save()
    result.run_id = run.pk


def _fingerprint(row):
    time_text = row.time.raw if row.time else ""
    source = row.newest_message_id or f"{row.snippet}\x1f{time_text}"
    return hashlib.sha256(source.encode()).hexdigest()[:64]


def _thread_ref(row, thread):
    return ThreadRef(
        external_thread_id=str(thread.thread_id),
        lead_name=thread.lead_name or row.lead_name,
        thread_label=thread.listing_title or row.listing_title,
        listing_external_id=thread.listing_ref or row.listing_ref,
        listing_url=thread.listing_url,
        listing_title=thread.listing_title or row.listing_title,
    )


def platform_message(key, message):
    parsed = message.time
    return PlatformMessage(
        direction=message.direction,
        body=message.body,
        external_message_id=key,
        sent_at=parsed.at if parsed is not None else None,
        raw_time_text=parsed.raw if parsed is not None else "",
        time_parsed=bool(parsed is not None and parsed.ok),
    )


def _record_one(account, row, thread, counts):
    conv, created = record_conversation(account, _thread_ref(row, thread))
    counts["threads_new"] += int(created)
    keys = thread.message_keys()
    counts["messages_seen"] += len(keys)
    counts["messages_new"] += record_messages(
        conv, [platform_message(key, message) for key, message in keys], new_conversation=created)
    return conv


def record_threads(account, fetched, counts):
    """Record fetched (row, thread) pairs in one transaction (triage fires after commit), then move their
    cursors, so a thread whose recording failed is read again next run."""
    now = clock.now()
    with transaction.atomic():
        conversations = [_record_one(account, row, thread, counts) for row, thread in fetched]
        ThreadCursor.objects.bulk_create(
            [ThreadCursor(account=account, external_thread_id=str(thread.thread_id), fingerprint=_fingerprint(row),
                          read_at=now) for row, thread in fetched],
            update_conflicts=True, unique_fields=["account", "external_thread_id"], update_fields=["fingerprint", "read_at"],
        )
    return conversations


def record_thread(account, row, thread, counts):
    return record_threads(account, [(row, thread)], counts)[0]


def _fetch_and_record(account, adapter, rows, counts):
    """Threads in page order, recorded in small batches; what was fetched before a failure is still kept."""
    batch = []
    try:
        for row in rows:
            try:
                batch.append((row, adapter.fetch_thread(row.thread_id)))
            except ThreadNotFound:
                continue  # deleted between the inbox read and now; nothing to record
            if len(batch) >= RECORD_BATCH:
                record_threads(account, batch, counts)
                batch = []
    finally:
        if batch:
            record_threads(account, batch, counts)


def _rows_to_fetch(account, rows):
    cursors = dict(
        ThreadCursor.objects.filter(account=account, external_thread_id__in=[r.thread_id for r in rows])
        .values_list("external_thread_id", "fingerprint")
    )
    return [row for row in rows if cursors.get(row.thread_id) != _fingerprint(row)]


def _run(account_id, action, count_names, work):
    """Skip a paused account, or run `work(account, counts)` under a run row; typed failures go to resilience.
    IngestRun kinds and breaker actions share their names ("ingest", "listings")."""
    account = PlatformAccount.objects.filter(pk=account_id).first()
    if account is None:
        return RunResult(account_id, skipped="missing")
    reason = skip_reason(account, action)
    if reason:
        return RunResult(account_id, skipped=reason)
    result = RunResult(account_id, counts=dict.fromkeys(count_names, 0))
    run = _start_run(account, action)
    try:
        work(account, result.counts)
    except PlatformError as error:
        resilience.record_failure(account, action, error)
        _finish_run(run, result, error)
        return result
    except Exception as error:
        _finish_run(run, result, error)  # the run row must not stay open; the job fails loudly
        raise
    _finish_run(run, result)
    resilience.record_success(account, action)
    return result


def _ingest(account, counts):
    adapter, rows = accounts.with_session_retry(account, accounts.open_adapter(account), lambda a: a.list_inbox())
    counts["threads_seen"] = len(rows)
    _fetch_and_record(account, adapter, _rows_to_fetch(account, rows), counts)


def run_ingest(account_id):
    return _run(account_id, CircuitBreaker.Action.INGEST,
                ("threads_seen", "threads_new", "messages_seen", "messages_new"), _ingest)


# --- listings --------------------------------------------------------------------------------------

def rent_cents(price_text):
    """"$1,250/mo" → 125000; None when there is no number."""
    match = _PRICE.search(price_text or "")
    if not match:
        return None
    whole = int(match.group(1).replace(",", ""))
    cents = int((match.group(2) or "0").ljust(2, "0"))
    return whole * 100 + cents


def upsert_listing(account, info, now):
    listing = Listing.objects.filter(account=account, external_listing_id=info.external_id).first()
    created = listing is None
    if created:
        listing = Listing(account=account, external_listing_id=info.external_id)
    listing.title = (info.title or listing.title or info.external_id)[:300]
    if info.url:
        listing.url = info.url[:500]
    listing.status = (info.status or "active")[:40]
    cents = rent_cents(info.price_text)
    if cents is not None:
        listing.rent_cents = cents
    listing.synced_at = now
    listing.save()
    return listing, created


def _sync_listings(account, counts):
    _, infos = accounts.with_session_retry(account, accounts.open_adapter(account), lambda a: a.sync_listings())
    now = clock.now()
    with transaction.atomic():
        for info in infos:
            _, created = upsert_listing(account, info, now)
            counts["listings_new"] += int(created)
        counts["listings_seen"] = len(infos)
    counts["resolved_later"] = relink_unresolved(account)
    audit.record("ingest_listings_synced", actor_kind="worker", entity=account, platform=account.platform,
                 details={"listing_count": len(infos), "new_count": counts["listings_new"],
                          "resolved_count": counts["resolved_later"]})


def run_sync_listings(account_id):
    return _run(account_id, CircuitBreaker.Action.LISTINGS, ("listings_seen", "listings_new", "resolved_later"),
                _sync_listings)
