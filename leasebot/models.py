import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q

from leasebot import clock


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Append-only record of every decision and platform action (a database trigger refuses edits)."""

    class ActorKind(models.TextChoices):
        USER = "user", "User"
        SYSTEM = "system", "System"
        WORKER = "worker", "Worker"

    occurred_at = models.DateTimeField(default=clock.now, db_index=True)
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices)
    # No cascade and no FK constraint: deleting a user must not rewrite (or be blocked by) history.
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # A worker id or username at the time, kept even if the user is deleted later.
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80)
    entity_type = models.CharField(max_length=80, blank=True)
    entity_id = models.CharField(max_length=64, blank=True)
    platform = models.CharField(max_length=20, blank=True)
    # The scheduling AgentProfile id (kept as a plain id: the kernel imports no app).
    agent_id = models.BigIntegerField(null=True, blank=True)
    conversation_id = models.BigIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # Ops snapshots count actions over a time window, then slice by platform/agent/conversation.
            models.Index(fields=["action", "occurred_at"], name="audit_action_time"),
            models.Index(fields=["platform", "occurred_at"], name="audit_platform_time"),
            models.Index(fields=["agent_id", "occurred_at"], name="audit_agent_time"),
            models.Index(fields=["conversation_id", "occurred_at"], name="audit_conversation_time"),
            models.Index(fields=["entity_type", "entity_id"], name="audit_entity"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")


def hash_token(raw_token):
    return hashlib.sha256(raw_token.encode()).hexdigest()


class Invitation(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        AGENT = "agent", "Agent"

    email = models.EmailField()
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=10, choices=Role.choices)
    # Only the SHA-256 of the token is stored: a database leak does not leak usable links.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(accepted_at__isnull=False, revoked_at__isnull=False),
                name="invitation_not_both_accepted_and_revoked",
            ),
            # One pending invitation per address: re-inviting revokes the earlier one first.
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.role})"

    def status_at(self, when):
        if self.revoked_at:
            return "revoked"
        if self.accepted_at:
            return "accepted"
        if when >= self.expires_at:
            return "expired"
        return "pending"
