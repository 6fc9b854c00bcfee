"""The one clock. Tests freeze it with `leasebot.clock.frozen(...)` instead of patching datetime."""

import contextlib
import datetime as dt

from django.utils import timezone

_frozen_at = None


def now():
    return _frozen_at if _frozen_at is not None else timezone.now()


@contextlib.contextmanager
def frozen(at):
    if at.tzinfo is None:
        raise ValueError("frozen() needs an aware datetime")
    global _frozen_at
    previous = _frozen_at
    _frozen_at = at
    try:
        yield
    finally:
        _frozen_at = previous


def set_frozen(at):
    """For fixtures that freeze for a whole test and reset in teardown."""
    global _frozen_at
    if at is not None and at.tzinfo is None:
        raise ValueError("set_frozen() needs an aware datetime")
    _frozen_at = at


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)
