"""Availability entries (weekly rules, date overrides, blocks): saving, deleting, and a preview."""

import datetime as dt
import zoneinfo

from django.db import transaction

from leasebot import audit
from scheduling import slots
from scheduling.forms import BlockForm, DateOverrideForm, WeeklyRuleForm
from scheduling.models import AvailabilityBlock, DateOverride, Unit, WeeklyRule


class Kind:
    def __init__(self, slug, model, form_class, label, singular):
        self.slug, self.model, self.form_class, self.label, self.singular = slug, model, form_class, label, singular


KINDS = {
    "rules": Kind("rules", WeeklyRule, WeeklyRuleForm, "Weekly hours", "weekly rule"),
    "overrides": Kind("overrides", DateOverride, DateOverrideForm, "Date overrides", "date override"),
    "blocks": Kind("blocks", AvailabilityBlock, BlockForm, "Blocked time", "block"),
}


def owner_fields(owner):
    return {"unit": owner} if isinstance(owner, Unit) else {"agent": owner}


def entries(kind, owner, today=None):
    qs = kind.model.objects.filter(**owner_fields(owner))
    # Past overrides and blocks are history: the page lists what still matters.
    if today is not None and kind.model is DateOverride:
        qs = qs.filter(date__gte=today)
    if today is not None and kind.model is AvailabilityBlock:
        qs = qs.filter(ends_at__gte=dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC))
    return qs


def bind(kind, owner, data=None, instance=None):
    """A form whose instance already belongs to `owner`, so model validation sees the owner."""
    instance = instance or kind.model(**owner_fields(owner))
    return kind.form_class(data, instance=instance, prefix=kind.slug)


def save(kind, form, *, actor=None):
    """Validated form → row, audited. Returns the saved entry."""
    created = form.instance.pk is None
    with transaction.atomic():
        entry = form.save()
        _audit("availability_entry_saved", kind, entry, actor, created=created)
    return entry


def delete(kind, entry, *, actor=None):
    with transaction.atomic():
        _audit("availability_entry_deleted", kind, entry, actor)
        entry.delete()


def _audit(action, kind, entry, actor, **extra):
    audit.record(
        action, actor=actor, entity=entry, agent_id=entry.agent_id,
        details={"kind": kind.slug, "unit_id": entry.unit_id, **extra},
    )


def load_availability(owner, first_day, last_day):
    """One owner's rules, overrides and blocks over a date range, as the slot engine reads them."""
    availability = slots.Availability(owner.timezone)
    fields = owner_fields(owner)
    for rule in WeeklyRule.objects.filter(**fields):
        availability.rules.append(
            slots.Rule(rule.id, rule.weekday, rule.start_time, rule.end_time, rule.effective_from, rule.effective_until)
        )
    for item in DateOverride.objects.filter(**fields, date__gte=first_day, date__lte=last_day):
        availability.overrides.append(slots.Override(item.id, item.date, item.closed, item.start_time, item.end_time))
    low = dt.datetime.combine(first_day - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    high = dt.datetime.combine(last_day + dt.timedelta(days=2), dt.time(), tzinfo=dt.UTC)
    for block in AvailabilityBlock.objects.filter(**fields, ends_at__gt=low, starts_at__lt=high):
        availability.blocks.append((block.starts_at, block.ends_at))
    return availability


def preview(owner, now, days=14):
    """[(local date, [(start, end, kind)] in the owner's zone)] for the next `days` days."""
    zone = zoneinfo.ZoneInfo(owner.timezone)
    today = now.astimezone(zone).date()
    last = today + dt.timedelta(days=days - 1)
    availability = load_availability(owner, today, last)
    by_day = {today + dt.timedelta(days=n): [] for n in range(days)}
    for start, end, source in slots.open_windows(availability, today, last):
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        if local_start.date() in by_day:
            by_day[local_start.date()].append((local_start, local_end, source.kind))
    return list(by_day.items())

