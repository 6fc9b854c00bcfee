import pytest

from guardrails.engine import PhraseRule, Policy, check_outbound

pytestmark = pytest.mark.unit

# Each touches a rule's topic and must still pass: over-blocking honest facts is a defect too.
HONEST_NEAR_MISSES = [
    "Families welcome!",
    "Families with kids are always welcome here.",
    "We accept vouchers.",
    "We welcome Section 8 and all lawful sources of income.",
    "Assistance animals accommodated as required by law.",
    "Service and support animals are welcome, with no pet fee.",
    "No elevator, 4th-floor walk-up.",
    "Walking distance to two parks.",
    "The master bedroom has an en-suite bath.",
    "Please don't send money before signing at our office.",
    "We never ask for wire transfers, gift cards or crypto.",
    "We don't take Zelle or Venmo; payments go through the resident portal.",
    "We can't guarantee approval, but the application takes ten minutes.",
    "Approval isn't guaranteed; everyone goes through the same screening.",
    "No, kids are fine here.",
    "No pets except service animals.",
    "Not a stupid question at all!",
    "There's a kids' room and a family room downstairs.",
    "Great Mexican and Chinese restaurants nearby.",
    "The building is not wheelchair accessible.",
    "You must be 18 or older to sign the lease.",
    "Bring a photo ID such as a passport or driver's license.",
    "Only two units left at this price.",
    "We are an equal housing opportunity provider and do not discriminate.",
    "Regardless of race, religion or family status, every applicant is screened the same way.",
    "Don't worry, the deposit is paid through the portal after signing.",
    "A couple of people asked about parking.",
    "Please ignore any messages asking you to wire money; they are not from us.",
    "I'm an AI assistant for Maple Court; a human agent will confirm your booking.",
    "Call our main line at 555-0100 if you get lost.",
    "The complex is 20 years old but was renovated in 2022.",
    "We do not discriminate based on race, religion, disability or familial status.",
    "The studio is best suited for one person because of its size.",
]


@pytest.mark.parametrize("text", HONEST_NEAR_MISSES)
def test_it_lets_honest_phrasings_through(text):
    verdict = check_outbound(text)
    assert not verdict.blocked, verdict.reasons


@pytest.mark.parametrize(
    "text",
    [
        "We don't accept vouchers.",
        "Families are not welcome.",
        "No kids are welcome here.",
        "Everyone is welcome except families with kids.",
        "We accept all lawful sources of income except Section 8.",
        "Regardless of race, we prefer white tenants.",
        "We follow fair housing laws, but no kids.",
    ],
)
def test_the_allow_list_does_not_rescue_blocked_content_next_to_an_honest_phrase(text):
    verdict = check_outbound(text)
    assert verdict.blocked and "fair_housing" in verdict.categories


def test_an_admin_allowed_phrase_clears_built_in_findings_inside_it():
    text = "Ideal for seniors: step-free entry and grab bars."
    assert check_outbound(text).blocked
    policy = Policy.build(phrases=[PhraseRule(id=1, kind="allowed", category="fair_housing", phrase="Ideal for seniors")])
    assert not check_outbound(text, policy=policy).blocked


def test_an_admin_allowed_phrase_does_not_clear_a_finding_that_extends_beyond_it():
    policy = Policy.build(phrases=[PhraseRule(id=1, kind="allowed", category="fair_housing", phrase="accept vouchers")])
    assert check_outbound("We don't accept vouchers.", policy=policy).blocked


def test_an_admin_blocked_phrase_blocks_with_its_category_and_message():
    phrase = PhraseRule(id=7, kind="blocked", category="promise", phrase="price lock", message="Price locks are not offered.")
    policy = Policy.build(phrases=[phrase])
    verdict = check_outbound("We can do P R I C E  L O C K today.", policy=policy)
    assert verdict.blocked
    reason = verdict.reasons[0]
    assert (reason.category, reason.rule_id, reason.message) == ("promise", "policy.phrase.7", "Price locks are not offered.")
    assert not check_outbound("The price is locked for 12 months.", policy=policy).blocked
