import zoneinfo

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, DateTimeRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q


def validate_timezone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"{value!r} is not a known IANA time zone (for example America/New_York).") from None


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class DateRange(Func):
    """A NULL bound is an infinite one, so an open-ended effective period is unbounded on that side."""

    function = "DATERANGE"
    output_field = DateRangeField()


class TimeOfDayRange(Func):
    """[start, end) of two times of day, as a range on one fixed date.

    Postgres has no time range type; `date + time` is an immutable timestamp, so the range can be
    indexed, and with end after start (a check constraint) it never wraps past midnight.
    """

    arity = 2
    template = "TSRANGE(DATE '2000-01-01' + %(expressions)s, '[)')"
    arg_joiner = ", DATE '2000-01-01' + "
    output_field = DateTimeRangeField()


class AgentProfile(models.Model):
    """One per agent user, created when the agent accepts an invitation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile")
    display_name = models.CharField(max_length=150)
    phone = models.CharField(max_length=40, blank=True)
    timezone = models.CharField(max_length=64, default="America/New_York", validators=[validate_timezone])
    active = models.BooleanField(default=True)
    # Empty means the site default (LEASEBOT_SLOT_DAILY_CAP).
    daily_showing_cap = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Most showings this agent takes per local day; empty uses the site default.",
    )

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.timezone)


class Unit(models.Model):
    property_name = models.CharField(max_length=200)
    unit_number = models.CharField(max_length=50, blank=True)
    address = models.CharField(max_length=300, blank=True)
    bedrooms = models.PositiveSmallIntegerField(default=0)
    bathrooms = models.DecimalField(max_digits=3, decimal_places=1, default=1)
    timezone = models.CharField(max_length=64, default="America/New_York", validators=[validate_timezone])
    active = models.BooleanField(default=True)
    showing_length_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    group_capacity = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="How many leads may share one showing time of this unit.",
    )
    # Per-unit slot settings; empty uses the site defaults (LEASEBOT_SLOT_*).
    slot_grid_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    min_notice_minutes = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(60 * 24 * 14)])
    horizon_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(240)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["property_name", "unit_number"]
        constraints = [
            models.CheckConstraint(condition=Q(group_capacity__gte=1), name="unit_group_capacity_positive"),
            models.CheckConstraint(condition=Q(showing_length_minutes__gte=5), name="unit_showing_length_min"),
        ]

    def __str__(self):
        return f"{self.property_name} {self.unit_number}".strip()

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.timezone)


class UnitAssignment(models.Model):
    class Mode(models.TextChoices):
        ACTIVE = "active", "Active (offered to leads)"
        PASSIVE = "passive", "Passive (never offered)"

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="assignments")
    agent = models.ForeignKey(AgentProfile, on_delete=models.CASCADE, related_name="assignments")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ACTIVE)
    priority = models.PositiveSmallIntegerField(
        default=100, validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="1 is offered first. Unique per unit among active assignments.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "priority", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "agent"], name="assignment_unique_unit_agent"),
            models.UniqueConstraint(
                fields=["unit", "priority"], condition=Q(mode="active"), name="assignment_unique_active_priority"
            ),
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=1000), name="assignment_priority_range"),
            models.CheckConstraint(condition=Q(mode__in=["active", "passive"]), name="assignment_mode_valid"),
        ]

    def __str__(self):
        return f"{self.agent} → {self.unit} ({self.mode}, {self.priority})"


class OwnedByUnitOrAgent(models.Model):
    """Availability belongs to exactly one unit or one agent, and is read in that owner's zone."""

    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="%(class)ss")
    agent = models.ForeignKey(AgentProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="%(class)ss")

    class Meta:
        abstract = True

    @property
    def owner(self):
        return self.unit if self.unit_id else self.agent

    def _has(self, name):
        # An admin inline may attach an owner that is not saved yet (adding a unit with its hours).
        return getattr(self, f"{name}_id") is not None or self._state.fields_cache.get(name) is not None

    def owner_filter(self):
        """Lookup for this owner's other entries, or None while the owner is unsaved (it has none yet)."""
        if self.unit_id:
            return {"unit_id": self.unit_id}
        if self.agent_id:
            return {"agent_id": self.agent_id}
        return None

    def owner_errors(self):
        if self._has("unit") == self._has("agent"):
            return {"__all__": "Availability belongs to exactly one unit or one agent."}
        return {}


def _one_owner(name):
    return models.CheckConstraint(
        condition=(Q(unit__isnull=False, agent__isnull=True) | Q(unit__isnull=True, agent__isnull=False)), name=name
    )


