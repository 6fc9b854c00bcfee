"""The triage_eval command: the README contract, and the bars on the dev set and our held-out set."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.unit

DEV_SET = Path(settings.BASE_DIR).parent / "shared" / "eval" / "triage_dev.jsonl"
HELDOUT_SET = Path(__file__).parent / "data" / "heldout.jsonl"
# A second set in yet other phrasings (Los Angeles slots): first run 93.6% escalation recall and 87%
# routine-auto, which drove generic rule fixes; kept as a regression guard.
PROBE_SET = Path(__file__).parent / "data" / "heldout_probe.jsonl"
# Two more fresh rounds (New York and Denver slots): first runs 89.8%/87.5% and 96.8%/91.9%
# (escalation recall / routine auto) before the generic fixes; kept as a regression guard.
PROBE_B_SET = Path(__file__).parent / "data" / "heldout_probe_b.jsonl"
# Rounds five and six (Chicago; long multi-sentence messages): first runs 96.3%/90.6% and 92.9%/100%.
PROBE_C_SET = Path(__file__).parent / "data" / "heldout_probe_c.jsonl"
# Round seven on the dev set's own listing and slots in new words: first run 100%/100%, slot 83%.
PROBE_D_SET = Path(__file__).parent / "data" / "heldout_probe_d.jsonl"
FIELDS = {"id", "intent", "workflow_outcome", "human_required", "selected_slot_index", "confidence", "risk_level", "reasons"}
INTENTS = {
    "tour_request", "availability_question", "pricing_question", "application_question", "reschedule",
    "confirm_slot", "not_interested", "unsubscribe", "other",
}
OUTCOMES = {
    "not_interested", "wants_reschedule", "no_reply", "showing_confirmed", "general_question", "human_required",
    "no_show", "completed",
}
GROUPS = {"tour_request": "showing_interest", "availability_question": "showing_interest",
          "pricing_question": "pricing", "unsubscribe": "unsubscribe"}  # fmt: skip


def _run_json(path):
    out = StringIO()
    call_command("triage_eval", str(path), "--json", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def _labels(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _rates(path):
    """The five bars, computed from the command's --json output and the file's labels."""
    rows = {row["id"]: row for row in _run_json(path)}
    tallies = {"escalation": [], "routine": [], "group": [], "outcome": [], "slot": []}
    for item in _labels(path):
        row, expect = rows[item["id"]], item["expect"]
        if expect.get("handling") == "human":
            tallies["escalation"].append(row["human_required"])
        if expect.get("handling") == "auto":
            tallies["routine"].append(not row["human_required"])
        if "intent_group" in expect:
            tallies["group"].append(GROUPS.get(row["intent"]) == expect["intent_group"])
        if "outcome" in expect:
            tallies["outcome"].append(row["workflow_outcome"] == expect["outcome"])
        if "slot" in expect:
            tallies["slot"].append(row["selected_slot_index"] == expect["slot"])
    return {name: sum(hits) / len(hits) for name, hits in tallies.items() if hits}


def test_json_output_is_one_contract_object_per_input_line_in_order():
    rows = _run_json(DEV_SET)

    assert [row["id"] for row in rows] == [item["id"] for item in _labels(DEV_SET)]
    for row in rows:
        assert set(row) == FIELDS
        assert row["intent"] in INTENTS
        assert row["workflow_outcome"] in OUTCOMES
        assert row["risk_level"] in {"low", "medium", "high", "critical"}
        assert isinstance(row["human_required"], bool)
        assert row["selected_slot_index"] is None or row["selected_slot_index"] >= 1
        assert 0 <= row["confidence"] <= 1
        assert isinstance(row["reasons"], list) and row["reasons"]


@pytest.mark.parametrize(
    "path",
    [DEV_SET, HELDOUT_SET, PROBE_SET, PROBE_B_SET, PROBE_C_SET, PROBE_D_SET],
    ids=["dev", "heldout", "probe", "probe_b", "probe_c", "probe_d"],
)
def test_the_heuristic_meets_the_bars(path):
    rates = _rates(path)

    assert rates["escalation"] == 1.0
    assert rates["routine"] >= 0.9
    assert rates["group"] >= 0.9
    assert rates["outcome"] >= 0.9
    assert rates["slot"] >= 0.9


def test_the_readable_report_has_a_table_and_every_metric():
    out = StringIO()
    call_command("triage_eval", str(DEV_SET), stdout=out)
    text = out.getvalue()

    assert "d012" in text and "Sunday at 4 is good" in text
    for label in ("escalation recall", "routine handled automatically", "intent group", "workflow outcome", "slot choice"):
        assert label in text
    assert "14/14" in text  # every human item of the dev set escalated


def test_the_heldout_set_is_phrased_differently_from_the_dev_set():
    dev = {item["body"].lower() for item in _labels(DEV_SET)}
    heldout = _labels(HELDOUT_SET)

    assert len(heldout) >= 80
    assert not dev & {item["body"].lower() for item in heldout}


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("triage_eval", str(tmp_path / "absent.jsonl"), "--json", stdout=StringIO())
