"""The periodic ingest with a real RQ worker process, real Chromium and the sandbox: schedule_ingest
enqueues per active account, the worker syncs listings and ingests, links threads, and queues triage
only for fresh lead messages. An inactive account is never contacted."""

import datetime as dt

import pytest

from conversations.models import Conversation, Listing, PlatformAccount
from ingest.jobs import schedule_ingest
from ingest.models import IngestRun
from scheduling.models import Unit
from tests.ingest.ingest_fixtures import *  # noqa: F403
from tests.ingest.ingest_fixtures import start_worker, wait_all

pytestmark = [pytest.mark.worker, pytest.mark.contract, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queues(clean_redis):
    import django_rq

    return django_rq.get_queue("ingest"), django_rq.get_queue("triage")


def account_for(sandbox, platform, tmp_path, **fields):
    path = sandbox.write_storage_state(platform, tmp_path / f"{platform}.json")
    return PlatformAccount.objects.create(
        platform=platform, name=f"sandbox {platform}", base_url=sandbox.base_url(platform),
        storage_state_ref=f"file:{path}", **fields,
    )


def test_a_real_worker_ingests_active_accounts_links_threads_and_triages_only_fresh_leads(
    sandbox, queues, tmp_path
):
    ingest_queue, triage_queue = queues
    spareroom = sandbox.state("spareroom")
    roomies = sandbox.state("roomies")
    active = account_for(sandbox, "spareroom", tmp_path)
    inactive = account_for(sandbox, "roomies", tmp_path, active=False)
    unit = Unit.objects.create(property_name="Maple Court", unit_number="4B", timezone="America/New_York")
    Listing.objects.create(account=active, unit=unit, external_listing_id="SR4471", title="Sunny double room")
    spareroom.add_listing("Sunny double room in Astoria", listing_id="SR4471", price="$1,250/mo")
    spareroom.add_listing("Quiet room in Park Slope", listing_id="SR4472", price="$1,400/mo")
    fresh_thread, _ = spareroom.add_lead_message("Is the room still available?", listing_id="SR4471")
    week_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=7)
    old_thread, _ = spareroom.add_lead_message("Old question from last week", listing_id="SR4472", at=week_ago)
    roomies.add_lead_message("Hello?")
    roomies_requests = roomies.requests

    assert schedule_ingest() == 2  # listing sync + ingest for the one active account
    assert ingest_queue.count == 2
    wait_all([start_worker(tmp_path, "ingest-worker", queue="ingest")], tmp_path, timeout=120)

    fresh = Conversation.objects.get(account=active, external_thread_id=fresh_thread)
    old = Conversation.objects.get(account=active, external_thread_id=old_thread)
    assert (fresh.linkage, fresh.unit_id) == ("resolved", unit.pk)
    assert old.linkage == "linkage_unresolved"  # SR4472 is synced but linked to no unit yet
    assert [m.triage_state for m in fresh.messages.all()] == ["pending"]
    assert [m.triage_state for m in old.messages.all()] == ["skipped"]
    assert old.messages.get().sent_at_source == "platform"
    assert triage_queue.count == 1
    assert Listing.objects.get(account=active, external_listing_id="SR4472").rent_cents == 140000
    runs = IngestRun.objects.filter(account=active)
    assert sorted(runs.values_list("kind", flat=True)) == ["ingest", "listings"] and all(r.ok for r in runs)
    assert not Conversation.objects.filter(account=inactive).exists()
    assert roomies.requests == roomies_requests
