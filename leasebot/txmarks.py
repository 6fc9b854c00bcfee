"""Marks that stay valid exactly as long as the (sub)transaction that made them.

Two hot-path savings rest on knowing "is the work I did earlier in this transaction still there?":
- a service that must change a row under its lock (conversations.workflow, conversations.outbox)
  re-reads it with SELECT ... FOR UPDATE, unless its caller already locked that very instance in the
  same transaction (`lock_held`): the triage pipeline locks a conversation once per message instead of
  once per workflow step, with no savepoint per step;
- audit events may be buffered and written in one INSERT (leasebot.audit.batched), and an event must
  not be written when the savepoint around the action it describes was rolled back.

A mark is a no-op on_commit hook. Django drops a transaction's hooks when it commits or rolls back,
and a savepoint's hooks when that savepoint is rolled back - exactly when PostgreSQL releases a row
lock taken inside it and forgets the rows written inside it. So a mark found among the connection's
pending hooks means the work done when it was made still stands.
"""

from django.db import connection, transaction

_LOCK_ATTR = "_txmarks_lock"


class Mark:
    __slots__ = ()

    def __call__(self):
        """Nothing to do at commit: only the hook's presence until then matters."""


def mark():
    """A new mark for the current (sub)transaction, or None outside a transaction."""
    if not connection.in_atomic_block:
        return None
    hook = Mark()
    transaction.on_commit(hook)
    return hook


def alive(hook):
    """The (sub)transaction that made `hook` is still open or was released into one that is."""
    if hook is None or not connection.in_atomic_block:
        return False
    return any(func is hook for _savepoints, func, _robust in connection.run_on_commit)


def note_locked(instance):
    """Record that `instance` was just read under its row lock (SELECT ... FOR UPDATE)."""
    setattr(instance, _LOCK_ATTR, mark())
    return instance


def lock_held(instance):
    """This transaction read `instance` under its row lock, and still holds that lock."""
    return alive(getattr(instance, _LOCK_ATTR, None))
