"""Triage pipeline benchmark: heuristic decisions per second including every database write.

Seeds 400 units (each with an assigned agent and weekly availability), 2,000 linked conversations on
auto-send accounts and one pending inbound message per conversation in a realistic mix (showing
requests, availability and pricing questions, not interested, risky and unclear messages). Then runs
`pipeline.triage_message` over them - claim, thread read, slot engine, classification, guardrails,
outbox insert, workflow transitions, follow-up and audit - and prints decisions/s, p50/p95 latency and
queries per decision. A second round answers every offer with a pick ("the second one works"), so the
booking handshake (booking, confirmation, workflow) is measured too. Both rounds run first in one
process, then split over two worker processes per core.

Target: >= 200 decisions/s on this machine (the best of the sequential and parallel figures).
Run: scripts/bench tests/benchmarks/bench_triage_pipeline.py
"""

import collections
import datetime as dt
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leasebot.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from conversations import outbox  # noqa: E402
from conversations.models import Conversation, Listing, Message, PlatformAccount, ReplyRule, ReplyTemplate  # noqa: E402
from conversations.triage import defaults, pipeline  # noqa: E402
from leasebot import clock  # noqa: E402
from leasebot.models import AuditEvent  # noqa: E402
from scheduling.models import AgentProfile, Unit, UnitAssignment, WeeklyRule  # noqa: E402

UNITS, AGENTS, CONVERSATIONS = 400, 100, 2000
TARGET = 200
# Each decision waits on ~30 database round trips, so two workers per core overlap that waiting.
PROCESSES = 2 * (os.cpu_count() or 1)
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]
MIX = [  # (weight, body)
    (30, "Hi, is this room still available? I'd love to come and see it."),
    (15, "Can I schedule a viewing this week?"),
    (10, "Is the apartment still available?"),
    (10, "How much is the rent per month?"),
    (8, "Thanks, but I found another place. Not interested anymore."),
    (7, "Do you accept Section 8 vouchers?"),
    (5, "Would you take $1,200 a month instead?"),
    (5, "Could I sublet it for the summer?"),
    (5, "Hello??"),
    (5, "Blue giraffe umbrella quantum"),
]
rng = random.Random(20270106)


def seed(now):
    defaults.install(ReplyTemplate, ReplyRule)
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"bench-agent-{i}", email=f"bench-agent-{i}@example.test", password="!") for i in range(AGENTS)]
    )
    agents = AgentProfile.objects.bulk_create(
        [AgentProfile(user=u, display_name=f"Agent {i}", timezone=ZONES[i % 4]) for i, u in enumerate(users)]
    )
    units = Unit.objects.bulk_create(
        [Unit(property_name=f"Bench {i}", unit_number=str(i), timezone=ZONES[i % 4]) for i in range(UNITS)]
    )
    UnitAssignment.objects.bulk_create(
        [UnitAssignment(unit=u, agent=agents[i % AGENTS], mode="active", priority=1) for i, u in enumerate(units)]
    )
    rules = [WeeklyRule(unit=u, weekday=d, start_time=dt.time(8), end_time=dt.time(20)) for u in units for d in range(7)]
    rules += [WeeklyRule(agent=a, weekday=d, start_time=dt.time(8), end_time=dt.time(20)) for a in agents for d in range(7)]
    WeeklyRule.objects.bulk_create(rules)
    accounts = [PlatformAccount.objects.create(platform=p, name=f"bench-{p}", send_mode="auto_send")
                for p in ("spareroom", "roomies", "renthop")]
    listings = Listing.objects.bulk_create([
        Listing(account=accounts[i % 3], unit=u, title=f"Room {i} near the park", external_listing_id=f"L{i}",
                rent_cents=120000 + i * 100, available_on=dt.date(2027, 2, 1))
        for i, u in enumerate(units)
    ])
    convs = Conversation.objects.bulk_create([
        Conversation(
            account=listings[i % UNITS].account, external_thread_id=f"T{i}", listing=listings[i % UNITS],
            unit=units[i % UNITS], assigned_agent=agents[(i % UNITS) % AGENTS], lead_name=f"Lead {i}",
            thread_label=listings[i % UNITS].title, linkage="resolved", last_message_at=now,
        )
        for i in range(CONVERSATIONS)
    ])
    bodies = [body for weight, body in MIX for _ in range(weight)]
    return _inbound([(conv, rng.choice(bodies)) for conv in convs], now)


def _inbound(pairs, now):
    messages = Message.objects.bulk_create([
        Message(conversation=conv, direction="inbound", sender="lead", body=body, status="received",
                external_message_id=f"in-{conv.pk}-{n}-{now.timestamp()}", sent_at=now, triage_state="pending")
        for n, (conv, body) in enumerate(pairs)
    ])
    return [m.pk for m in messages]


