"""The showing lifecycle: one guarded transition function, audited, that the database double-checks."""

import datetime as dt

from django.db import IntegrityError, transaction

from leasebot import audit
from scheduling import slots
from scheduling.models import AgentProfile, Showing
from scheduling.signals import showing_status_changed

S = Showing.Status
TRANSITIONS = {
    S.PENDING: {S.CONFIRMED, S.RESCHEDULE_REQUESTED, S.CANCELLED, S.NO_SHOW},
    S.CONFIRMED: {S.RESCHEDULE_REQUESTED, S.CANCELLED, S.COMPLETED, S.NO_SHOW},
    S.RESCHEDULE_REQUESTED: {S.PENDING, S.CONFIRMED, S.CANCELLED, S.NO_SHOW},
    S.CANCELLED: set(),
    S.COMPLETED: set(),
    S.NO_SHOW: set(),
}
TERMINAL = frozenset(status for status, targets in TRANSITIONS.items() if not targets)


class IllegalTransition(Exception):
    def __init__(self, from_status, to_status):
        super().__init__(f"A showing cannot go from {from_status} to {to_status}.")
        self.from_status, self.to_status = from_status, to_status


class ShowingConflict(Exception):
    """The agent already has a live showing of another unit then, the unit's group is full, or the
    agent's day is already at their daily showing cap."""


def allowed_targets(status):
    return TRANSITIONS.get(status, set())


def transition(showing, to_status, *, actor=None, starts_at=None, reason=""):
    """Move `showing` to `to_status`; a reschedule that lands back in pending/confirmed may move the time.

    The row is locked and re-read, so two taps racing on one showing cannot both win. Any move into a
    live status goes through the database's exclusion constraint; its refusal becomes ShowingConflict.
    Group capacity and, for a move onto another day, the agent's daily cap are counts checked under
    locks taken in booking's order (unit, then agent).
    """
    to_status = S(to_status)
    with transaction.atomic():
        locked = Showing.objects.select_for_update().select_related("unit").get(pk=showing.pk)
        from_status = S(locked.status)
        if to_status not in TRANSITIONS[from_status]:
            raise IllegalTransition(from_status, to_status)
        fields = ["status", "updated_at"]
        previous_start = locked.starts_at
        if starts_at is not None:
            if from_status != S.RESCHEDULE_REQUESTED or to_status not in (S.PENDING, S.CONFIRMED):
                raise IllegalTransition(from_status, to_status)
            length = locked.ends_at - locked.starts_at
            locked.starts_at, locked.ends_at = starts_at, starts_at + length
            fields += ["starts_at", "ends_at"]
        locked.status = to_status
        if to_status in Showing.LIVE_STATUSES:
            _check_group_capacity(locked)
            if starts_at is not None:
                _check_daily_cap(locked, previous_start)
        try:
            with transaction.atomic():
                locked.save(update_fields=fields)
        except IntegrityError as error:
            raise ShowingConflict("The agent already has a live showing of another unit at that time.") from error
        audit.record(
            "showing_state_changed",
            actor=actor,
            entity=locked,
            agent_id=locked.agent_id,
            details={
                "from": from_status.value,
                "to": to_status.value,
                "actor_kind": "user" if actor is not None else "system",
                "reason_code": reason,
                "moved_to_at": starts_at.astimezone(dt.UTC).isoformat() if starts_at else None,
            },
        )
        showing_status_changed.send(
            sender=Showing, showing=locked, from_status=from_status.value, to_status=to_status.value, actor=actor
        )
    showing.status, showing.starts_at, showing.ends_at = locked.status, locked.starts_at, locked.ends_at
    showing.updated_at = locked.updated_at
    return showing


def _check_group_capacity(showing):
    """Capacity is a count, which a constraint cannot express: checked under the unit's row lock."""
    unit = type(showing.unit).objects.select_for_update().get(pk=showing.unit_id)
    others = Showing.objects.filter(
        unit_id=unit.pk, status__in=Showing.LIVE_STATUSES,
        starts_at__lt=showing.ends_at, ends_at__gt=showing.starts_at,
    ).exclude(pk=showing.pk).count()
    if others >= unit.group_capacity:
        raise ShowingConflict("The unit's showing group at that time is already full.")


def daily_cap(agent):
    """The agent's own cap, else the site default: the same rule the slot engine applies."""
    return agent.daily_showing_cap or slots.setting("DAILY_CAP")


def live_showings_on_agent_day(agent, starts_at):
    """The agent's live showings, of any unit, that start on the agent's local day of `starts_at`."""
    zone = agent.zone
    day = starts_at.astimezone(zone).date()
    # Where a DST change skips midnight, combine() (fold=0) lands on the instant the day begins.
    first = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    after = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return Showing.objects.filter(
        agent_id=agent.pk, status__in=Showing.LIVE_STATUSES, starts_at__gte=first, starts_at__lt=after
    )


def agent_day_is_full(agent, starts_at, *, exclude_pk=None):
    return live_showings_on_agent_day(agent, starts_at).exclude(pk=exclude_pk).count() >= daily_cap(agent)


def _check_daily_cap(showing, previous_start):
    """A move onto another local day adds to that day's count; the agent's row lock (taken after the
    unit's, as booking does) keeps a parallel booking or move from filling the same day meanwhile."""
    agent = AgentProfile.objects.select_for_update().get(pk=showing.agent_id)
    if previous_start.astimezone(agent.zone).date() == showing.starts_at.astimezone(agent.zone).date():
        return  # the day's count does not change
    if agent_day_is_full(agent, showing.starts_at, exclude_pk=showing.pk):
        raise ShowingConflict(
            f"The agent already has {daily_cap(agent)} showings that day (their daily cap); pick another day."
        )
