"""Ops snapshot benchmark (prints figures; not a timed test).

Seeds a month of activity: ~300,000 audit events over 30 days across five platforms and 20 agents,
plus 20,000 conversations with 100,000 messages; then times the snapshot for 24 h and 168 h windows
and the /ops/ page render for an admin. Target: the page renders in under 300 ms.

Run: scripts/bench tests/benchmarks/bench_ops.py
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from conversations.models import PlatformAccount  # noqa: E402
from leasebot.ops import snapshot  # noqa: E402
from tests.factories import make_admin  # noqa: E402

EVENTS, CONVERSATIONS, MESSAGES_PER, RUNS = 300_000, 20_000, 5, 15
ACTIONS = [
    "ai_reply_decision", "workflow_state_transitioned", "platform_dispatch_sent", "inbox_manual_reply_queued",
    "guardrail_blocked", "ai_reply_human_required_queued", "showing_booking_created", "platform_dispatch_error",
    "ingest_conversation_linkage_resolved", "ingest_conversation_linkage_unresolved", "platform_dispatch_dlq",
]


def seed():
    admin = make_admin(username="bench-admin")
    account = PlatformAccount.objects.create(platform="roomies", name="bench")
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO leasebot_auditevent (occurred_at, actor_kind, actor_label, action, entity_type, entity_id,
              platform, agent_id, conversation_id, details)
            SELECT now() - ((g %% 43200) || ' minutes')::interval, 'worker', 'bench', (%s::text[])[1 + g %% %s],
              'conversations.conversation', g::text,
              (ARRAY['spareroom','roomies','leasebreak','renthop','furnishedfinder'])[1 + g %% 5],
              1 + g %% 20, 1 + g %% %s,
              jsonb_build_object('provider', 'heuristic', 'intent', 'tour_request', 'outcome', 'general_question',
                'decision', (ARRAY['send','draft','escalate','skip'])[1 + g %% 4], 'reason_code', 'legal',
                'categories', jsonb_build_array('fair_housing'), 'retry', (g %% 2 = 0), 'source', 'lead_selection',
                'from', 'lead', 'to', 'showing')
            FROM generate_series(1, %s) g
            """,
            [ACTIONS, len(ACTIONS), CONVERSATIONS, EVENTS],
        )
        cur.execute(
            """
            INSERT INTO conversations_conversation (account_id, external_thread_id, lead_name, lead_contact, thread_label,
              listing_external_ref, listing_url_ref, listing_title_ref, linkage, last_message_at, opted_out,
              workflow_state, workflow_outcome, showing_state, follow_up_stage, follow_up_status, human_required,
              human_reason_code, human_queued_at, resume_outcome, created_at, updated_at)
            SELECT %s, 'T' || g, 'Lead ' || g, '', '', '', '', '', 'resolved', now() - ((g %% 43200) || ' minutes')::interval,
              false, 'lead', CASE WHEN g %% 50 = 0 THEN 'human_required' ELSE '' END, '', 0, 'none', (g %% 50 = 0),
              CASE WHEN g %% 50 = 0 THEN 'legal' ELSE '' END, CASE WHEN g %% 50 = 0 THEN now() - interval '3 hours' END,
              '', now(), now()
            FROM generate_series(1, %s) g
            """,
            [account.pk, CONVERSATIONS],
        )
        cur.execute(
            """
            INSERT INTO conversations_message (conversation_id, direction, sender, external_message_id, body, sent_at,
              sent_at_source, raw_time_text, created_at, status, dispatch_key, attempts, last_error, claimed_by,
              offered_slots, guardrail_reasons, triage_state)
            SELECT c.id, CASE WHEN n %% 2 = 0 THEN 'inbound' ELSE 'outbound' END, 'lead', 'M' || c.id || '-' || n, 'body',
              c.last_message_at - (n || ' minutes')::interval, 'platform', '', now(),
              CASE WHEN n %% 2 = 0 THEN 'received' ELSE 'sent' END, gen_random_uuid(), 0, '', '', '[]', '[]', ''
            FROM conversations_conversation c, generate_series(1, %s) n
            """,
            [MESSAGES_PER],
        )
        cur.execute("ANALYZE")
    return admin


def timed(fn):
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main():
    started = time.perf_counter()
    admin = seed()
    print(f"seeded {EVENTS:,} audit events over 30 days and {CONVERSATIONS:,} conversations in {time.perf_counter() - started:.1f}s")
    client = Client()
    client.force_login(admin)
    executed = []
    with connection.execute_wrapper(lambda execute, sql, params, many, context: executed.append(sql) or execute(sql, params, many, context)):
        response = client.get("/ops/")
    assert response.status_code == 200 and b"Human queue" in response.content, response.status_code
    print(f"{'what':32} {'p50 ms':>8} {'p95 ms':>8}")
    for label, fn in (
        ("snapshot, 24 h window", lambda: snapshot.build_snapshot(24)),
        ("snapshot, 168 h window", lambda: snapshot.build_snapshot(168)),
        ("/ops/ page, 24 h (full render)", lambda: client.get("/ops/")),
        ("/ops/observability.json, 168 h", lambda: client.get("/ops/observability.json?window_hours=168")),
    ):
        p50, p95 = timed(fn)
        print(f"{label:32} {p50:8.1f} {p95:8.1f}")
    page_p50, page_p95 = timed(lambda: client.get("/ops/"))
    print(f"queries per page: {len(executed)}")
    print(f"target: page under 300 ms with a month of data: {'met' if page_p95 < 300 else 'NOT met'} (p95 {page_p95:.1f} ms)")


if __name__ == "__main__":
    main()
