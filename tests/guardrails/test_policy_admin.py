import pytest
from django.urls import reverse

from guardrails.engine import check_outbound
from guardrails.models import BuiltinRule, GuardrailSettings, PolicyPhrase
from guardrails.policy import current_policy

pytestmark = [pytest.mark.django_db, pytest.mark.web]


def _check(text):
    return check_outbound(text, policy=current_policy())


def test_an_admin_added_blocked_phrase_takes_effect_without_restart(client_admin):
    text = "Ask me about our loyalty discount."
    assert not _check(text).blocked  # also warms the cached snapshot
    response = client_admin.post(
        reverse("admin:guardrails_policyphrase_add"),
        {"kind": "blocked", "category": "promise", "phrase": "loyalty discount",
         "message": "Discounts are set by the official offer only.", "active": "on"},
    )
    assert response.status_code == 302
    verdict = _check(text)
    assert verdict.blocked
    assert verdict.reasons[0].category == "promise"
    assert verdict.reasons[0].message == "Discounts are set by the official offer only."
    assert verdict.reasons[0].rule_id == f"policy.phrase.{PolicyPhrase.objects.get().pk}"


def test_an_admin_allowed_phrase_unblocks_a_built_in_finding(client_admin):
    text = "Ideal for seniors: step-free entry and grab bars."
    assert _check(text).blocked
    client_admin.post(
        reverse("admin:guardrails_policyphrase_add"),
        {"kind": "allowed", "category": "fair_housing", "phrase": "ideal for seniors", "active": "on"},
    )
    assert not _check(text).blocked


def test_deactivating_or_deleting_a_phrase_lifts_it(admin_user):
    phrase = PolicyPhrase.objects.create(kind="blocked", category="abuse", phrase="bless your heart")
    assert _check("Well, bless your heart.").blocked
    phrase.active = False
    phrase.save()
    assert not _check("Well, bless your heart.").blocked
    phrase.active = True
    phrase.save()
    assert _check("Well, bless your heart.").blocked
    phrase.delete()
    assert not _check("Well, bless your heart.").blocked


def test_the_source_of_income_switch_applies_without_restart(client_admin):
    text = "Sorry, we don't take Section 8."
    assert _check(text).blocked  # on by default, even before the settings row exists
    settings = GuardrailSettings.load()
    response = client_admin.post(
        reverse("admin:guardrails_guardrailsettings_change", args=[settings.pk]),
        {"jurisdiction": "Somewhere without SOI protection", "allowed_phone_numbers": "", "allowed_emails": ""},
    )
    assert response.status_code == 302
    assert GuardrailSettings.load().source_of_income_rules is False
    assert not _check(text).blocked
    assert _check("No kids allowed.").blocked


def test_the_teams_own_numbers_in_settings_may_be_shared():
    text = "Text Jamie at 917-555-0142 to get in."
    assert _check(text).blocked
    settings = GuardrailSettings.load()
    settings.allowed_phone_numbers = "+1 (917) 555-0142\n"
    settings.save()
    assert not _check(text).blocked


def test_a_phrase_without_words_is_refused(client_admin):
    response = client_admin.post(
        reverse("admin:guardrails_policyphrase_add"),
        {"kind": "blocked", "category": "abuse", "phrase": "!!! ...", "active": "on"},
    )
    assert response.status_code == 200
    assert "at least one word" in response.content.decode()
    assert not PolicyPhrase.objects.exists()


def test_built_in_rules_are_documented_read_only_and_cannot_be_deleted(client_admin):
    response = client_admin.get(reverse("admin:guardrails_builtinrule_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    for rule_id in ("fair_housing.exclusion", "pii.ssn", "payment.untraceable_channel", "injection_leak.template_placeholder"):
        assert rule_id in page
    assert "delete_selected" not in page
    rule = BuiltinRule.objects.get(rule_id="pii.ssn")
    assert client_admin.get(reverse("admin:guardrails_builtinrule_delete", args=[rule.pk])).status_code == 403
    assert client_admin.get(reverse("admin:guardrails_builtinrule_add")).status_code == 403
    response = client_admin.post(
        reverse("admin:guardrails_builtinrule_changelist"),
        {"action": "delete_selected", "_selected_action": [rule.pk], "post": "yes"},
    )
    assert BuiltinRule.objects.filter(pk=rule.pk).exists()
    # Only the notes are editable.
    original_message = rule.message
    client_admin.post(
        reverse("admin:guardrails_builtinrule_change", args=[rule.pk]),
        {"notes": "Reviewed by counsel.", "message": "changed", "rule_id": "x"},
    )
    rule.refresh_from_db()
    assert (rule.notes, rule.message, rule.rule_id) == ("Reviewed by counsel.", original_message, "pii.ssn")


def test_the_settings_row_cannot_be_deleted_or_duplicated(client_admin):
    settings = GuardrailSettings.load()
    assert client_admin.get(reverse("admin:guardrails_guardrailsettings_delete", args=[settings.pk])).status_code == 403
    assert client_admin.get(reverse("admin:guardrails_guardrailsettings_add")).status_code == 403


def test_agents_cannot_open_the_guardrail_admin(client_agent_a):
    response = client_agent_a.get(reverse("admin:guardrails_policyphrase_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