def _no_overlapping_rules(owner):
    """One owner's weekly rules may not overlap (what `WeeklyRule.clean` checks), whatever writes them.

    One constraint per owner column: the other column is NULL, and NULL = NULL is never true.
    Touching rules (10–12 and 12–14) do not overlap: the time range excludes its end. Effective dates
    are inclusive on both ends, as `WeeklyRule.overlaps` reads them.
    """
    return ExclusionConstraint(
        name=f"weeklyrule_no_{owner}_overlap",
        index_type="GIST",
        expressions=[
            (owner, RangeOperators.EQUAL),
            ("weekday", RangeOperators.EQUAL),
            (TimeOfDayRange("start_time", "end_time"), RangeOperators.OVERLAPS),
            (DateRange("effective_from", "effective_until", RangeBoundary(inclusive_upper=True)),
             RangeOperators.OVERLAPS),
        ],
        condition=Q(**{f"{owner}__isnull": False}),
        violation_error_message="This weekly rule overlaps another rule of the same owner on that weekday.",
    )


class WeeklyRule(OwnedByUnitOrAgent):
    """A recurring local window, e.g. Mondays 10:00–12:00 in the owner's zone, on every matching date."""

    WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"),
                (5, "Saturday"), (6, "Sunday")]

    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    start_time = models.TimeField()
    end_time = models.TimeField()
    effective_from = models.DateField(null=True, blank=True)
    effective_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            _one_owner("weeklyrule_one_owner"),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="weeklyrule_end_after_start"),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="weeklyrule_weekday_range"),
            models.CheckConstraint(
                condition=Q(effective_from__isnull=True) | Q(effective_until__isnull=True)
                | Q(effective_until__gte=F("effective_from")),
                name="weeklyrule_effective_order",
            ),
            _no_overlapping_rules("unit"),
            _no_overlapping_rules("agent"),
        ]
        indexes = [
            # The slot loader reads every rule of a unit and of its assigned agents.
            models.Index(fields=["unit", "weekday"], name="weeklyrule_unit"),
            models.Index(fields=["agent", "weekday"], name="weeklyrule_agent"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        errors = self.owner_errors()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = "End time must be after the start time."
        if self.effective_from and self.effective_until and self.effective_until < self.effective_from:
            errors["effective_until"] = "“Effective until” must be on or after “effective from”."
        if not errors and self.start_time and self.end_time and self.weekday is not None:
            clash = self.overlapping_rules().first()
            if clash:
                errors["start_time"] = (
                    f"Overlaps the existing {clash} rule; change the times or edit that rule instead."
                )
        if errors:
            raise ValidationError(errors)

    def overlaps(self, other):
        """Same weekday, overlapping hours and overlapping effective periods (used for unsaved siblings)."""
        if self.weekday != other.weekday or not (self.start_time < other.end_time and other.start_time < self.end_time):
            return False
        starts_after = self.effective_from and other.effective_until and self.effective_from > other.effective_until
        ends_before = self.effective_until and other.effective_from and self.effective_until < other.effective_from
        return not (starts_after or ends_before)

    def overlapping_rules(self):
        owner = self.owner_filter()
        if owner is None:
            return WeeklyRule.objects.none()
        others = WeeklyRule.objects.filter(
            weekday=self.weekday, start_time__lt=self.end_time, end_time__gt=self.start_time, **owner
        ).exclude(pk=self.pk)
        # Rules whose effective periods never meet do not overlap.
        if self.effective_until:
            others = others.filter(Q(effective_from__isnull=True) | Q(effective_from__lte=self.effective_until))
        if self.effective_from:
            others = others.filter(Q(effective_until__isnull=True) | Q(effective_until__gte=self.effective_from))
        return others


class DateOverride(OwnedByUnitOrAgent):
    """For one local date: either the day is closed, or its rows replace the weekly windows."""

    date = models.DateField()
    closed = models.BooleanField(default=False, help_text="Closed all day (no times).")
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            _one_owner("dateoverride_one_owner"),
            models.CheckConstraint(
                condition=Q(closed=True, start_time__isnull=True, end_time__isnull=True)
                | Q(closed=False, start_time__isnull=False, end_time__isnull=False, end_time__gt=F("start_time")),
                name="dateoverride_closed_or_window",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "date"], name="dateoverride_unit"),
            models.Index(fields=["agent", "date"], name="dateoverride_agent"),
        ]

    def __str__(self):
        if self.closed:
            return f"{self.date:%Y-%m-%d} closed"
        return f"{self.date:%Y-%m-%d} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        errors = self.owner_errors()
        owner = self.owner_filter()
        same_day = (
            DateOverride.objects.filter(date=self.date, **owner).exclude(pk=self.pk)
            if owner else DateOverride.objects.none()
        )
        if self.closed:
            if self.start_time or self.end_time:
                errors["closed"] = "A closed day has no times; clear the times or untick “closed”."
            elif self.date and same_day.exists():
                errors["closed"] = "This date already has override windows; delete them before closing the day."
        else:
            if not self.start_time:
                errors["start_time"] = "Give a start time, or tick “closed”."
            if not self.end_time:
                errors["end_time"] = "Give an end time, or tick “closed”."
            if self.start_time and self.end_time and self.end_time <= self.start_time:
                errors["end_time"] = "End time must be after the start time."
            if not errors and self.date:
                if same_day.filter(closed=True).exists():
                    errors["date"] = "This date is already closed; delete that override first."
                elif same_day.filter(start_time__lt=self.end_time, end_time__gt=self.start_time).exists():
                    errors["start_time"] = "Overlaps another override window on this date."
        if errors:
            raise ValidationError(errors)


    def overlaps(self, other):
        if self.date != other.date:
            return False
        if self.closed or other.closed:
            return True
        return self.start_time < other.end_time and other.start_time < self.end_time


