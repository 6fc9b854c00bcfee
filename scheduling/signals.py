"""Hooks for higher apps (conversations mirrors showing state); scheduling itself imports none of them.

Both are sent inside the transaction that made the change, so a receiver's writes commit or roll
back with it.
"""

from django.dispatch import Signal

# kwargs: showing, from_status, to_status, actor (a user or None)
showing_status_changed = Signal()

# kwargs: showing, slot (the re-validated scheduling.slots.Slot), source
showing_booked = Signal()
