"""Wording classes beyond the development set: each class has blocked phrasings and honest neighbours.

The phrasings here are written per class (refusal by discomfort, language as a national-origin proxy,
immigration paperwork, superlative insults, pre-approval ...), so a rule that only learned one
sentence fails the others.
"""

import pytest

from guardrails.engine import check_outbound

pytestmark = [pytest.mark.unit]

BLOCKED = {
    "sexual_orientation_gender_identity": [
        "We're not comfortable renting to a lesbian couple.",
        "We'd rather not have a trans tenant.",
        "Not comfortable renting to gay men.",
        "We're not comfortable with same-sex couples.",
        "The owner isn't comfortable with a gay couple.",
        "We're uncomfortable renting to transgender people.",
    ],
    "disability": [
        "Not recommended for people with disabilities.",
        "It's not a good fit for someone in a wheelchair.",
        "We'd rather not rent to someone with a disability.",
        "This place isn't recommended for wheelchair users.",
    ],
    "national_origin_language": [
        "We prefer not to rent to people who speak limited English.",
        "Tenants must speak English fluently.",
        "You must be fluent in English.",
        "We'd rather not rent to people who don't speak English.",
        "We don't rent to people who can't speak English.",
        "Not a good fit for tenants with heavy accents.",
        "People with limited English need not apply.",
    ],
    "citizenship_immigration": [
        "You'll need to show your visa or green card.",
        "Only citizens.",
        "We rent only to citizens.",
        "Applicants must be a US citizen.",
        "Please bring your passport to prove citizenship.",
    ],
    "familial_status": [
        "Families with small kids tend to be loud so we don't show it to them.",
        "It's better suited to a couple without children.",
        "Not recommended for families with kids.",
        "We'd prefer not to have kids in the unit.",
    ],
    "condition_then_turn_away": [
        "If you have kids, this apartment isn't a good fit.",
        "If you use a wheelchair, the unit won't work for you.",
        "This place won't work if you're pregnant.",
        "If you're expecting, this place probably won't work for you.",
    ],
    "label_then_refusal": [
        "Section 8: no.",
        "Kids: not allowed.",
        "Vouchers: not accepted at this property.",
    ],
    "euphemism_and_coded_words": [
        "Looking for a tenant without little ones.",
        "Able-bodied applicants preferred.",
        "Safe area, no inner city types.",
        "Quiet block, none of the welfare crowd.",
        "Great for grad students, not so much for kids.",
        "Ideal for a student or a young professional.",
    ],
    "age_marital_religion_race": [
        "No seniors.",
        "Ideal for young professionals.",
        "Married couples only.",
        "Christian household preferred.",
        "It's a mostly white neighbourhood.",
    ],
}
ABUSE = [
    "That's the dumbest question I've heard.",
    "Are you stupid?",
    "What an idiot question.",
    "That is the stupidest thing anyone has asked.",
    "Bye, loser.",
    "Read the ad, moron.",
]
PROMISES = [
    "You're pre-approved, no need to apply.",
    "I guarantee you'll love it and get approved.",
    "Approval is guaranteed.",
    "Your approval is guaranteed.",
    "We can skip the credit check.",
    "First month free.",
    "You'll get the first month free.",
    "No deposit needed for you.",
    "You won't need to pay a deposit.",
    "Consider yourself approved.",
    "You don't even need to apply.",
    "They can't legally evict you, I guarantee it.",
    "You'll never be evicted, I promise.",
    "I promise your deposit comes back in full.",
    "I guarantee your deposit will be fully refunded no matter what.",
]
HONEST = [
    "The unit is wheelchair accessible with a ramp.",
    "We welcome tenants of all backgrounds.",
    "Reasonable accommodations are available on request.",
    "Approval depends on the standard application and credit check.",
    "There is no elevator; it's a 4th-floor walk-up.",
    "Families welcome.",
    "We accept Section 8 and all lawful sources of income.",
    "The building has a quiet-hours policy after 10 PM.",
    "Rent is $1,450; the deposit is one month's rent.",
    "Please don't send money before signing at our office.",
    "English and Spanish spoken at the office.",
    "We can't guarantee approval, but applications are reviewed within 48 hours.",
    "We accept ITIN or any valid ID.",
    "Any valid government ID works; no citizenship requirement.",
    "Staff speak English and Spanish.",
    "We speak English at the office; Spanish speakers welcome.",
    "We can't skip the credit check; it's required for everyone.",
    "The deposit is required for every applicant.",
    "Please show a government-issued photo ID at the showing.",
    "We are not comfortable quoting a price before the owner confirms.",
    "Not recommended for anyone who needs parking; there is none.",
    "That's a good question.",
    "You may apply online; approval isn't guaranteed.",
    "Section 8 tenants are welcome to apply.",
    "Please verify your email to book the showing.",
    "No need to apply before seeing it; come to the showing first.",
    "We accept payment by Visa or Mastercard.",
    "The unit is not recommended for large dogs because of the HOA rules.",
    "We're not comfortable sharing the owner's phone number.",
    "There are no dumb questions.",
    # Next to the condition, label, coded-word, legal and deposit rules.
    "If you have kids, the school is a 5-minute walk.",
    "If you use a wheelchair, let us know and we'll discuss accommodations.",
    "If you have a service animal, we don't charge a pet fee.",
    "If you're expecting, the second bedroom makes a great nursery.",
    "We're expecting the new fridge Tuesday.",
    "Service animals: no fee.",
    "Vouchers: not a problem!",
    "Children: no extra charge.",
    "Families with little ones are welcome.",
    "The building has an urban vibe, right by an urban park.",
    "None of the families here have complained about noise.",
    "None of the units have carpet.",
    "Happy April Fools, the showing is still on!",
    "They can't evict you without a court order.",
    "You can't be evicted for asking for repairs.",
    "You won't be removed from the waitlist.",
    "We promise to return your deposit within 21 days of move-out.",
    "I can't promise your deposit will be refunded in full.",
    "Zelle, Venmo, and Cash App are not accepted; rent goes through the portal.",
    "Zelle isn't accepted; rent is paid through the resident portal after you sign.",
]


def _build_cases():
    return list(_iter_cases())


def _iter_cases():
    for klass, lines in BLOCKED.items():
        for line in lines:
            yield pytest.param(line, "fair_housing", id=f"{klass}:{line[:40]}")
    for line in ABUSE:
        yield pytest.param(line, "abuse", id=f"abuse:{line[:40]}")
    for line in PROMISES:
        yield pytest.param(line, "promise", id=f"promise:{line[:40]}")


@pytest.mark.parametrize(("text", "category"), _build_cases())
def test_it_blocks_the_wording_with_the_right_category(text, category):
    verdict = check_outbound(text)
    assert verdict.blocked
    assert category in verdict.categories


@pytest.mark.parametrize("text", HONEST)
def test_it_lets_the_honest_neighbour_through(text):
    verdict = check_outbound(text)
    assert not verdict.blocked, verdict.rule_ids


def test_a_skipped_application_promise_is_not_confused_with_an_exclusion():
    verdict = check_outbound("Sorry, Section 8 tenants need not apply.")
    assert verdict.categories == ("fair_housing",)
