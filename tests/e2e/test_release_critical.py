"""Release-critical end to end (the gate's last step): real Postgres, Redis, RQ worker processes, Chromium
and the sandbox platforms. A lead writes on the platform; lease-bot ingests, triages, replies or hands off."""

import datetime as dt
import subprocess
import sys

import pytest
from django.urls import reverse

from conversations.models import Conversation, Message, PlatformAccount
from conversations.triage import reminders
from ingest.jobs import schedule_ingest
from ingest.models import AccountState
from leasebot import clock
from scheduling.models import Showing
from tests.conversations.factories import make_listing
from tests.ingest.ingest_fixtures import ROOT, sandbox, wait_all, worker_env  # noqa: F401
from tests.scheduling.factories import assign, make_unit, weekly
from tests.triage.pipeline_factories import install_defaults

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
QUEUES = ["ingest", "triage", "dispatch", "default"]


@pytest.fixture
def queues():
    import django_rq

    queue = django_rq.get_queue("ingest")
    queue.connection.flushdb()
    yield
    queue.connection.flushdb()


@pytest.fixture
def site(sandbox, queues, tmp_path, agent_a):  # noqa: F811
    install_defaults()
    profile = agent_a.agent_profile
    # 26 h notice: showings are booked more than a day ahead, so the reminder is due before them.
    unit = make_unit(property_name="Maple Court", unit_number="4B", timezone="America/New_York", min_notice_minutes=26 * 60)
    assign(unit, profile, priority=1)
    weekly(unit, "00:00", "23:59")
    weekly(profile, "00:00", "23:59")
    state_file = sandbox.write_storage_state("spareroom", tmp_path / "spareroom.json")
    account = PlatformAccount.objects.create(
        platform="spareroom", name="e2e", base_url=sandbox.base_url("spareroom"),
        storage_state_ref=f"file:{state_file}", send_mode="auto_send",
    )
    # No pacing gap between sends here: a burst worker would exit before a paced retry comes due.
    AccountState.objects.update_or_create(account=account, defaults={"min_interval_seconds": 0, "jitter_seconds": 0})
    make_listing(account, unit=unit, title="Sunny double room in Astoria", external_listing_id="SR4471")
    platform = sandbox.state("spareroom")
    platform.add_listing("Sunny double room in Astoria", listing_id="SR4471", price="$1,250/mo")
    return {"account": account, "platform": platform, "unit": unit, "agent": profile, "tmp": tmp_path}


def run_workers(site):
    """One pass of the periodic ingest, then a real worker drains every queue (burst mode)."""
    schedule_ingest()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", *QUEUES, "--burst", "--with-scheduler",
         "--worker-class", "rq.worker.SimpleWorker"],
        cwd=ROOT, env=worker_env(site["tmp"]), stdout=open(site["tmp"] / "worker.log", "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT, start_new_session=True,
    )
    wait_all([worker], site["tmp"], timeout=150)


def conversation_for(site, thread_id):
    return Conversation.objects.get(account=site["account"], external_thread_id=thread_id)


def test_a_platform_round_trip_answers_a_lead_in_their_thread(site):
    thread_id, _ = site["platform"].add_lead_message(
        "Hi, is the room still available? I'd like to arrange a viewing.", lead_name="Maya Ortiz", listing_id="SR4471"
    )
    run_workers(site)
    conv = conversation_for(site, thread_id)
    reply = conv.messages.get(direction="outbound")
    assert reply.status == "sent" and reply.external_message_id
    assert len(reply.offered_slots) >= 1, "a routine request is answered with real showing times"
    sent = site["platform"].sent_messages()
    assert [m["thread_id"] for m in sent] == [thread_id] and sent[0]["body"] == reply.body


def test_a_risky_lead_reaches_the_needs_human_queue_and_nothing_is_sent(site, client_agent_a):
    thread_id, _ = site["platform"].add_lead_message(
        "Before I visit: are kids ok in the building? I have two children and a service dog.",
        lead_name="Nora Haddad", listing_id="SR4471",
    )
    run_workers(site)
    conv = conversation_for(site, thread_id)
    assert conv.human_required and conv.human_reason_code
    assert not conv.messages.filter(direction="outbound").exists()
    assert site["platform"].send_count() == 0
    page = client_agent_a.get(reverse("conversations:inbox"), {"queue": "needs_human"})
    assert "Nora Haddad" in page.content.decode()


@pytest.mark.parametrize("ending", ["completed", "no_show"])
def test_the_showing_lifecycle_offer_pick_book_remind_and_close(site, client_agent_a, ending):
    platform = site["platform"]
    thread_id, _ = platform.add_lead_message("Can I come see the room?", lead_name="Daniel Kim", listing_id="SR4471")
    run_workers(site)
    conv = conversation_for(site, thread_id)
    offer = conv.messages.get(direction="outbound")
    assert offer.status == "sent" and offer.offered_slots

    # The second time, not the first: the first one can slip inside the minimum notice if the pick
    # arrives just after a grid boundary (then the lead is rightly offered alternatives instead).
    platform.add_lead_message("The second one works for me, thanks!", thread_id=thread_id)
    run_workers(site)
    conv.refresh_from_db()
    showing = conv.current_showing
    assert showing is not None and showing.status == Showing.Status.CONFIRMED
    assert conv.workflow_outcome == "showing_confirmed"
    picked = offer.offered_slots[1]["starts_at"]
    assert showing.starts_at == dt.datetime.fromisoformat(picked)
    confirmation = conv.messages.filter(direction="outbound").exclude(pk=offer.pk).get()
    assert confirmation.status == "sent"
    assert platform.send_count() == 2

    with clock.frozen(showing.starts_at - dt.timedelta(hours=23)):
        reminders.run()
    reminder = conv.messages.filter(direction="outbound").order_by("-pk").first()
    assert reminder.pk not in (offer.pk, confirmation.pk), "a reminder goes out before the showing"

    with clock.frozen(showing.ends_at + dt.timedelta(minutes=30)):
        reminders.run()
    conv.refresh_from_db()
    assert conv.human_required, "after the showing the agent is asked whether it happened"
    response = client_agent_a.post(reverse("conversations:outcome", args=[conv.pk]), {"outcome": ending})
    assert response.status_code == 302
    conv.refresh_from_db()
    showing.refresh_from_db()
    assert showing.status == ending and conv.workflow_outcome == ending and not conv.human_required
    assert Message.objects.filter(conversation=conv, direction="outbound", status="dead").count() == 0
