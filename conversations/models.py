import re
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from leasebot import clock
from scheduling.models import AgentProfile, Showing, Unit

PLATFORMS = (
    ("spareroom", "SpareRoom"),
    ("roomies", "Roomies"),
    ("leasebreak", "Leasebreak"),
    ("renthop", "RentHop"),
    ("furnishedfinder", "FurnishedFinder"),
)
CREDENTIAL_REF_RE = re.compile(r"^(env:[A-Z_][A-Z0-9_]*|file:/\S+)$")
OVERRIDE_KEYS = {"paths", "selectors"}


def validate_credential_ref(value):
    """Only a reference may be stored; anything else is refused so a secret never lands in the database."""
    if value and not CREDENTIAL_REF_RE.match(value):
        raise ValidationError(
            "Store a reference, not a secret: env:VARIABLE_NAME (upper case) or file:/absolute/path.",
            code="credential_not_reference",
        )


def validate_overrides(value):
    if value in (None, ""):
        return
    if not isinstance(value, dict) or set(value) - OVERRIDE_KEYS:
        raise ValidationError('Overrides must be an object with only "paths" and "selectors".')
    for key, section in value.items():
        if not isinstance(section, dict):
            raise ValidationError(f'"{key}" must be an object of name → value or list of values.')
        for name, entry in section.items():
            entries = entry if isinstance(entry, list) else [entry]
            if not entries or not all(isinstance(e, str) and e.strip() for e in entries):
                raise ValidationError(f'"{key}.{name}" must be a non-empty string or a list of them.')


class PlatformAccount(models.Model):
    class SendMode(models.TextChoices):
        INHERIT = "inherit", "Inherit the global default (draft only)"
        AUTO_SEND = "auto_send", "Send automatically"
        DRAFT_ONLY = "draft_only", "Drafts only"

    platform = models.CharField(max_length=20, choices=PLATFORMS)
    name = models.CharField(max_length=120)
    external_account_id = models.CharField(max_length=120, blank=True)
    active = models.BooleanField(default=True)
    send_mode = models.CharField(max_length=12, choices=SendMode.choices, default=SendMode.INHERIT)
    base_url = models.URLField(blank=True, help_text="Leave empty for the platform's public site.")
    storage_state_ref = models.CharField(
        max_length=300, blank=True, validators=[validate_credential_ref],
        help_text="Playwright storage state: env:NAME or file:/path.",
    )
    profile_dir_ref = models.CharField(
        max_length=300, blank=True, validators=[validate_credential_ref],
        help_text="Persistent browser profile (for sites keeping auth in IndexedDB): env:NAME or file:/path.",
    )
    headless = models.BooleanField(default=True)
    user_agent = models.CharField(max_length=300, blank=True)
    locale = models.CharField(max_length=20, blank=True, default="en-US")
    browser_timezone = models.CharField(max_length=64, blank=True, default="America/New_York")
    overrides = models.JSONField(default=dict, blank=True, validators=[validate_overrides])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "name"], name="platform_account_unique_name"),
        ]

    def __str__(self):
        return f"{self.get_platform_display()}: {self.name}"

    def effective_send_mode(self):
        return self.SendMode.DRAFT_ONLY if self.send_mode == self.SendMode.INHERIT else self.send_mode


class Listing(models.Model):
    account = models.ForeignKey(PlatformAccount, on_delete=models.CASCADE, related_name="listings")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="listings")
    external_listing_id = models.CharField(max_length=120, blank=True)
    url = models.URLField(max_length=500, blank=True)
    title = models.CharField(max_length=300)
    # Lower-cased, punctuation-folded title: linkage matches threads to listings by it.
    normalized_title = models.CharField(max_length=300, blank=True, db_index=True)
    status = models.CharField(max_length=40, blank=True, default="active")
    rent_cents = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    available_on = models.DateField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "external_listing_id"],
                condition=~Q(external_listing_id=""),
                name="listing_unique_external_id",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from conversations.linkage import normalize_title

        self.normalized_title = normalize_title(self.title)
        super().save(*args, **kwargs)


class WorkflowState(models.TextChoices):
    LEAD = "lead", "Lead"
    SHOWING = "showing", "Showing"
    FOLLOW_UP_1 = "follow_up_1", "Follow-up 1"
    FOLLOW_UP_2 = "follow_up_2", "Follow-up 2"
    OUTCOME = "outcome", "Outcome"


