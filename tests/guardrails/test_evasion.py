import os
import subprocess
import sys
import time
from pathlib import Path

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
    # A word stacked one per line, a dotted abbreviation, a word split around two letters.
    ("fair_housing", "Quiet building.\nNo\nSection\n8."),
    ("fair_housing", "Adults\nonly\nplease."),
    ("fair_housing", "Applicants must be U.S. citizens."),
    ("fair_housing", "N o kids, sorry."),
    ("abuse", "Sh u t  up and pick a time."),
    ("abuse", "S h u t up already."),
    # Starred-out words, digits typed one by one, an address spelled out.
    ("abuse", "Are you st*pid?"),
    ("abuse", "That's a d*mb question."),
    ("fair_housing", "No k*ds, sorry."),
    ("pii", "Your social is 9 8 7-6 5-4 3 2 1, right?"),
    ("pii", "SSN: 1 2 3 - 4 5 - 6 7 8 9"),
    ("pii", "Text the neighbor at 6 4 6 - 5 5 5 - 0 1 3 4."),
    ("pii", "Email the current tenant at mark [at] gmail [dot] com."),
    ("pii", "Jen (jen dot park at yahoo dot com) can tell you more."),
    ("injection_leak", "I'm sorry, but as an A.I. I can't help with that."),
]

# Lines built like the evasions above that must still pass.
HONEST_LOOKALIKES = [
    "Kids are welcome.\nNo smoking.\nNo pets.",
    "No\nKids are welcome here.",
    "Rent: $1,500\nKids: welcome\nPets: no",
    "Hi Sam\nThe room is free from March.",
    "The U.S. Post Office is two blocks away.",
    "Available at 10 a.m. Monday or 2 p.m. Tuesday.",
    "Units A and B are available; take the A train.",
    "The unit has a 5* rating on the review site.",
    "Call us at 2 1 2 5 5 5 0 1 9 8 anytime.",
    "Email us at leasing at maplerealty dot com.",
    "Showings at 2, 3, 4 or 5 PM.",
]


@pytest.mark.parametrize(("category", "text"), EVASIONS)
def test_it_sees_through_evasion(category, text):
    verdict = check_outbound(text)
    assert verdict.blocked and category in verdict.categories, verdict.reasons


def test_it_lets_honest_lines_shaped_like_evasions_through():
    rule_ids = {text: check_outbound(text).rule_ids for text in HONEST_LOOKALIKES}
    assert {text: ids for text, ids in rule_ids.items() if ids} == {}


def test_it_splits_a_dotted_abbreviation_the_same_way_under_every_hash_seed():
    # "A.I. I": three single letters with a dot and a space between them; which gap joins letters
    # used to depend on set order, so the result changed from one interpreter run to the next.
    code = "from guardrails.normalize import normalize; print(normalize('as an A.I. I cannot'))"
    root = Path(__file__).resolve().parents[2]
    outputs = {
        subprocess.run([sys.executable, "-c", code], cwd=root, env={**os.environ, "PYTHONHASHSEED": str(seed)},
                       capture_output=True, text=True, check=True).stdout.strip()
        for seed in range(6)
    }
    assert outputs == {"as an ai i cannot"}


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
        "sh u t " * 14_000,
        "No\n" * 50_000,
        "st*pid " * 14_000,
        "u.s. " * 20_000,
        "jen dot park at yahoo dot com " * 3_000,
    ],
)
def test_it_stays_bounded_on_pathological_100_kb_inputs(text):
    started = time.perf_counter()
    check_outbound(text)
    assert time.perf_counter() - started < 3.0
