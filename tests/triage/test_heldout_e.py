"""Probe round e (heldout_probe_e.jsonl): 189 lines written before reading the classifier, six time zones
(Chicago, Los Angeles, Denver, Phoenix with four slots, New York with two, Honolulu), both slot-label
styles, booked and reschedule-requested threads. First run: escalation recall 94.0%, routine-auto 94.5%,
intent group 89.8%, outcome 89.3%, slot 86.7%; fixed by language rules, kept as a regression guard."""

from pathlib import Path

import pytest

from .heldout_checks import HeldoutSetChecks

pytestmark = pytest.mark.unit


class TestProbeE(HeldoutSetChecks):
    path = Path(__file__).parent / "data" / "heldout_probe_e.jsonl"