class Outcome(models.TextChoices):
    NOT_INTERESTED = "not_interested", "Not interested"
    WANTS_RESCHEDULE = "wants_reschedule", "Wants reschedule"
    NO_REPLY = "no_reply", "No reply"
    SHOWING_CONFIRMED = "showing_confirmed", "Showing confirmed"
    GENERAL_QUESTION = "general_question", "General question"
    HUMAN_REQUIRED = "human_required", "Human required"
    NO_SHOW = "no_show", "No show"
    COMPLETED = "completed", "Completed"


class FollowUpStatus(models.TextChoices):
    NONE = "none", "None"
    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Conversation(models.Model):
    class Linkage(models.TextChoices):
        RESOLVED = "resolved", "Resolved"
        UNRESOLVED = "linkage_unresolved", "Unresolved"

    account = models.ForeignKey(PlatformAccount, on_delete=models.PROTECT, related_name="conversations")
    external_thread_id = models.CharField(max_length=200)
    listing = models.ForeignKey(Listing, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations")
    assigned_agent = models.ForeignKey(
        AgentProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    lead_name = models.CharField(max_length=200, blank=True)
    lead_contact = models.CharField(max_length=200, blank=True)
    thread_label = models.CharField(max_length=300, blank=True)
    # What the platform said about the listing, kept so a later listing sync can link the thread.
    listing_external_ref = models.CharField(max_length=120, blank=True)
    listing_url_ref = models.CharField(max_length=500, blank=True)
    listing_title_ref = models.CharField(max_length=300, blank=True)
    linkage = models.CharField(max_length=20, choices=Linkage.choices, default=Linkage.UNRESOLVED)
    # Never null (starts at creation): the inbox's keyset cursor orders by it.
    last_message_at = models.DateTimeField(default=clock.now)
    opted_out = models.BooleanField(default=False)
    current_showing = models.ForeignKey(
        Showing, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    # Workflow fields: written only by conversations.workflow (check constraints keep them coherent).
    workflow_state = models.CharField(max_length=12, choices=WorkflowState.choices, default=WorkflowState.LEAD)
    workflow_outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    showing_state = models.CharField(max_length=24, blank=True)
    follow_up_stage = models.PositiveSmallIntegerField(default=0)
    follow_up_due_at = models.DateTimeField(null=True, blank=True)
    follow_up_owner = models.ForeignKey(
        AgentProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    follow_up_status = models.CharField(max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.NONE)
    human_required = models.BooleanField(default=False)
    human_reason_code = models.CharField(max_length=60, blank=True)
    human_queued_at = models.DateTimeField(null=True, blank=True)
    human_resolved_at = models.DateTimeField(null=True, blank=True)
    human_resolved_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The outcome to restore when the human item is resolved (human_required is a queue, not an end).
    resume_outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "external_thread_id"], name="conversation_unique_thread"),
            models.CheckConstraint(condition=Q(follow_up_stage__lte=2), name="conv_follow_up_stage_range"),
            # A pending follow-up needs a due time and an owner.
            models.CheckConstraint(
                condition=~Q(follow_up_status="pending")
                | Q(follow_up_due_at__isnull=False, follow_up_owner__isnull=False),
                name="conv_pending_follow_up_complete",
            ),
            models.CheckConstraint(
                condition=~Q(workflow_state="follow_up_1") | Q(follow_up_stage=1), name="conv_follow_up_1_stage"
            ),
            models.CheckConstraint(
                condition=~Q(workflow_state="follow_up_2") | Q(follow_up_stage=2), name="conv_follow_up_2_stage"
            ),
            models.CheckConstraint(
                condition=~Q(workflow_state="outcome") | ~Q(workflow_outcome=""), name="conv_outcome_named"
            ),
            models.CheckConstraint(
                condition=~Q(human_required=True) | Q(human_queued_at__isnull=False, human_reason_code__gt=""),
                name="conv_human_required_queued",
            ),
            models.CheckConstraint(
                condition=Q(human_required=False) | Q(workflow_outcome="human_required"),
                name="conv_human_required_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(workflow_outcome="showing_confirmed") | Q(current_showing__isnull=False),
                name="conv_confirmed_has_showing",
            ),
        ]
        indexes = [
            # Inbox lists: newest first per agent and overall, with a keyset cursor on (last_message_at, id).
            models.Index(F("last_message_at").desc(), F("id").desc(), name="conv_inbox_order"),
            models.Index(fields=["assigned_agent", "-last_message_at", "-id"], name="conv_agent_inbox"),
            models.Index(fields=["human_required", "human_queued_at"], name="conv_human_queue"),
            models.Index(fields=["follow_up_status", "follow_up_due_at"], name="conv_follow_up_due"),
            models.Index(fields=["unit", "assigned_agent"], name="conv_unit_agent"),
        ]

    def __str__(self):
        return f"{self.lead_name or 'Lead'} · {self.thread_label or self.external_thread_id}"


class Message(models.Model):
    class Direction(models.TextChoices):
        INBOUND = "inbound", "Inbound"
        OUTBOUND = "outbound", "Outbound"

    class Sender(models.TextChoices):
        LEAD = "lead", "Lead"
        AI = "ai", "lease-bot"
        AGENT = "agent", "Agent"
        SYSTEM = "system", "System"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        DRAFT = "draft", "Draft"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed"
        DEAD = "dead", "Dead letter"

    class TimeSource(models.TextChoices):
        PLATFORM = "platform", "Platform"
        CLOCK = "clock", "Our clock"
        UNPARSEABLE = "unparseable", "Unparseable platform time"

    class TriageState(models.TextChoices):
        NOT_APPLICABLE = "", "Not applicable"
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Claimed"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    sender = models.CharField(max_length=8, choices=Sender.choices)
    sending_agent = models.ForeignKey(
        AgentProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="sent_messages"
    )
    # NULL until the platform confirms it (unique only when set; "" would collide).
    external_message_id = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    body = models.TextField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_at_source = models.CharField(max_length=12, choices=TimeSource.choices, default=TimeSource.CLOCK)
    raw_time_text = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    # Created once with the row, never derived from the body: a retried send carries the same key.
    dispatch_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    offered_slots = models.JSONField(default=list, blank=True)
    guardrail_reasons = models.JSONField(default=list, blank=True)
    reviewed_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    triage_state = models.CharField(max_length=8, choices=TriageState.choices, blank=True, default="")
    triage_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "external_message_id"],
                condition=Q(external_message_id__isnull=False),
                name="message_unique_external_id",
            ),
            models.CheckConstraint(
                condition=Q(direction="inbound", status="received") | Q(direction="outbound") & ~Q(status="received"),
                name="message_status_matches_direction",
            ),
        ]
        indexes = [
            models.Index(fields=["conversation", "sent_at", "id"], name="message_thread_order"),
            # Ops volume figures and hourly series count messages by direction over a time window.
            models.Index(fields=["direction", "sent_at"], name="message_direction_time"),
            # Dispatch claims scan queued rows that are due; the sweep finds stale claims.
            models.Index(fields=["status", "next_attempt_at"], name="message_dispatch_due", condition=Q(direction="outbound")),
            models.Index(fields=["triage_state", "created_at"], name="message_triage_queue", condition=~Q(triage_state="")),
            # The inbox's "Drafts to review" tab and badges look only at drafts.
            models.Index(fields=["conversation"], name="message_drafts", condition=Q(status="draft")),
        ]

    def __str__(self):
        return f"{self.direction} {self.status} #{self.pk}"