class AvailabilityBlock(OwnedByUnitOrAgent):
    """A one-off unavailable range (holiday, personal time), stored as instants."""

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            _one_owner("block_one_owner"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="block_end_after_start"),
        ]
        indexes = [
            # The loader reads blocks that end after now for one unit and its agents.
            models.Index(fields=["unit", "ends_at"], name="block_unit_ends"),
            models.Index(fields=["agent", "ends_at"], name="block_agent_ends"),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M} {self.reason}".strip()

    def clean(self):
        errors = self.owner_errors()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The block must end after it starts."
        if errors:
            raise ValidationError(errors)


LIVE_STATUSES = ("pending", "confirmed", "reschedule_requested")
ALL_STATUSES = (*LIVE_STATUSES, "cancelled", "completed", "no_show")


class Showing(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CONFIRMED = "confirmed", "Confirmed"
        RESCHEDULE_REQUESTED = "reschedule_requested", "Reschedule requested"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"
        NO_SHOW = "no_show", "No show"

    class Source(models.TextChoices):
        LEAD_SELECTION = "lead_selection", "Lead selection"
        AGENT = "agent", "Agent"
        ADMIN = "admin", "Admin"

    LIVE_STATUSES = LIVE_STATUSES

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="showings")
    agent = models.ForeignKey(AgentProfile, on_delete=models.PROTECT, related_name="showings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The unit's zone when booked: how the time was offered to the lead.
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(max_length=200, unique=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    lead_name = models.CharField(max_length=200, blank=True)
    lead_contact = models.CharField(max_length=200, blank=True)
    # Why this agent: the unit window, assignment (id, priority) and agent window of the slot.
    slot_source = models.JSONField(default=dict, blank=True)
    # Hash of what was asked for, so a replayed key with a different request is refused.
    request_fingerprint = models.CharField(max_length=64, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="showing_end_after_start"),
            models.CheckConstraint(
                condition=Q(status__in=ALL_STATUSES), name="showing_status_valid"
            ),
            ExclusionConstraint(
                name="showing_no_agent_double_booking",
                index_type="GIST",
                expressions=[
                    (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("agent", RangeOperators.EQUAL),
                    ("unit", RangeOperators.NOT_EQUAL),
                ],
                condition=Q(status__in=LIVE_STATUSES),
                violation_error_message="The agent already has a live showing of another unit at this time.",
            ),
        ]
        indexes = [
            # Slot loader: an agent's live showings that end after now (conflicts and daily caps).
            models.Index(
                fields=["agent", "ends_at"], name="showing_agent_live_ends",
                condition=Q(status__in=LIVE_STATUSES),
            ),
            # Group capacity: live showings of one unit at one start time.
            models.Index(
                fields=["unit", "starts_at"], name="showing_unit_live_starts",
                condition=Q(status__in=LIVE_STATUSES),
            ),
            # "My showings": an agent's showings by start time, any status.
            models.Index(fields=["agent", "starts_at"], name="showing_agent_starts"),
        ]

    def __str__(self):
        return f"{self.unit} {self.starts_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def is_live(self):
        return self.status in self.LIVE_STATUSES
