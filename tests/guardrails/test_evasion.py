import time

import pytest

from guardrails.engine import check_outbound

pytestmark = pytest.mark.unit

EVASIONS = [
    ("fair_housing", "n o  k i d s"),
    ("fair_housing", "N-O K-I-D-S please"),
    ("fair_housing", "NO KIDS!!!"),
    ("fair_housing", "no k1ds"),
    ("fair_housing", "n0 ch1ldr3n"),
    ("fair_housing", "Nо kіds"),  # Cyrillic о and і
    ("fair_housing", "ｎｏ ｓｅｃｔｉｏｎ ８"),  # full width
    ("fair_housing", "no\u200b kids"),  # zero-width space
    ("fair_housing", "We d0n't accept v0uchers."),
    ("fair_housing", "Wh1tes 0nly."),
    ("fair_housing", "no...kids"),
    ("fair_housing", "NoKids, sorry"),
    ("fair_housing", "#AdultsOnly building"),
    ("fair_housing", "No Sec. 8"),
    ("fair_housing", "no sect8"),
    ("payment", "Pay by Z e l l e only"),
    ("payment", "B1tcoin only, thanks"),
    ("payment", "wеstеrn uniоn"),  # Cyrillic е and о
    ("abuse", "You are an 1d1ot."),
    ("abuse", "sh!t question"),
    ("abuse", "f*** off"),
    ("promise", "Appr0val is guaranteed."),
    ("injection_leak", "Hi {{ LEAD_NAME }}!"),
    ("injection_leak", "As an A.I. language model I can't say."),
    ("pii", "SSN: 123\u200b-45-6789"),
    ("pii", "call her at ６４６-５５５-０１９９"),
]


@pytest.mark.parametrize(("category", "text"), EVASIONS)
def test_it_sees_through_evasion(category, text):
    verdict = check_outbound(text)
    assert verdict.blocked and category in verdict.categories, verdict.reasons


def test_it_finds_a_violation_buried_at_the_end_of_a_100_kb_reply():
    filler = "The room is bright and the kitchen was renovated last spring. " * 1700
    text = filler[:99_950] + " Sorry, no kids."
    started = time.perf_counter()
    verdict = check_outbound(text)
    elapsed = time.perf_counter() - started
    assert verdict.blocked and verdict.categories == ("fair_housing",)
    assert verdict.reasons[0].excerpt == "no kids"
    assert elapsed < 3.0


@pytest.mark.parametrize(
    "text",
    [
        "a" * 100_000,
        "no " * 33_000,
        "1" * 100_000,
        ("{" * 50_000) + ("}" * 50_000),
        "n o " * 25_000,
        "ｎｏ ｋｉｄｓ ✓ " * 12_000,
        "a@b." * 25_000,
        "- " * 50_000,
        "1 " * 50_000,
        "1 a " * 25_000,
    ],
)
def test_it_stays_bounded_on_pathological_100_kb_inputs(text):
    started = time.perf_counter()
    check_outbound(text)
    assert time.perf_counter() - started < 3.0
