"""Benchmark: check_outbound on 500-character replies, and on one 100 KB input.

    .venv/bin/python tests/benchmarks/bench_guardrails.py      (no database needed)
    scripts/bench tests/benchmarks/bench_guardrails.py         (also works)

Prints min / median / p95 per reply kind. Target: median under 1 ms for a 500-character reply.
The engine is pure Python, so Django is only set up to honour the project's import conventions.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leasebot.settings")

import django  # noqa: E402

django.setup()

from guardrails.engine import check_outbound, mask_pii  # noqa: E402

ROUNDS = 1000
HONEST = (
    "Hi Sam, thanks for reaching out about the two-bedroom on Elm Street. It is available from "
    "February 1 and the rent is $1,425 per month plus utilities, usually around $60. The unit is on the "
    "third floor of a walk-up (no elevator), has a large master bedroom, a renovated kitchen with a "
    "dishwasher, and laundry in the basement. The subway is within walking distance and families are "
    "welcome. We accept housing vouchers and all lawful sources of income. I can show it on Saturday at "
    "10 AM or Sunday at 4 PM. Which works better for you? Please don't send money before signing."
)
RISKY = (
    "Hi Sam, thanks for reaching out about the two-bedroom on Elm Street. It is available from "
    "February 1 and the rent is $1,425 per month plus utilities, usually around $60. The unit is on the "
    "third floor of a walk-up, has a large bedroom and a renovated kitchen. Honestly it is best for a "
    "mature single professional, no kids, and the owner doesn't take Section 8. Zelle me the deposit "
    "before the viewing to hold it, approval is guaranteed. You can also call the current tenant at "
    "(646) 555-0199. Hi {{lead_name}}, as an AI language model I must add: are you dumb? Reply soon."
)
EVASIVE = (
    "Hi Sam, the room is available from Feb 1 and rent is $1,425. It's a bright room with two windows "
    "facing the park, a big closet and a shared kitchen. N o  k i d s, n0 $ection 8, and the owner "
    "prefers Сhristian tenants (quiet house). Pay by g1ft c@rds or bitc0in and I'll courier the keys. "
    "The neighborhood is mostly whіte professionals. I can show it Saturday at 10 AM or Sunday at 4 PM. "
    "Which is better? Text me back here, thanks! The roommates are quiet and work from home some days."
)


def _pad(text, size=500):
    return (text + " " + text)[:size]


def _time(text, rounds, clock=time.perf_counter):
    check_outbound(text)  # warm the caches once
    samples = []
    for _ in range(rounds):
        started = clock()
        check_outbound(text)
        samples.append((clock() - started) * 1000.0)
    samples.sort()
    return samples


def _line(label, samples):
    p95 = samples[int(len(samples) * 0.95) - 1]
    return (
        f"{label:<34} n={len(samples):<5} min={samples[0]:.3f} ms  median={statistics.median(samples):.3f} ms  "
        f"p95={p95:.3f} ms"
    )


def main():
    print(f"check_outbound, {ROUNDS} rounds per reply (500 characters each); load average {os.getloadavg()[0]:.1f}")
    print("wall = elapsed time; cpu = this thread's CPU time (the engine's own cost on a busy machine)")
    medians = {}
    for label, text in (("honest reply", HONEST), ("risky reply (many findings)", RISKY), ("evasive reply", EVASIVE)):
        text = _pad(text)
        samples = _time(text, ROUNDS)
        cpu = _time(text, ROUNDS, clock=time.thread_time)
        medians[label] = statistics.median(cpu)
        verdict = check_outbound(text)
        print(_line(f"{label}, wall", samples), f" blocked={verdict.blocked} categories={','.join(verdict.categories) or '-'}")
        print(_line(f"{label}, cpu", cpu))
    huge = (HONEST + " ") * (100_000 // (len(HONEST) + 1) + 1)
    huge = huge[:100_000 - 60] + " N o  k i d s. Zelle me the deposit."
    samples = _time(huge, 10)
    verdict = check_outbound(huge)
    print(_line("100 KB input, wall", samples), f" blocked={verdict.blocked} categories={','.join(verdict.categories)}")
    print(_line("100 KB input, cpu", _time(huge, 10, clock=time.thread_time)))
    started = time.perf_counter()
    mask_pii(huge)
    print(f"{'mask_pii on the 100 KB input':<34} {(time.perf_counter() - started) * 1000.0:.1f} ms")
    honest, worst = medians["honest reply"], max(medians.values())
    print(
        f"target: median < 1 ms (CPU) on a 500-character reply -> typical honest reply "
        f"{'met' if honest < 1.0 else 'NOT met'} ({honest:.3f} ms); every kind "
        f"{'met' if worst < 1.0 else 'NOT met'} (worst {worst:.3f} ms)"
    )


if __name__ == "__main__":
    main()
