"""Admin-managed guardrail policy: extra blocked/allowed phrases and the jurisdiction switches.

Built-in rules live in code (guardrails/rules.py); `BuiltinRule` is only their documentation row,
synced from code, which admins can annotate but never delete.
"""

from django.db import models

from guardrails import rules


class PolicyPhrase(models.Model):
    class Kind(models.TextChoices):
        BLOCKED = "blocked", "Blocked phrase"
        ALLOWED = "allowed", "Allowed phrase"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BLOCKED)
    category = models.CharField(max_length=20, choices=[(c, c.replace("_", " ")) for c in rules.CATEGORIES])
    phrase = models.CharField(
        max_length=300,
        help_text="Matched as whole words after the same normalisation as replies (case, spacing, "
        "look-alike letters and leetspeak do not matter). An allowed phrase clears built-in findings "
        "that lie entirely inside it.",
    )
    message = models.CharField(
        max_length=300, blank=True, help_text="Shown to the agent when a blocked phrase matches: say what to do instead."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "category", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "phrase"], name="guardrails_phrase_unique_per_kind"),
            models.CheckConstraint(condition=models.Q(kind__in=["blocked", "allowed"]), name="guardrails_phrase_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.phrase}"


class GuardrailSettings(models.Model):
    """The one settings row (pk 1): jurisdiction rules and contact details the team may share."""

    jurisdiction = models.CharField(
        max_length=120, blank=True, default="", help_text="Where the properties are, e.g. “New York City”. For the record only."
    )
    source_of_income_rules = models.BooleanField(
        default=True,
        help_text="Block refusals of vouchers, Section 8 and other lawful sources of income (the law in many states and cities).",
    )
    allowed_phone_numbers = models.TextField(
        blank=True, default="", help_text="The team's own numbers (one a line) that replies may share."
    )
    allowed_emails = models.TextField(
        blank=True, default="", help_text="The team's own e-mail addresses (one a line) that replies may share."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "guardrail settings"
        verbose_name_plural = "guardrail settings"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="guardrails_settings_single_row")]

    def __str__(self):
        return "Guardrail settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        return cls.objects.get_or_create(pk=1)[0]


class BuiltinRule(models.Model):
    """Documentation of one built-in rule id. Synced from code; only `notes` is editable."""

    rule_id = models.CharField(max_length=80, unique=True)
    category = models.CharField(max_length=20)
    message = models.TextField()
    pattern_count = models.PositiveIntegerField(default=1)
    in_code = models.BooleanField(default=True, help_text="False once a release removes this rule id.")
    notes = models.TextField(blank=True, default="", help_text="The team's own documentation for this rule.")
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "rule_id"]

    def __str__(self):
        return self.rule_id