def _run(ids):
    """Triage `ids` in this process; returns (latencies in ms, decisions by kind)."""
    latencies, kinds = [], collections.Counter()
    started_cpu = time.process_time()
    for pk in ids:
        started = time.perf_counter()
        result = pipeline.triage_message(pk, worker="worker:bench")
        latencies.append((time.perf_counter() - started) * 1000)
        kinds[result.decision if result else "not_claimed"] += 1
    kinds["client_cpu_ms"] = round((time.process_time() - started_cpu) * 1000)
    return latencies, kinds


def _child(ids, queue):
    connection.close()  # a forked child opens its own connection
    started = time.perf_counter()
    latencies, kinds = _run(ids)
    queue.put((time.perf_counter() - started, latencies, dict(kinds)))
    connection.close()


def _parallel(ids, workers):
    connection.close()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    chunks = [ids[n::workers] for n in range(workers)]
    started = time.perf_counter()
    processes = [context.Process(target=_child, args=(chunk, queue)) for chunk in chunks]
    for process in processes:
        process.start()
    results = [queue.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    wall = time.perf_counter() - started
    latencies = [value for _, values, _ in results for value in values]
    kinds = collections.Counter()
    for _, _, counts in results:
        kinds.update(counts)
    return wall, latencies, kinds


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def _report(label, count, wall, latencies, kinds):
    rate = count / wall
    cpu_ms = kinds.pop("client_cpu_ms", 0) / count
    print(f"{label}: {count} decisions in {wall:.2f}s = {rate:.0f} decisions/s   "
          f"p50 {percentile(latencies, 50):.1f} ms  p95 {percentile(latencies, 95):.1f} ms  max {max(latencies):.1f} ms")
    print(f"    client CPU {cpu_ms:.1f} ms per decision (the rest is Postgres and waiting for a core); "
          f"decisions: {dict(sorted(kinds.items()))}")
    return rate


def _queries_per_decision(ids):
    counts = []
    for pk in ids:
        with CaptureQueriesContext(connection) as captured:
            pipeline.triage_message(pk, worker="worker:bench")
        counts.append(len(captured))
    return statistics.mean(counts), max(counts)


def _deliver_offers_and_pick(conv_ids, now):
    """Mark every offer sent (as dispatch would) and let each of those leads pick the second slot."""
    offers = list(Message.objects.filter(conversation_id__in=conv_ids, direction="outbound", status="queued")
                  .exclude(offered_slots=[]))
    for offer in offers:
        outbox.mark_sent(offer, external_message_id=f"out-{offer.pk}")
    picked = list(Conversation.objects.filter(pk__in=[offer.conversation_id for offer in offers]))
    return _inbound([(conv, "The second one works for me, thanks!") for conv in picked], now + dt.timedelta(minutes=1))


def _round(label, ids, now, *, parallel):
    if parallel:
        wall, latencies, kinds = _parallel(ids, PROCESSES)
    else:
        started = time.perf_counter()
        latencies, kinds = _run(ids)
        wall = time.perf_counter() - started
    return _report(label, len(ids), wall, latencies, kinds)


def main():
    now = clock.now()
    with transaction.atomic():
        ids = seed(now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    half = len(ids) // 2
    sequential_ids, parallel_ids = ids[:half], ids[half:]
    warm, sequential_ids = sequential_ids[:50], sequential_ids[50:]
    mean_q, max_q = _queries_per_decision(warm)  # also warms imports, caches and the connection

    print(f"seeded {UNITS} units, {AGENTS} agents, {CONVERSATIONS} conversations; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"queries per decision (first inquiries): mean {mean_q:.1f}, max {max_q}")
    rates = [
        _round("first inquiries, 1 process", sequential_ids, now, parallel=False),
        _round(f"first inquiries, {PROCESSES} processes", parallel_ids, now, parallel=True),
    ]
    conv_ids = list(Message.objects.filter(pk__in=ids).values_list("conversation_id", flat=True))
    picks = _deliver_offers_and_pick(conv_ids, now)
    half = len(picks) // 2
    rates += [
        _round("slot picks (booking handshake), 1 process", picks[:half], now, parallel=False),
        _round(f"slot picks (booking handshake), {PROCESSES} processes", picks[half:], now, parallel=True),
    ]
    audited = AuditEvent.objects.filter(action="ai_reply_decision").count()
    print(f"ai_reply_decision events: {audited} (one per decision)")
    best = max(rates[0], rates[1])
    ok = best >= TARGET
    print(f"target (>= {TARGET} decisions/s, first inquiries): best {best:.0f}/s", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
