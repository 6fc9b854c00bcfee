"""Ops entry points: the periodic scheduling job, the ingest_once / sync_listings commands, the demo seed and
platform health in the Django admin."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from conversations.models import Listing, PlatformAccount
from ingest import demo, jobs, resilience
from ingest.ingest_run import run_ingest
from ingest.models import AccountState, CircuitBreaker, IngestRun
from ingest.sandbox.demo import DEMO_LISTINGS
from tests.ingest.ingest_fixtures import *  # noqa: F403
from tests.ingest.ingest_fixtures import platform_of

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def ingest_queue(clean_redis):
    import django_rq

    return django_rq.get_queue("ingest")


@pytest.mark.worker
def test_schedule_ingest_enqueues_each_active_unpaused_account_once_until_its_job_ran(
    make_platform_account, ingest_queue, django_capture_on_commit_callbacks
):
    active = make_platform_account("spareroom")
    make_platform_account("roomies", active=False)
    paused = make_platform_account("renthop")
    AccountState.objects.filter(account=paused).update(needs_login=True, needs_login_reason="session_expired: x")
    AccountState.objects.filter(account=active).update(last_listing_sync_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.schedule_ingest() == 2  # listings + ingest for the one active account
    with django_capture_on_commit_callbacks(execute=True):
        jobs.schedule_ingest()  # both jobs are still queued: nothing piles up

    queued = [(job.func_name, job.args) for job in ingest_queue.jobs]
    assert sorted(queued) == [("ingest.jobs.ingest_account", (active.pk,)),
                              ("ingest.jobs.sync_account_listings", (active.pk,))]


def test_ingest_once_and_sync_listings_run_synchronously_and_print_a_summary(mock_runtime, make_platform_account):
    account = make_platform_account("furnishedfinder")
    platform = platform_of(mock_runtime, account)
    platform.add_listing("Cozy furnished studio", listing_id="FF5521", price="$1,850/mo")
    platform.add_lead_message("Is it free in March?", listing_id="FF5521")
    blocked = make_platform_account("spareroom")
    platform_of(mock_runtime, blocked).add_fault("blocked", times=1)

    out = io.StringIO()
    call_command("sync_listings", "--platform", "furnishedfinder", stdout=out)
    call_command("ingest_once", stdout=out)
    text = out.getvalue()

    assert f"#{account.pk}" in text and "listings new 1" in text
    assert "threads new 1" in text and "messages new 1" in text
    assert "error access_blocked" in text and "2 account(s), 1 with errors" in text
    assert Listing.objects.get(account=account).rent_cents == 185000
    assert IngestRun.objects.filter(account=account).count() == 2


def test_the_demo_seed_points_one_account_per_platform_at_the_sandbox_and_links_listings_to_units(
    settings, monkeypatch, tmp_path
):
    from scheduling import demo as scheduling_demo

    monkeypatch.setenv("LEASEBOT_SANDBOX_URL", "http://127.0.0.1:9999")
    settings.LEASEBOT_RPA_PROFILES_DIR = tmp_path
    scheduling_demo.seed()
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())  # idempotent

    accounts = {a.platform: a for a in PlatformAccount.objects.all()}
    assert sorted(accounts) == sorted(DEMO_LISTINGS)
    assert accounts["spareroom"].effective_send_mode() == "auto_send" == accounts["roomies"].effective_send_mode()
    assert {accounts[p].effective_send_mode() for p in ("leasebreak", "renthop", "furnishedfinder")} == {"draft_only"}
    assert accounts["renthop"].base_url == "http://127.0.0.1:9999/renthop"
    assert accounts["renthop"].storage_state_ref == f"file:{tmp_path / 'sandbox' / 'renthop.json'}"
    assert Listing.objects.count() == sum(len(items) for items in DEMO_LISTINGS.values())
    assert not Listing.objects.filter(unit__isnull=True).exists()
    assert Listing.objects.get(external_listing_id="SR4471").rent_cents == 125000


@pytest.mark.web
def test_platform_health_is_visible_in_the_django_admin(mock_runtime, make_platform_account, client_admin):
    account = make_platform_account("roomies")
    platform_of(mock_runtime, account).add_fault("challenge", times=1)
    run_ingest(account.pk)
    resilience.flag_needs_login(account, "captcha_required", "captcha on the inbox")

    pages = {
        "ingest_accountstate": "captcha_required",
        "ingest_circuitbreaker": "bot_challenge",
        "ingest_ingestrun": "bot_challenge",
        "ingest_dispatchattempt": "",
    }
    for model, expected in pages.items():
        response = client_admin.get(reverse(f"admin:{model}_changelist"))
        assert response.status_code == 200
        assert expected in response.content.decode()
    state = AccountState.objects.get(account=account)
    response = client_admin.post(reverse("admin:ingest_accountstate_changelist"),
                                 {"action": "clear_needs_login", "_selected_action": [state.pk]})
    assert response.status_code == 302
    state.refresh_from_db()
    assert not state.needs_login
    assert CircuitBreaker.objects.get(account=account, action="ingest").consecutive_failures == 1


@pytest.mark.web
def test_agents_cannot_open_platform_health_in_the_admin(client_agent_a):
    response = client_agent_a.get(reverse("admin:ingest_accountstate_changelist"))
    assert response.status_code == 302
