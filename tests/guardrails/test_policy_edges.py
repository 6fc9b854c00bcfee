"""Edge cases of the admin-managed policy and enforce_outbound (helper B's independent checks).

Audit rows never carry the text; admin phrases apply to the next check, catch evasive spellings and
only clear what lies inside an allowed phrase; the switches apply without a restart.
"""

import json

import pytest
from django.urls import reverse

from guardrails.enforcement import PATHS, enforce_outbound
from guardrails.models import BuiltinRule, GuardrailSettings, PolicyPhrase
from leasebot.models import AuditEvent

pytestmark = [pytest.mark.django_db]

RISKY = "Sorry, no kids please. Zelle me the deposit before the viewing."


def _blocked_events():
    return list(AuditEvent.objects.filter(action="guardrail_blocked"))


def test_it_audits_a_blocked_reply_with_path_categories_and_rule_ids_but_never_the_text(agent_a):
    verdict = enforce_outbound(
        RISKY, path="manual_reply", actor=agent_a, conversation_id=42, platform="spareroom", agent_id=7,
    )
    assert verdict.blocked
    assert {"fair_housing", "payment"} <= set(verdict.categories)
    [event] = _blocked_events()
    assert event.actor_user == agent_a and event.actor_kind == "user"
    assert (event.platform, event.agent_id, event.conversation_id) == ("spareroom", 7, 42)
    assert event.details["path"] == "manual_reply"
    assert event.details["categories"] == list(verdict.categories)
    assert event.details["rule_ids"] == list(verdict.rule_ids)
    stored = json.dumps(event.details) + event.entity_id + event.actor_label
    for word in ("no kids", "zelle me", "the deposit", "before the viewing"):
        assert word.lower() not in stored.lower()


def test_it_lets_an_honest_reply_through_without_an_audit_event():
    verdict = enforce_outbound(
        "Families are welcome; the unit is a 3rd floor walk-up. Saturday at 10 AM?", path="ai_auto_send",
    )
    assert not verdict.blocked
    assert _blocked_events() == []


@pytest.mark.parametrize("path", PATHS)
def test_it_blocks_and_audits_on_every_outbound_path(path):
    verdict = enforce_outbound("Sorry, Section 8 tenants need not apply.", path=path, conversation_id=5)
    assert verdict.blocked and verdict.categories == ("fair_housing",)
    [event] = _blocked_events()
    assert event.details["path"] == path
    assert event.actor_user is None
    assert event.actor_kind in ("worker", "system")


def test_it_refuses_an_unknown_path_instead_of_guessing():
    with pytest.raises(ValueError):
        enforce_outbound("Hello", path="sneaky_side_door")


def test_a_phrase_added_after_queueing_stops_the_text_at_dispatch():
    text = "Ask me about the rooftop party package when you move in."
    assert not enforce_outbound(text, path="ai_draft").blocked
    phrase = PolicyPhrase.objects.create(
        kind="blocked", category="promise", phrase="rooftop party package", message="We no longer offer this.",
    )
    verdict = enforce_outbound(text, path="dispatch")
    assert verdict.blocked
    [reason] = verdict.reasons
    assert (reason.category, reason.rule_id, reason.message) == ("promise", f"policy.phrase.{phrase.pk}", "We no longer offer this.")
    assert text[reason.span[0]:reason.span[1]].lower() == "rooftop party package"


def test_the_source_of_income_switch_applies_on_the_next_check():
    text = "We don't accept vouchers."
    assert enforce_outbound(text, path="manual_reply").blocked
    settings = GuardrailSettings.load()
    settings.source_of_income_rules = False
    settings.save()
    assert not enforce_outbound(text, path="manual_reply").blocked
    settings.source_of_income_rules = True
    settings.save()
    assert enforce_outbound(text, path="manual_reply").blocked


def test_the_team_phone_number_from_settings_may_be_shared():
    text = "Text the office at (212) 555-0100 when you arrive."
    settings = GuardrailSettings.load()
    settings.allowed_phone_numbers = "212-555-0100\n"
    settings.save()
    assert not enforce_outbound(text, path="follow_up").blocked
    assert enforce_outbound("Text Dana's cell at (917) 555-0142.", path="follow_up").categories == ("pii",)


