"""Reason codes and vocabularies: one code per rule, every escalating flag has its code, the order is total."""

import pytest

from conversations.triage import reasons as rc
from conversations.triage import types as t
from guardrails.inbound import ALL_FLAGS, ESCALATING_FLAGS, OPT_OUT

pytestmark = pytest.mark.unit


def _codes():
    return {value for name, value in vars(rc).items() if name.isupper() and isinstance(value, str)}


def test_every_reason_code_has_a_place_in_the_eligibility_order_once():
    assert len(rc.ELIGIBILITY_ORDER) == len(set(rc.ELIGIBILITY_ORDER))
    assert set(rc.ELIGIBILITY_ORDER) == _codes()


def test_every_escalating_flag_has_a_risk_reason_and_a_priority():
    assert set(rc.RISK_FLAG_REASONS) == ESCALATING_FLAGS
    assert set(rc.RISK_FLAG_PRIORITY) == ESCALATING_FLAGS
    assert OPT_OUT in ALL_FLAGS and OPT_OUT not in rc.RISK_FLAG_REASONS


def test_the_database_rules_come_before_the_classifier_and_the_send_mode_last():
    order = rc.ELIGIBILITY_ORDER.index
    assert order(rc.ACCOUNT_INACTIVE) < order(rc.OPTED_OUT) < order(rc.RISK_LEGAL)
    assert order(rc.RISK_LEGAL) < order(rc.LOW_CONFIDENCE) < order(rc.PRICE_NEGOTIATION)
    assert order(rc.NO_SLOT_CANDIDATES) < order(rc.NO_TEMPLATE) < order(rc.REPLY_BLOCKED_BY_GUARDRAILS)
    assert order(rc.REPLY_BLOCKED_BY_GUARDRAILS) < order(rc.AUTO_SEND) < order(rc.DRAFT_ONLY)


def test_human_reasons_are_exactly_the_escalations():
    assert rc.HUMAN_REASONS >= set(rc.RISK_FLAG_REASONS.values())
    assert rc.OPT_OUT_REQUEST not in rc.HUMAN_REASONS
    assert rc.AUTO_SEND not in rc.HUMAN_REASONS and rc.ELIGIBLE not in rc.HUMAN_REASONS


def test_vocabularies_match_the_eval_readme():
    assert set(t.INTENTS) == {
        "tour_request",
        "availability_question",
        "pricing_question",
        "application_question",
        "reschedule",
        "confirm_slot",
        "not_interested",
        "unsubscribe",
        "other",
    }
    assert set(t.OUTCOMES) == {
        "not_interested",
        "wants_reschedule",
        "no_reply",
        "showing_confirmed",
        "general_question",
        "human_required",
        "no_show",
        "completed",
    }
    assert t.RISK_LEVELS == ("low", "medium", "high", "critical")
    assert {t.INTENT_GROUPS[i] for i in (t.TOUR_REQUEST, t.AVAILABILITY_QUESTION)} == {"showing_interest"}
