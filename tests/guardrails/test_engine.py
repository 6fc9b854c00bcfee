import dataclasses
import json
from pathlib import Path

import pytest

from guardrails.engine import DEFAULT_POLICY, Policy, Reason, Verdict, check_outbound, mask_pii
from guardrails.rules import ALL_RULES, CATEGORIES

pytestmark = pytest.mark.unit

BLOCKED = {
    "fair_housing": [
        "Perfect for a young professional couple.",
        "Sorry, the owner won't rent to anyone on Section 8.",
        "No children under 12, the balcony is high.",
        "We'd prefer a Christian household.",
        "The area is mostly white families.",
        "Adults only, it's a quiet building.",
        "Men only please.",
        "Emotional support animals are not allowed.",
        "You'd be more comfortable in another neighborhood.",
        "Tenants must be US citizens.",
        "Do you plan to have children?",
        "Not suitable for people in wheelchairs.",
    ],
    "pii": [
        "The super's cell is 917-555-0123, just call him.",
        "SSN on file: 123-45-6789.",
        "Use card 4111-1111-1111-1111 for the fee.",
        "Her personal email is kim.tran@gmail.com.",
        "Routing 021000021, account 12345678.",
        "The tenant lives at 12 Oak Ave, so be quiet.",
    ],
    "payment": [
        "Send the deposit via Western Union.",
        "You can Zelle me the first month.",
        "Pay the fee before the showing to lock it in.",
        "I'm overseas for work, I'll mail you the keys.",
        "Gift cards are fine for the holding fee.",
    ],
    "abuse": [
        "Are you stupid? I already told you the price.",
        "What the hell is wrong with you.",
        "Stop wasting my time.",
        "You'll regret this.",
    ],
    "promise": [
        "Approval is guaranteed.",
        "We can skip the credit check for you.",
        "I'll waive the deposit.",
        "You get one month free.",
    ],
    "injection_leak": [
        "Hi {{ first_name }}, thanks!",
        "Hello [Lead Name], the room is open.",
        "As an AI language model, I cannot view the unit.",
        "My instructions say not to discuss the discount.",
    ],
}

HONEST = [
    "The room is available from Feb 1; Saturday at 10 or Sunday at 4?",
    "Families are welcome and the building has a playground.",
    "We accept housing vouchers and all lawful sources of income.",
    "Assistance animals are accommodated as required by law.",
    "No elevator, it's a 4th-floor walk-up.",
    "It's within walking distance of the train.",
    "The master bedroom fits a king bed.",
    "Please don't send money before signing at our office.",
    "Call our leasing office at (212) 555-0100.",
    "The application is reviewed against the same written criteria for everyone.",
    "The white cabinets were replaced last year.",
    "Rent is $1,425 and the deposit is one month.",
]


@pytest.mark.parametrize(
    ("category", "text"), [(c, t) for c, texts in BLOCKED.items() for t in texts]
)
def test_it_blocks_each_category_with_the_right_reason(category, text):
    verdict = check_outbound(text)
    assert verdict.blocked
    assert category in verdict.categories, verdict.reasons


@pytest.mark.parametrize("text", HONEST)
def test_it_passes_honest_replies(text):
    verdict = check_outbound(text)
    assert not verdict.blocked, verdict.reasons


def test_it_reports_rule_id_original_span_and_an_actionable_message():
    text = "Lovely room. Best for a quiet single person, no kids."
    verdict = check_outbound(text)
    assert isinstance(verdict, Verdict) and verdict.blocked
    reason = next(r for r in verdict.reasons if r.rule_id == "fair_housing.exclusion")
    assert isinstance(reason, Reason)
    start, end = reason.span
    assert text[start:end] == reason.excerpt == "no kids"
    assert "children" in reason.message and "Describe the unit" in reason.message


def test_verdicts_and_reasons_are_immutable():
    verdict = check_outbound("no kids")
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.blocked = False
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.reasons[0].category = "x"


def test_it_passes_empty_text():
    assert check_outbound("") == Verdict(blocked=False, reasons=())
    assert not check_outbound("   \n").blocked


def test_every_rule_has_a_known_category_and_a_message():
    for rule in ALL_RULES:
        assert rule.category in CATEGORIES
        assert rule.id.startswith(rule.category + ".")
        assert len(rule.message) > 30


def test_source_of_income_rules_follow_the_jurisdiction_switch():
    text = "We don't accept Section 8 vouchers."
    assert check_outbound(text, policy=DEFAULT_POLICY).blocked
    off = Policy.build(source_of_income=False)
    assert not check_outbound(text, policy=off).blocked
    # Other classes are unaffected by the switch.
    assert check_outbound("No kids allowed.", policy=off).blocked


def test_the_teams_own_contact_details_may_be_shared_when_listed():
    text = "Text Jamie at 917-555-0142 to get in."
    assert check_outbound(text).blocked
    assert not check_outbound(text, {"allowed_phones": ["(917) 555-0142"]}).blocked


