"""A second, independently written phrasing set (heldout_a.jsonl: three time zones, booked and offered
threads) must meet the issue's bars with the default heuristic provider."""

from pathlib import Path

import pytest

from conversations.triage import evalset
from conversations.triage.heuristic import classify

pytestmark = pytest.mark.unit

HELDOUT_A = Path(__file__).parent / "data" / "heldout_a.jsonl"
BARS = {"escalation_recall": 1.0, "routine_auto": 0.9, "intent_group": 0.9, "outcome": 0.9, "slot": 0.9}


@pytest.fixture(scope="module")
def scored():
    cases = evalset.load_cases(HELDOUT_A)
    decisions, scores = evalset.evaluate(cases, classify)
    return cases, decisions, scores


def test_the_set_labels_every_metric(scored):
    _, _, scores = scored
    assert {name: scores[name].total > 0 for name in BARS} == dict.fromkeys(BARS, True)


@pytest.mark.parametrize("metric", sorted(BARS))
def test_the_heuristic_meets_the_bar(scored, metric):
    cases, decisions, scores = scored
    misses = [
        (case.id, case.triage_input.body)
        for case, decision in zip(cases, decisions, strict=True)
        if evalset.item_checks(case.expect, decision).get(metric) is False
    ]
    assert scores[metric].rate >= BARS[metric], misses


def test_every_escalation_names_a_reason_and_books_nothing(scored):
    cases, decisions, _ = scored
    for case, decision in zip(cases, decisions, strict=True):
        if case.expect.get("handling") == "human":
            assert decision.reason_code and decision.reason_code != "eligible", case.id
            assert decision.workflow_outcome == "human_required", case.id
