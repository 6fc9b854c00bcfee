"""Inbox benchmark (prints figures; not a timed test).

Seeds 50,000 conversations and 500,000 messages across 20 agents, then times through the Django test
client (server time including rendering): the inbox first page and a deep cursor page for an agent
and for an admin, and a conversation view with 200 messages. Prints p50/p95 ms and query counts.
Target: p95 <= 60 ms, and a query count that does not grow with the page size.

Run: scripts/bench tests/benchmarks/bench_inbox.py
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
from django.test.utils import CaptureQueriesContext  # noqa: E402

from conversations import inbox  # noqa: E402
from conversations.models import Conversation, PlatformAccount  # noqa: E402
from tests.factories import make_admin, make_agent  # noqa: E402

CONVERSATIONS, MESSAGES_PER, AGENTS, RUNS = 50_000, 10, 20, 30


def seed():
    agents = [make_agent(username=f"bench-agent-{n}", name=f"Agent {n}") for n in range(AGENTS)]
    admin = make_admin(username="bench-admin")
    account = PlatformAccount.objects.create(platform="spareroom", name="bench")
    profile_ids = [a.agent_profile.pk for a in agents]
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO conversations_conversation (account_id, external_thread_id, lead_name, lead_contact, thread_label,
              listing_external_ref, listing_url_ref, listing_title_ref, linkage, last_message_at, opted_out,
              workflow_state, workflow_outcome, showing_state, follow_up_stage, follow_up_status, human_required,
              human_reason_code, human_queued_at, resume_outcome, created_at, updated_at, assigned_agent_id)
            SELECT %s, 'T' || g, 'Lead ' || g, '', 'Room ' || (g %% 500), '', '', '', 'resolved',
              now() - (g || ' minutes')::interval, false, 'lead',
              CASE WHEN g %% 40 = 0 THEN 'human_required' ELSE '' END, '', 0, 'none',
              (g %% 40 = 0), CASE WHEN g %% 40 = 0 THEN 'legal' ELSE '' END,
              CASE WHEN g %% 40 = 0 THEN now() END, '', now(), now(),
              (%s::bigint[])[1 + g %% %s]
            FROM generate_series(1, %s) g
            """,
            [account.pk, profile_ids, AGENTS, CONVERSATIONS],
        )
        cur.execute(
            """
            INSERT INTO conversations_message (conversation_id, direction, sender, external_message_id, body, sent_at,
              sent_at_source, raw_time_text, created_at, status, dispatch_key, attempts, last_error, claimed_by,
              offered_slots, guardrail_reasons, triage_state)
            SELECT c.id, 'inbound', 'lead', 'M' || c.id || '-' || n, 'Hello, is the room still available? message ' || n,
              c.last_message_at - (n || ' minutes')::interval, 'platform', '', now(), 'received', gen_random_uuid(), 0, '', '',
              '[]', '[]', 'done'
            FROM conversations_conversation c, generate_series(1, %s) n
            """,
            [MESSAGES_PER],
        )
        big = Conversation.objects.filter(assigned_agent_id=profile_ids[0]).order_by("-last_message_at").first()
        cur.execute(
            """
            INSERT INTO conversations_message (conversation_id, direction, sender, external_message_id, body, sent_at,
              sent_at_source, raw_time_text, created_at, status, dispatch_key, attempts, last_error, claimed_by,
              offered_slots, guardrail_reasons, triage_state)
            SELECT %s, 'inbound', 'lead', 'BIG-' || n, 'Long thread message ' || n, now() - (n || ' seconds')::interval,
              'platform', '', now(), 'received', gen_random_uuid(), 0, '', '', '[]', '[]', 'done'
            FROM generate_series(1, 190) n
            """,
            [big.pk],
        )
        cur.execute("ANALYZE")
    return agents[0], admin, big


def measure(client, url, params=None):
    times, queries = [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, params or {})
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries.append(len(ctx.captured_queries))
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], max(queries)


def main():
    started = time.perf_counter()
    agent, admin, big = seed()
    print(f"seeded {Conversation.objects.count():,} conversations in {time.perf_counter() - started:.1f}s")
    agent_client, admin_client = Client(), Client()
    agent_client.force_login(agent)
    admin_client.force_login(admin)
    deep_agent = _deep_cursor(agent)
    deep_admin = _deep_cursor(admin)
    rows = [
        ("agent inbox, first page", agent_client, "/inbox/", None),
        ("agent inbox, deep cursor", agent_client, "/inbox/", {"cursor": deep_agent}),
        ("admin inbox, first page", admin_client, "/inbox/", None),
        ("admin inbox, deep cursor", admin_client, "/inbox/", {"cursor": deep_admin}),
        ("admin needs-human queue", admin_client, "/inbox/", {"queue": "needs_human"}),
        ("conversation, 200 messages", agent_client, f"/conversations/{big.pk}/", None),
    ]
    print(f"{'view':30} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    worst = 0
    for label, client, url, params in rows:
        p50, p95, queries = measure(client, url, params)
        worst = max(worst, p95)
        print(f"{label:30} {p50:8.1f} {p95:8.1f} {queries:8d}")
    print(f"target p95 <= 60 ms: {'met' if worst <= 60 else 'NOT met'} (worst p95 {worst:.1f} ms)")


def _deep_cursor(user):
    filters = inbox.InboxFilters()
    page = inbox.page(user, filters)
    for _ in range(40):
        filters.cursor = page.next_cursor
        page = inbox.page(user, filters)
    return page.next_cursor


if __name__ == "__main__":
    main()
