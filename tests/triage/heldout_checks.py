"""What every held-out phrasing set must show with the default heuristic provider: each labeled metric at
its bar, and every human line handed over with a reason and no booking. A probe-set test module
subclasses `HeldoutSetChecks` with its file as `path`."""

import pytest

from conversations.triage import evalset
from conversations.triage.heuristic import classify

BARS = {"escalation_recall": 1.0, "routine_auto": 0.9, "intent_group": 0.9, "outcome": 0.9, "slot": 0.9}


def classified(path):
    return [(case, classify(case.triage_input)) for case in evalset.load_cases(path)]


def rates_and_misses(results):
    """(rate per metric or None when unlabeled, missed ids per metric)."""
    checked = [(case.id, evalset.item_checks(case.expect, decision)) for case, decision in results]
    rates, misses = {}, {}
    for metric in BARS:
        outcomes = [checks[metric] for _, checks in checked if metric in checks]
        rates[metric] = sum(outcomes) / len(outcomes) if outcomes else None
        misses[metric] = [case_id for case_id, checks in checked if checks.get(metric) is False]
    return rates, misses


def meets_every_bar(rates):
    return all(rates[metric] is not None and rates[metric] >= bar for metric, bar in BARS.items())


def human_lines_not_handed_over(results):
    """Ids of human-labeled lines decided without a human, without a reason, or with a booking."""
    return [
        case.id
        for case, decision in results
        if case.expect.get("handling") == evalset.HANDLING_HUMAN
        and not (decision.human_required and decision.reason_code not in ("", "eligible") and decision.selected_slot_index is None)
    ]


class HeldoutSetChecks:
    path = None  # the JSONL set, set by each subclass

    @pytest.fixture(scope="class")
    @classmethod
    def results(cls):
        return classified(cls.path)

    def test_it_meets_every_bar_on_every_labeled_metric(self, results):
        rates, misses = rates_and_misses(results)

        assert meets_every_bar(rates), (rates, misses)

    def test_it_hands_every_human_line_over_with_a_reason_and_no_booking(self, results):
        assert human_lines_not_handed_over(results) == []