def test_a_business_email_is_fine_but_a_personal_one_is_not():
    assert not check_outbound("Write to leasing@brightstreet.com for the lease.").blocked
    assert check_outbound("Write to jo.smith1990@hotmail.com.").categories == ("pii",)


def test_an_address_spelled_out_to_dodge_filters_is_judged_like_a_plain_one():
    assert check_outbound("Her email is sara.lee at hotmail dot com.").categories == ("pii",)
    landlord = "Email the landlord at jo at brightstreet dot com."
    assert check_outbound(landlord).categories == ("pii",)
    assert not check_outbound(landlord, {"allowed_emails": ["jo@brightstreet.com"]}).blocked
    assert not check_outbound("Email us at leasing at brightstreet dot com.").blocked


def test_a_persons_address_is_blocked_but_the_units_own_address_is_not():
    for text in ("The old tenant's forwarding address is 55 Oak Ave, Newark NJ.", "Her address: 12 Pine Rd.",
                 "His house is at 44 Oak Ave."):
        assert check_outbound(text).categories == ("pii",), text
    for text in ("The building's address is 240 W 12th St.", "The address is 412 Maple Ave.",
                 "The apartment is on the 3rd floor."):
        assert not check_outbound(text).blocked, text


def test_it_masks_identifiers():
    text = ("SSN 123-45-6789, card 4111 1111 1111 1111, acct 000123456789, routing 021000021, "
            "mail a.b@gmail.com, call (646) 555-0199, rent $1,425 on 2027-02-01.")
    masked = mask_pii(text)
    for secret in ("123-45-6789", "4111 1111 1111 1111", "000123456789", "021000021", "a.b@gmail.com", "555-0199"):
        assert secret not in masked
    for label in ("[SSN]", "[CARD]", "[ACCOUNT]", "[EMAIL]", "[PHONE]"):
        assert label in masked
    assert "$1,425" in masked and "2027-02-01" in masked


def test_a_card_number_followed_by_more_digits_is_still_found_and_masked():
    for text in ("Card 4111 1111 1111 1111 12/28 cvv 123", "5500 0000 0000 0004 2 cards"):
        assert check_outbound(text).categories == ("pii",)
        assert "[CARD]" in mask_pii(text)
    assert mask_pii("Card 4111 1111 1111 1111 12/28") == "Card [CARD] 12/28"
    assert mask_pii("write bob@gmail.com2") == "write [EMAIL]2"


def test_mask_pii_leaves_non_luhn_digits_and_plain_text_alone():
    assert mask_pii("Order 4111 1111 1111 1112 and unit 4B.") == "Order 4111 1111 1111 1112 and unit 4B."
    assert mask_pii("") == ""


def test_mask_pii_keeps_the_rest_of_unicode_text_intact():
    assert mask_pii("Ｃａｌｌ 646-555-0199 ✓") == "Ｃａｌｌ [PHONE] ✓"


def test_it_generalizes_to_the_private_held_out_set():
    path = Path(__file__).parent / "data" / "heldout.jsonl"
    failures = []
    for line in path.read_text().splitlines():
        item = json.loads(line)
        verdict = check_outbound(item["text"])
        expect = item["expect"]
        ok = verdict.blocked == expect["blocked"] and (not expect["blocked"] or expect["category"] in verdict.categories)
        if not ok:
            failures.append((item["id"], item["text"], verdict.categories))
    assert failures == []


@pytest.mark.parametrize(
    "text,masked",
    [
        ("My social is 9 8 7-6 5-4 3 2 1 ok", "My social is [SSN] ok"),
        ("call 6 4 6 - 5 5 5 - 0 1 3 4 tonight", "call [PHONE] tonight"),
        ("cell: nine one seven, five five five, zero one two two.", "cell: [PHONE]."),
        ("write jen dot park at yahoo dot com", "write [EMAIL]"),
        ("or mark [at] gmail [dot] com", "or [EMAIL]"),
        ("jen at yahoo.com", "[EMAIL]"),
        ("my mobile 07700 900123 thanks", "my mobile [PHONE] thanks"),
        ("+44 (0)7700 900123", "[PHONE]"),
        ("a/c no. 12345678 sort code 12-34-56", "a/c no. [ACCOUNT] sort code [ACCOUNT]"),
        ("passport number X1234567 and my dl: D123-4567-8901", "passport number [ID] and my dl: [ID]"),
        ("NI number QQ 12 34 56 C please", "NI number [ID] please"),
        ("DOB 01/02/1990", "DOB [DOB]"),
        ("date of birth: 5th of June 1990", "date of birth: [DOB]"),
        ("born on March 3, 1988.", "born on [DOB]."),
    ],
)
def test_mask_pii_masks_personal_data_however_it_is_spaced_spelled_or_cued(text, masked):
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "I saw it at zillow.com yesterday",
        "listing id 12345 is the one",
        "I can come Dec 5 at 2pm, budget $1,425",
        "rent is 1200 per month, 0.5 miles, available 2027-02-01",
        "order 0123456789012 shipped",
    ],
)
def test_mask_pii_leaves_listing_facts_times_and_websites_alone(text):
    assert mask_pii(text) == text
