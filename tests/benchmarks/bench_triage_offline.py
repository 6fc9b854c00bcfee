"""Offline triage benchmark: heuristic decisions per second (prints figures; not a timed test).

Classifies every message of the dev set and of our held-out sets, round after round, for a fixed
wall-clock budget, and prints decisions/s plus per-decision p50/p95/max. A second pass runs 100 KB
messages to show the worst case stays bounded. No database or network is used (the database
pipeline has its own benchmark).

Run: scripts/bench tests/benchmarks/bench_triage_offline.py   (or plain .venv/bin/python)
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leasebot.settings")

import django  # noqa: E402

django.setup()

from conversations.triage import evalset, heuristic  # noqa: E402

SETS = [ROOT.parent / "shared" / "eval" / "triage_dev.jsonl", *sorted((ROOT / "tests" / "triage" / "data").glob("*.jsonl"))]
BUDGET_SECONDS = 5.0
HUGE_SAMPLES = 20


def _inputs():
    inputs = []
    for path in SETS:
        if path.exists():
            inputs.extend(case.triage_input for case in evalset.load_cases(path))
    return inputs


def _timed(inputs, budget):
    durations = []
    started = time.perf_counter()
    while time.perf_counter() - started < budget:
        for triage_input in inputs:
            t0 = time.perf_counter()
            heuristic.classify(triage_input)
            durations.append(time.perf_counter() - t0)
    return durations, time.perf_counter() - started


def _report(label, durations, elapsed):
    ordered = sorted(durations)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{label}: {len(durations)} decisions in {elapsed:.2f}s = {len(durations) / elapsed:,.0f} decisions/s; "
        f"per decision p50 {statistics.median(ordered) * 1000:.3f} ms, p95 {p95 * 1000:.3f} ms, "
        f"max {ordered[-1] * 1000:.3f} ms"
    )


def main():
    inputs = _inputs()
    print(f"{len(inputs)} distinct messages from {sum(p.exists() for p in SETS)} labeled sets")
    for triage_input in inputs:  # warm up compiled patterns and zoneinfo caches
        heuristic.classify(triage_input)
    durations, elapsed = _timed(inputs, BUDGET_SECONDS)
    _report("heuristic, ordinary messages", durations, elapsed)

    base = inputs[0]
    huge = base.__class__(**{**base.__dict__, "body": ("Can I come and see the room this weekend? " * 2500)[:100_000]})
    huge_durations = []
    started = time.perf_counter()
    for _ in range(HUGE_SAMPLES):
        t0 = time.perf_counter()
        heuristic.classify(huge)
        huge_durations.append(time.perf_counter() - t0)
    _report("heuristic, 100 KB messages", huge_durations, time.perf_counter() - started)


if __name__ == "__main__":
    main()
