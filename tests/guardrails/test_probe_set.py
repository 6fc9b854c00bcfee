"""A second, independent set of phrasings (data/probe_b.jsonl) that the rules were not written from.

It guards generalization: honest unit facts must never be blocked, and the catch rate (right
category) may not fall below its floor. Raise the floor when rules improve; never lower it.
"""

import json
from pathlib import Path

import pytest

from guardrails.engine import check_outbound

pytestmark = [pytest.mark.unit]

PROBES = Path(__file__).parent / "data" / "probe_b.jsonl"
CATCH_FLOOR = 0.97


def _items():
    return [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_probe_set_covers_every_category_and_honest_lines():
    items = _items()
    categories = {i["expect"].get("category") for i in items if i["expect"]["blocked"]}
    assert categories == {"fair_housing", "pii", "payment", "abuse", "promise", "injection_leak"}
    assert sum(1 for i in items if not i["expect"]["blocked"]) >= 90


def test_it_blocks_no_honest_probe_line():
    over_blocked = []
    for item in _items():
        if not item["expect"]["blocked"]:
            verdict = check_outbound(item["text"])
            if verdict.blocked:
                over_blocked.append((item["id"], item["text"], verdict.rule_ids))
    assert over_blocked == []


def test_it_catches_probe_lines_with_the_right_category_at_or_above_the_floor():
    should_block = [i for i in _items() if i["expect"]["blocked"]]
    caught = [i for i in should_block if i["expect"]["category"] in check_outbound(i["text"]).categories]
    assert len(caught) / len(should_block) >= CATCH_FLOOR, sorted(
        {i["id"] for i in should_block} - {i["id"] for i in caught}
    )
