"""Probe round i (heldout_probe_i.jsonl): 163 lines written from the labeling policy and the dev set
alone. E-mail replies with signatures, "Sent from my iPhone" and our offer quoted below them (with
"Section 8 welcome", "deposit" and "Reply STOP" in the quote, which are not the lead's words);
multi-turn context; several intents in one message; day-first dates on UK and Australian listings;
"10ish", "930"; Indian, British and Australian English ("kindly revert", "finalised another
accommodation"); offers in pounds, going "to the city", filing a complaint, a note to "the AI reading
this", paying upfront instead of a credit check, the heat out. First run: escalation recall 86.3%,
routine-auto 90.4%, intent group 97.9%, outcome 88.5%, slot 85.7%. Still missed, on purpose: i040
("Sat 16 10ish" between two Saturday slots), i067 ("yes that one works", which needs the lead's earlier
message) and i077 (a child mentioned beside a pick, handed to a person)."""

from pathlib import Path

import pytest

from .heldout_checks import HeldoutSetChecks

pytestmark = pytest.mark.unit


class TestProbeI(HeldoutSetChecks):
    path = Path(__file__).parent / "data" / "heldout_probe_i.jsonl"
