import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from conversations import workflow
from leasebot import audit, clock
from leasebot.ops import snapshot
from tests.conversations.factories import make_account, make_conversation, make_inbound

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def seeded(frozen_now, agent_a):
    account = make_account("roomies")
    conv = make_conversation(account, agent=agent_a.agent_profile)
    make_inbound(conv, "hello", minutes_ago=30)
    make_inbound(conv, "still there?", minutes_ago=90)
    with clock.frozen(frozen_now - dt.timedelta(hours=2)):
        workflow.escalate(conv, reason_code="legal", actor=None, cause="triage")
    with clock.frozen(frozen_now - dt.timedelta(hours=1)):
        audit.record("inbox_manual_reply_queued", actor=agent_a, conversation_id=conv.pk, platform="roomies")
    for decision in ("send", "send", "draft", "escalate"):
        audit.record("ai_reply_decision", platform="roomies", conversation_id=conv.pk,
                     details={"provider": "heuristic", "intent": "tour_request", "outcome": "general_question", "decision": decision})
    audit.record("ai_reply_human_required_queued", platform="roomies", details={"reason_code": "legal"})
    audit.record("guardrail_blocked", platform="roomies", details={"categories": ["fair_housing", "pii"], "rule_ids": ["fh1", "pii2"]})
    audit.record("guardrail_blocked", platform="roomies", details={"categories": ["fair_housing"], "rule_ids": ["fh1"]})
    audit.record("platform_dispatch_sent", platform="roomies")
    audit.record("platform_dispatch_error", platform="roomies", details={"error_code": "rate_limited", "retry": True})
    audit.record("platform_dispatch_dlq", platform="spareroom", details={"error_code": "page_changed"})
    audit.record("ingest_conversation_linkage_resolved", platform="roomies")
    audit.record("ingest_conversation_linkage_unresolved", platform="roomies", conversation_id=conv.pk,
                 details={"thread_label": "Cozy room", "tried": ["external_id", "title"]})
    audit.record("showing_booking_created", details={"source": "lead_selection"})
    audit.record("showing_booking_conflict", details={"source": "lead_selection"})
    return conv


def test_it_counts_seeded_activity_in_every_section(seeded, frozen_now):
    snap = snapshot.build_snapshot(24, now=frozen_now)
    assert snap["volume"]["inbound"] == {"roomies": 2}
    assert snap["ai"]["by_decision"] == {"send": 2, "draft": 1, "escalate": 1}
    assert snap["volume"]["drafts_created"] == {"roomies": 1}
    assert snap["ai"]["escalation_reasons"] == {"legal": 1}
    assert snap["human_queue"]["depth"] == 1
    assert snap["human_queue"]["oldest_age_seconds"] == 7200
    assert snap["human_queue"]["median_first_action_seconds"] == 3600
    assert snap["dispatch"]["guardrail_blocks"] == {"fair_housing": 2, "pii": 1}
    assert snap["dispatch"]["retried"] == {"roomies": 1} and snap["dispatch"]["dead_letters"] == {"spareroom": 1}
    assert snap["linkage"]["unresolved_rate"] == 0.5
    assert snap["linkage"]["latest_unresolved"][0]["thread_label"] == "Cozy room"
    assert snap["slots"]["bookings_by_source"] == {"lead_selection": 1} and snap["slots"]["conflicts"] == 1
    assert {"from": "lead", "to": "lead", "count": 1} in snap["workflow"]["transitions"]
    assert sum(p["count"] for p in snap["series"]["inbound"]) == 2
    assert sum(p["count"] for p in snap["series"]["escalations"]) == 1
    assert snap["slices"]["by_platform"][0] == {"key": "roomies", "count": 5}


def test_it_leaves_out_what_happened_before_the_window(seeded, frozen_now):
    snap = snapshot.build_snapshot(1, now=frozen_now)
    assert snap["volume"]["inbound"] == {"roomies": 1}
    assert len(snap["series"]["inbound"]) == 2


@pytest.mark.parametrize("raw", ["0", "169", "abc", "-3"])
def test_it_rejects_bad_windows_everywhere(client_admin, raw):
    assert client_admin.get(reverse("ops_dashboard"), {"window_hours": raw}).status_code == 400
    response = client_admin.get(reverse("observability_json"), {"window_hours": raw})
    assert response.status_code == 400 and "window_hours" in response.json()["error"]
    with pytest.raises(CommandError):
        call_command("observability", "--window-hours", raw)


@pytest.mark.web
def test_it_serves_the_snapshot_only_to_admins(client_admin, client_agent_a, client_anon, seeded):
    assert client_agent_a.get(reverse("observability_json")).status_code == 403
    assert client_anon.get(reverse("observability_json")).status_code == 302
    body = client_admin.get(reverse("observability_json"), {"window_hours": "48"}).json()
    assert body["window_hours"] == 48 and body["human_queue"]["depth"] == 1
    page = client_admin.get(reverse("ops_dashboard"))
    assert page.status_code == 200 and b"<svg" in page.content and b"Guardrail blocks" in page.content
    partial = client_admin.get(reverse("ops_dashboard"), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Human queue" in partial.content


def test_the_command_prints_json_and_text(seeded, capsys):
    call_command("observability", "--json", "--window-hours", "24")
    data = json.loads(capsys.readouterr().out)
    assert data["ai"]["decisions"] == 4
    call_command("observability")
    assert "Needs-human queue" in capsys.readouterr().out


@pytest.mark.web
def test_the_page_names_reasons_agents_and_conversations_instead_of_codes_and_ids(client_admin, seeded, agent_a):
    audit.record("guardrail_blocked", platform="roomies", agent_id=agent_a.agent_profile.pk, conversation_id=seeded.pk,
                 details={"categories": ["pii"], "rule_ids": ["pii2"]})
    audit.record("platform_dispatch_dlq", platform="roomies", conversation_id=999_999, details={"error_code": "gone"})
    audit.record("ai_reply_human_required_queued", platform="roomies", details={"reason_code": "risk_legal"})

    page = client_admin.get(reverse("ops_dashboard")).content.decode()

    assert '<span title="risk_legal">Legal topic</span>' in page
    assert '<span title="legal">legal</span>' in page  # a code without a label is shown as written
    assert f"<li>{agent_a.agent_profile.display_name}: 1</li>" in page
    assert f'<a href="{reverse("conversations:detail", args=[seeded.pk])}">{seeded}</a>' in page
    assert "<li>999999: 1</li>" in page  # a conversation since deleted keeps its number, unlinked
    slices = snapshot.build_snapshot(24)["slices"]
    assert slices["by_agent"] == [{"key": agent_a.agent_profile.pk, "count": 1, "label": agent_a.agent_profile.display_name}]
