import json

import pytest

from guardrails.enforcement import PATHS, enforce_outbound
from guardrails.models import PolicyPhrase
from leasebot.models import AuditEvent

pytestmark = pytest.mark.django_db

RISKY = "Sorry, no kids. Text the owner at 917-555-0142."


def _blocked_events():
    return list(AuditEvent.objects.filter(action="guardrail_blocked"))


@pytest.mark.parametrize("path", PATHS)
def test_it_audits_a_blocked_text_with_categories_and_rule_ids_only(path, agent_a):
    verdict = enforce_outbound(RISKY, path=path, actor=agent_a, conversation_id=41, platform="spareroom", agent_id=7)
    assert verdict.blocked
    [event] = _blocked_events()
    assert event.details == {
        "path": path,
        "categories": ["fair_housing", "pii"],
        "rule_ids": ["fair_housing.exclusion", "pii.phone_number"],
        "reason_count": 2,
    }
    assert (event.conversation_id, event.platform, event.agent_id) == (41, "spareroom", 7)
    assert event.actor_user == agent_a and event.actor_kind == "user"
    stored = json.dumps(event.details) + event.entity_id + event.entity_type + event.actor_label
    for fragment in ("kids", "917", "555-0142", "owner"):
        assert fragment not in stored


def test_it_records_jobs_as_workers_when_there_is_no_user():
    enforce_outbound(RISKY, path="dispatch", conversation_id=5)
    [event] = _blocked_events()
    assert event.actor_kind == "worker" and event.actor_user is None


def test_an_allowed_text_passes_without_an_audit_event(agent_a):
    verdict = enforce_outbound("Saturday at 10 or Sunday at 4?", path="manual_reply", actor=agent_a)
    assert not verdict.blocked and verdict.reasons == ()
    assert _blocked_events() == []


def test_a_rule_added_after_queueing_stops_the_text_at_dispatch(agent_a):
    text = "I'll throw in a parking spot for free."
    assert not enforce_outbound(text, path="manual_reply", actor=agent_a, conversation_id=9).blocked
    PolicyPhrase.objects.create(kind="blocked", category="promise", phrase="throw in a parking spot")
    verdict = enforce_outbound(text, path="dispatch", conversation_id=9)
    assert verdict.blocked and verdict.reasons[0].category == "promise"
    [event] = _blocked_events()
    assert event.details["path"] == "dispatch" and event.details["rule_ids"] == [verdict.reasons[0].rule_id]


def test_it_refuses_an_unknown_path():
    with pytest.raises(ValueError, match="unknown outbound path"):
        enforce_outbound("hello", path="sideways")
