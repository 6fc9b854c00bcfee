"""RQ jobs: thin wrappers that re-read rows and call a service. Safe to run twice."""

from conversations import followups, outbox


def run_follow_ups():
    return len(followups.run_due())


def sweep_outbox():
    return len(outbox.sweep_queued())
