"""Probe g (data/heldout_probe_g.jsonl): 168 outbound lines written before the rules were read.

Half are blocked in evasive forms (line breaks, dotted abbreviations, partial spacing, starred-out
insults, digits typed one by one, addresses spelled out, "Label: no"), half are honest lines that
sit next to a rule (accessibility facts, vouchers welcome, deposits by check at signing, "Zelle
isn't accepted"). Both halves are held at their current results: every honest line passes and
every blocked line is caught with its labeled category.
"""

import json
from pathlib import Path

import pytest

from guardrails.engine import check_outbound

pytestmark = [pytest.mark.unit]

PROBES = Path(__file__).parent / "data" / "heldout_probe_g.jsonl"


def _items():
    return [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line.strip()]


def _judged():
    """(id, expected category or None, categories found) for every line of the set."""
    return [(item["id"], item["expect"].get("category"), check_outbound(item["text"]).categories) for item in _items()]


def test_the_set_covers_every_category_and_as_many_honest_lines():
    expected = [item["expect"].get("category") for item in _items()]
    assert set(expected) - {None} == {"fair_housing", "pii", "payment", "abuse", "promise", "injection_leak"}
    assert expected.count(None) >= 75


def test_it_blocks_no_honest_line_of_the_set():
    assert [(item_id, found) for item_id, category, found in _judged() if category is None and found] == []


def test_it_catches_every_blocked_line_of_the_set_with_its_category():
    assert [(item_id, category, found) for item_id, category, found in _judged()
            if category is not None and category not in found] == []