def _add_phrase(client, **fields):
    data = {"kind": "blocked", "category": "promise", "phrase": "", "message": "", "active": "on", **fields}
    response = client.post(reverse("admin:guardrails_policyphrase_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return PolicyPhrase.objects.get(phrase=fields["phrase"])


def test_an_admin_added_blocked_phrase_takes_effect_on_the_next_check(client_admin):
    text = "Ask about our lifetime rent lock when you apply."
    assert not enforce_outbound(text, path="manual_reply").blocked
    phrase = _add_phrase(client_admin, phrase="lifetime rent lock", message="We cannot promise rent for life.")
    verdict = enforce_outbound(text, path="manual_reply")
    assert verdict.blocked
    assert verdict.rule_ids == (f"policy.phrase.{phrase.pk}",)
    assert verdict.reasons[0].message == "We cannot promise rent for life."


def test_the_blocked_phrase_also_catches_evasive_spellings(client_admin):
    _add_phrase(client_admin, phrase="lifetime rent lock")
    assert enforce_outbound("Ask about our L1FETIME  r-e-n-t  LOCK!", path="manual_reply").blocked


def test_deactivating_a_phrase_in_the_admin_lifts_it(client_admin):
    phrase = _add_phrase(client_admin, phrase="lifetime rent lock")
    url = reverse("admin:guardrails_policyphrase_change", args=[phrase.pk])
    response = client_admin.post(url, {"kind": "blocked", "category": "promise", "phrase": "lifetime rent lock", "message": ""})
    assert response.status_code == 302
    assert not enforce_outbound("Ask about our lifetime rent lock.", path="manual_reply").blocked


def test_an_admin_allowed_phrase_clears_only_what_lies_inside_it(client_admin):
    _add_phrase(client_admin, category="promise", phrase="rooftop")
    text = "The rooftop garden opens in May."
    assert enforce_outbound(text, path="manual_reply").categories == ("promise",)
    _add_phrase(client_admin, kind="allowed", category="promise", phrase="rooftop garden")
    assert not enforce_outbound(text, path="manual_reply").blocked
    verdict = enforce_outbound(text + " Ask about the rooftop party.", path="manual_reply")
    assert verdict.categories == ("promise",)
    assert verdict.reasons[0].span[0] > len(text)


def test_the_admin_refuses_an_empty_phrase(client_admin):
    response = client_admin.post(
        reverse("admin:guardrails_policyphrase_add"),
        {"kind": "blocked", "category": "abuse", "phrase": " ... ", "message": "", "active": "on"},
    )
    assert response.status_code == 200
    assert not PolicyPhrase.objects.exists()


def test_the_source_of_income_switch_is_edited_in_the_admin(client_admin):
    settings = GuardrailSettings.load()
    assert settings.source_of_income_rules
    assert enforce_outbound("No Section 8, sorry.", path="manual_reply").blocked
    response = client_admin.post(
        reverse("admin:guardrails_guardrailsettings_change", args=[settings.pk]),
        {"jurisdiction": "Texas", "allowed_phone_numbers": "", "allowed_emails": ""},
    )
    assert response.status_code == 302
    assert not enforce_outbound("No Section 8, sorry.", path="manual_reply").blocked
    # Federal classes have no switch.
    assert enforce_outbound("No kids, sorry.", path="manual_reply").blocked


def test_built_in_rules_are_listed_read_only_and_cannot_be_deleted(client_admin):
    response = client_admin.get(reverse("admin:guardrails_builtinrule_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "fair_housing" in page and "injection_leak" in page
    rule = BuiltinRule.objects.filter(in_code=True).first()
    assert rule is not None
    assert client_admin.get(reverse("admin:guardrails_builtinrule_delete", args=[rule.pk])).status_code == 403
    assert client_admin.get(reverse("admin:guardrails_builtinrule_add")).status_code == 403
    response = client_admin.post(
        reverse("admin:guardrails_builtinrule_changelist"),
        {"action": "delete_selected", "_selected_action": [rule.pk]},
    )
    assert BuiltinRule.objects.filter(pk=rule.pk).exists()
    change = client_admin.post(
        reverse("admin:guardrails_builtinrule_change", args=[rule.pk]),
        {"notes": "Reviewed by counsel.", "rule_id": "hijacked", "message": "changed"},
    )
    assert change.status_code == 302
    rule.refresh_from_db()
    assert rule.notes == "Reviewed by counsel." and rule.rule_id != "hijacked" and rule.message != "changed"


def test_the_settings_row_cannot_be_deleted(client_admin):
    settings = GuardrailSettings.load()
    assert client_admin.get(reverse("admin:guardrails_guardrailsettings_delete", args=[settings.pk])).status_code == 403


def test_agents_cannot_reach_the_guardrail_admin(client_agent_a):
    response = client_agent_a.get(reverse("admin:guardrails_policyphrase_changelist"))
    assert response.status_code in (302, 403)
