"""Probe round g (heldout_probe_g.jsonl): 180 lines written by someone who had read only the labeling
policy and the dev set, not the classifier or earlier probe sets. Heavy typos and texting shorthand,
long rambling introductions, Spanish, French, Portuguese and Chinese (interest, picks, other times,
declines, opt-outs), keycap and skin-toned emoji, "whichever is earliest", 24-hour and "11h" times,
softened and euphemistic escalations (a caseworker paying part of the rent, "is the area ok for a woman
walking home late?", "can you match that?"), false alarms ("Stop! This is exactly what I've been
looking for", "I unsubscribed from my StreetEasy alerts", "negotiate fridge shelves"). Six time zones.
First run: escalation recall 94.3%, routine-auto 77.3%, intent group 77.4%, outcome 74.7%, slot 69.7%.
Still missed, on purpose: g019 (a pick named by converting the slot to the lead's own time zone) and
g032 (a child mentioned beside a pick, which the rules hand to a person)."""

from pathlib import Path

import pytest

from .heldout_checks import HeldoutSetChecks

pytestmark = pytest.mark.unit


class TestProbeG(HeldoutSetChecks):
    path = Path(__file__).parent / "data" / "heldout_probe_g.jsonl"
