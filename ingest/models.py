"""What ingest persists: per-account session/health/pacing state, circuit breakers, run records, dispatch
attempts and inbox cursors. Resilience lives here (not in process memory) so every worker sees it."""

from django.db import models
from django.db.models import Q

from conversations.models import PlatformAccount


class AccountState(models.Model):
    """One row per platform account: may we contact it, how is it doing, and how fast may we act."""

    account = models.OneToOneField(PlatformAccount, on_delete=models.CASCADE, related_name="rpa_state")
    needs_login = models.BooleanField(default=False)
    needs_login_reason = models.CharField(max_length=300, blank=True)
    needs_login_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(
        max_length=300, blank=True, help_text="Set when the platform blocked us; clear it to let lease-bot try again."
    )
    disabled_at = models.DateTimeField(null=True, blank=True)
    last_ingest_ok_at = models.DateTimeField(null=True, blank=True)
    last_send_ok_at = models.DateTimeField(null=True, blank=True)
    last_listing_sync_at = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=40, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_alert_at = models.DateTimeField(null=True, blank=True)
    last_alert_code = models.CharField(max_length=40, blank=True)
    # Pacing: the next send may start at `next_action_at` (a reserved slot, so workers queue up behind it).
    last_action_at = models.DateTimeField(null=True, blank=True)
    next_action_at = models.DateTimeField(null=True, blank=True)
    sends_today = models.PositiveIntegerField(default=0)
    sends_date = models.DateField(null=True, blank=True)
    min_interval_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds between sends on this account; empty uses LEASEBOT_RPA_MIN_INTERVAL_SECONDS."
    )
    jitter_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Random extra seconds (0..N) between sends; empty uses LEASEBOT_RPA_JITTER_SECONDS."
    )
    daily_send_cap = models.PositiveIntegerField(
        null=True, blank=True, help_text="Sends per day (platform time zone); empty uses LEASEBOT_RPA_DAILY_SEND_CAP."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "platform health"
        verbose_name_plural = "platform health"

    def __str__(self):
        return f"health of {self.account}"

    @property
    def paused_reason(self):
        """Why lease-bot must not contact this account now ("" when it may)."""
        if self.disabled_reason:
            return f"disabled: {self.disabled_reason}"
        if self.needs_login:
            return f"needs login: {self.needs_login_reason}"
        return ""


class CircuitBreaker(models.Model):
    class State(models.TextChoices):
        CLOSED = "closed", "Closed"
        OPEN = "open", "Open"
        HALF_OPEN = "half_open", "Half open (one trial allowed)"

    class Action(models.TextChoices):
        INGEST = "ingest", "Ingest"
        SEND = "send", "Send"
        LISTINGS = "listings", "Listing sync"

    account = models.ForeignKey(PlatformAccount, on_delete=models.CASCADE, related_name="rpa_circuits")
    action = models.CharField(max_length=10, choices=Action.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CLOSED)
    consecutive_failures = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    trial_started_at = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["account", "action"]
        constraints = [
            models.UniqueConstraint(fields=["account", "action"], name="rpa_circuit_unique_action"),
            models.CheckConstraint(condition=Q(state="closed") | Q(opened_at__isnull=False), name="rpa_circuit_open_has_time"),
        ]

    def __str__(self):
        return f"{self.account} {self.action}: {self.state}"


class IngestRun(models.Model):
    class Kind(models.TextChoices):
        INGEST = "ingest", "Inbox ingest"
        LISTINGS = "listings", "Listing sync"

    account = models.ForeignKey(PlatformAccount, on_delete=models.CASCADE, related_name="ingest_runs")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INGEST)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    threads_seen = models.PositiveIntegerField(default=0)
    threads_new = models.PositiveIntegerField(default=0)
    messages_seen = models.PositiveIntegerField(default=0)
    messages_new = models.PositiveIntegerField(default=0)
    listings_seen = models.PositiveIntegerField(default=0)
    listings_new = models.PositiveIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    error_detail = models.CharField(max_length=500, blank=True)
    worker = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["account", "kind", "-started_at"], name="ingest_run_recent")]

    def __str__(self):
        return f"{self.kind} {self.account} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def ok(self):
        return self.finished_at is not None and not self.error_code


class DispatchAttempt(models.Model):
    """One try at sending one outbound message (the message row holds the lifecycle; this is the trail)."""

    class Outcome(models.TextChoices):
        SENT = "sent", "Sent"
        RECOVERED = "recovered", "Found already sent"
        REJECTED = "rejected", "Rejected at dispatch"
        FAILED = "failed", "Failed"

    account = models.ForeignKey(PlatformAccount, on_delete=models.CASCADE, related_name="dispatch_attempts")
    message_id = models.BigIntegerField(db_index=True)
    worker = models.CharField(max_length=120, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    error_code = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["account", "-started_at"], name="dispatch_attempt_recent")]

    def __str__(self):
        return f"message {self.message_id} {self.outcome or 'in progress'}"


class ThreadCursor(models.Model):
    """What the inbox row of a thread looked like when we last read the thread: unchanged rows are skipped."""

    account = models.ForeignKey(PlatformAccount, on_delete=models.CASCADE, related_name="thread_cursors")
    external_thread_id = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "external_thread_id"], name="thread_cursor_unique"),
        ]

    def __str__(self):
        return f"{self.account_id}:{self.external_thread_id}"
