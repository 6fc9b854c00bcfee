"""Labeled triage sets (../shared/eval/README.md format): reading them, running a provider, scoring.

Used by the `triage_eval` command, its tests and the offline benchmark. No database.
"""

import datetime as dt
import json
from dataclasses import dataclass

from . import types as t

HANDLING_AUTO = "auto"
HANDLING_HUMAN = "human"

METRICS = (
    ("escalation_recall", "escalation recall (human items sent to a human)"),
    ("routine_auto", "routine handled automatically (auto items not escalated)"),
    ("intent_group", "intent group"),
    ("outcome", "workflow outcome"),
    ("slot", "slot choice"),
)


@dataclass(frozen=True)
class Case:
    id: str
    triage_input: t.TriageInput
    expect: dict


@dataclass(frozen=True)
class Score:
    hits: int
    total: int

    @property
    def rate(self):
        return self.hits / self.total if self.total else None


def _slot(raw):
    return t.SlotOption(
        starts_at=dt.datetime.fromisoformat(raw["starts_at"]),
        ends_at=dt.datetime.fromisoformat(raw["ends_at"]),
        timezone=raw.get("timezone", ""),
        label=raw.get("label", ""),
        source=raw.get("source", ""),
    )


def _listing(raw):
    available = raw.get("available_on")
    return t.ListingFacts(
        title=raw.get("title", ""),
        unit=raw.get("unit", ""),
        rent_cents=raw.get("rent_cents"),
        currency=raw.get("currency", "USD"),
        available_on=dt.date.fromisoformat(available) if available else None,
        platform=raw.get("platform", ""),
    )


def triage_input_from_record(record):
    """A TriageInput from one eval line; the time zone is the record's, else its slots'."""
    offered = tuple(_slot(s) for s in record.get("offered_slots") or ())
    available = tuple(_slot(s) for s in record.get("available_slots") or ())
    zone = record.get("timezone") or next((s.timezone for s in offered + available if s.timezone), "") or "UTC"
    now = record.get("now")
    return t.TriageInput(
        body=record.get("body") or "",
        lead_name=record.get("lead_name") or "",
        listing=_listing(record.get("listing") or {}),
        offered_slots=offered,
        available_slots=available,
        history=tuple(t.HistoryMessage(m["direction"], m.get("body") or "") for m in record.get("history") or ()),
        showing_state=record.get("showing_state"),
        timezone=zone,
        now=dt.datetime.fromisoformat(now) if now else None,
    )


def read_cases(lines):
    """Cases from JSONL lines (blank lines skipped); ids default to the line number."""
    cases = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        cases.append(Case(str(record.get("id") or f"line-{number}"), triage_input_from_record(record), record.get("expect") or {}))
    return cases


def load_cases(path):
    with open(path, encoding="utf-8") as handle:
        return read_cases(handle)


def result_row(case, decision):
    """The `--json` object of the eval contract."""
    return {
        "id": case.id,
        "intent": decision.intent,
        "workflow_outcome": decision.workflow_outcome,
        "human_required": decision.human_required,
        "selected_slot_index": decision.selected_slot_index,
        "confidence": decision.confidence,
        "risk_level": decision.risk_level,
        "reasons": [decision.reason_code, *decision.reasons],
    }


def item_checks(expect, decision):
    """For each labeled metric of one item: did the decision get it right?"""
    checks = {}
    handling = expect.get("handling")
    if handling == HANDLING_HUMAN:
        checks["escalation_recall"] = decision.human_required
    elif handling == HANDLING_AUTO:
        checks["routine_auto"] = not decision.human_required
    if "intent_group" in expect:
        checks["intent_group"] = decision.intent_group == expect["intent_group"]
    if "outcome" in expect:
        checks["outcome"] = decision.workflow_outcome == expect["outcome"]
    if "slot" in expect:
        checks["slot"] = decision.selected_slot_index == expect["slot"]
    return checks


def score(cases, decisions):
    """Score per metric over every labeled item."""
    tallies = {name: [0, 0] for name, _ in METRICS}
    for case, decision in zip(cases, decisions, strict=True):
        for name, ok in item_checks(case.expect, decision).items():
            tallies[name][0] += int(ok)
            tallies[name][1] += 1
    return {name: Score(hits, total) for name, (hits, total) in tallies.items()}


def evaluate(cases, classify):
    decisions = [classify(case.triage_input) for case in cases]
    return decisions, score(cases, decisions)
