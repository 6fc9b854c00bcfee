"""Probe round h (heldout_probe_h.jsonl): 170 lines written from the labeling policy and the dev set
alone. Picks within a day ("the later one", "the earlier of the two Thursday ones", "the first
Saturday"), corrections ("actually no, make it Saturday"), the lead's circumstances beside a pick ("I
fly in Sunday, so Monday", "off shift by 5"), dotted and "18h30" times, picks mixed with routine or
risky questions, very short replies to one and to three offered slots, pets on a pet-friendly
listing, costs asked indirectly ("is parking extra?"), polite escalations (an organisation signing
the lease, "are the flatmates all English?", "your last tenant scammed me"). Seven time zones across
both DST changes. First run: escalation recall 93.8%, routine-auto 89.8%, intent group 90.0%, outcome
85.7%, slot 81.5%. Still missed, on purpose: h081 ("tomorrow works" with no reference date), h082
("hello?" reads as confusion) and h083 (a bare "nah" with nothing offered)."""

from pathlib import Path

import pytest

from .heldout_checks import HeldoutSetChecks

pytestmark = pytest.mark.unit


class TestProbeH(HeldoutSetChecks):
    path = Path(__file__).parent / "data" / "heldout_probe_h.jsonl"
