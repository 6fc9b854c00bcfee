"""RQ jobs: thin wrappers that re-read rows and call a service. Safe to run twice."""

from conversations import followups, outbox


def run_follow_ups():
    return len(followups.run_due())


def sweep_outbox():
    return len(outbox.sweep_queued())


def _worker_label():
    import os
    import socket

    return f"worker:{socket.gethostname()}:{os.getpid()}"


def triage_message(message_id):
    """Triage one inbound message (claimed, so a second worker or a replayed job does nothing)."""
    from conversations.triage import pipeline

    result = pipeline.triage_message(message_id, worker=_worker_label())
    return None if result is None else result.decision


def sweep_triage():
    """Re-enqueue inbound messages whose triage enqueue was lost or whose claim went stale."""
    from conversations.triage import pipeline

    return len(pipeline.sweep())


def run_showing_reminders():
    """Remind leads before their showings and ask agents whether past showings happened."""
    from conversations.triage import reminders

    return reminders.run(actor=_worker_label())
