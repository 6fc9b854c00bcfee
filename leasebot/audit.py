"""The one way to write an audit event. Callers pass ids and reason codes, never message text."""

import contextlib
import contextvars
import logging
import re

from django.db import connection
from django.db.transaction import TransactionManagementError

from leasebot import txmarks
from leasebot.models import AuditEvent

logger = logging.getLogger(__name__)

ACTION_RE = re.compile(r"^[a-z][a-z0-9_]{1,79}$")
# Keys whose values could carry message text, credentials or personal identifiers.
FORBIDDEN_KEYS = re.compile(
    r"(body|text|message|password|secret|token|credential|cookie|ssn|card|email|phone|api_?key)", re.I
)
_SAFE_KEY_SUFFIXES = ("_id", "_ids", "_count", "_code", "_codes", "_kind", "_at")
MAX_STRING = 200


def _is_forbidden(key):
    key = str(key)
    return bool(FORBIDDEN_KEYS.search(key)) and not key.endswith(_SAFE_KEY_SUFFIXES)


def _clean(value, depth=0):
    if depth > 4:
        return "…"
    if isinstance(value, dict):
        return {
            str(k): ("[redacted]" if _is_forbidden(k) else _clean(v, depth + 1)) for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(v, depth + 1) for v in list(value)[:50]]
    if isinstance(value, str):
        return value if len(value) <= MAX_STRING else value[:MAX_STRING] + "…"
    if value is None or isinstance(value, bool | int | float):
        return value
    return _clean(str(value), depth + 1)


def record(
    action,
    *,
    actor=None,
    actor_kind=None,
    actor_label="",
    entity=None,
    entity_type="",
    entity_id=None,
    platform="",
    agent_id=None,
    conversation_id=None,
    details=None,
):
    """Append one event. `actor` is a user; without one the actor is `system` or a worker id."""
    if not ACTION_RE.match(action):
        raise ValueError(f"audit action must be snake_case, got {action!r}")
    if entity is not None:
        entity_type = entity_type or entity._meta.label_lower
        entity_id = entity.pk if entity_id is None else entity_id
    user = actor if getattr(actor, "is_authenticated", False) else None
    if actor_kind is None:
        actor_kind = AuditEvent.ActorKind.USER if user else AuditEvent.ActorKind.SYSTEM
    event = AuditEvent(
        action=action,
        actor_user=user,
        actor_kind=actor_kind,
        actor_label=actor_label or (user.get_username() if user else ""),
        entity_type=entity_type,
        entity_id="" if entity_id is None else str(entity_id),
        platform=platform or "",
        agent_id=agent_id,
        conversation_id=conversation_id,
        details=_clean(details or {}),
    )
    buffer = _batch.get()
    if buffer is None:
        event.save()
    else:
        buffer.append((txmarks.mark(), event))
    return event


_batch = contextvars.ContextVar("audit_batch", default=None)


@contextlib.contextmanager
def batched():
    """Buffer the events recorded inside and write them in one INSERT when the block ends.

    Use it directly inside the atomic block that owns the work (`with transaction.atomic(),
    audit.batched():`): an exception leaving the block drops the buffer, and the same exception rolls
    the work back. An event recorded inside a savepoint that was rolled back is dropped with it, so the
    trail never describes work that did not happen. Events keep their order; their ids are assigned at
    the flush. Nested blocks share the outermost buffer.
    """
    if not connection.in_atomic_block:
        raise TransactionManagementError("audit.batched() belongs inside transaction.atomic().")
    if _batch.get() is not None:
        yield
        return
    buffer = []
    token = _batch.set(buffer)
    try:
        yield
    finally:
        _batch.reset(token)
    events = [event for hook, event in buffer if txmarks.alive(hook)]
    if events:
        _insert(events)


def _insert(events):
    """What `bulk_create` does for these rows (no signals, ids read back in order), written out:
    compiling Django's INSERT costs more than running it, and triage flushes once per message."""
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {connection.ops.quote_name(AuditEvent._meta.db_table)} ({columns}) "
        f"VALUES {', '.join([row] * len(events))} RETURNING {connection.ops.quote_name(AuditEvent._meta.pk.column)}"
    )
    params = [f.get_db_prep_save(f.pre_save(event, True), connection) for event in events for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [pk for (pk,) in cursor.fetchall()]  # PostgreSQL returns them in the order of VALUES
    for event, pk in zip(events, ids, strict=True):
        event.pk = pk
        event._state.adding, event._state.db = False, connection.alias
