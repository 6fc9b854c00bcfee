"""Probe round f (heldout_probe_f.jsonl): 167 lines written before reading the classifier. Very short
texts ("k", "2nd", "sat?"), voice-to-text, formal emails with signatures, phone footers and quoted
offers, Spanglish and non-native English, numbers that are not times ("Unit 4B", "$1,450", "move in
3/1", "I'm 24"), picks by relative words and with conditions, a one-slot offer, indirect escalations of
every kind. Seven time zones, three across a DST change (Denver, London, Los Angeles), Phoenix without
one, both slot-label styles. First run: escalation recall 94.7%, routine-auto 84.7%, intent group
81.8%, outcome 82.5%, slot 82.6%; fixed by language rules, kept as a regression guard."""

from pathlib import Path

import pytest

from .heldout_checks import HeldoutSetChecks

pytestmark = pytest.mark.unit


class TestProbeF(HeldoutSetChecks):
    path = Path(__file__).parent / "data" / "heldout_probe_f.jsonl"

    def test_it_reads_a_stop_in_our_quoted_offer_as_ours_not_the_leads(self, results):
        quoted = [decision for case, decision in results if "or STOP to opt out" in case.triage_input.body]

        assert [(d.workflow_outcome, d.selected_slot_index) for d in quoted] == [("showing_confirmed", 1)]