class ReplyTemplate(models.Model):
    name = models.SlugField(max_length=80)
    locale = models.CharField(max_length=10, default="en")
    account = models.ForeignKey(
        PlatformAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="templates",
        help_text="Leave empty for a template every account may use.",
    )
    body = models.TextField(help_text="Variables: {{lead_name}}, {{listing_title}}, {{unit}}, {{slots}}, {{rent}}, {{available_on}}, {{showing_time}}, {{agent_name}}.")

    class Meta:
        ordering = ["name", "locale"]
        constraints = [
            models.UniqueConstraint(fields=["name", "locale", "account"], name="template_unique_per_account"),
            models.UniqueConstraint(
                fields=["name", "locale"], condition=Q(account__isnull=True), name="template_unique_global"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.locale})"


class ReplyRule(models.Model):
    """Which intents may be answered automatically, and with which template."""

    intent = models.CharField(max_length=30)
    account = models.ForeignKey(PlatformAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="reply_rules")
    template = models.ForeignKey(ReplyTemplate, on_delete=models.PROTECT, related_name="rules")
    auto_reply = models.BooleanField(default=True, help_text="Off: the reply is always a draft for a human.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["intent"]
        constraints = [
            models.UniqueConstraint(fields=["intent", "account"], name="reply_rule_unique"),
            models.UniqueConstraint(fields=["intent"], condition=Q(account__isnull=True), name="reply_rule_unique_global"),
        ]

    def __str__(self):
        return f"{self.intent} → {self.template}"
