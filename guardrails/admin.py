from django import forms
from django.contrib import admin

from guardrails.models import BuiltinRule, GuardrailSettings, PolicyPhrase
from guardrails.normalize import normalize
from guardrails.policy import sync_builtin_rules


class PolicyPhraseForm(forms.ModelForm):
    class Meta:
        model = PolicyPhrase
        fields = ("kind", "category", "phrase", "message", "active")

    def clean_phrase(self):
        phrase = self.cleaned_data["phrase"].strip()
        if not [w for w in normalize(phrase).split(" ") if w not in ("", "|", ",")]:
            raise forms.ValidationError("The phrase needs at least one word or number.")
        return phrase


@admin.register(PolicyPhrase)
class PolicyPhraseAdmin(admin.ModelAdmin):
    form = PolicyPhraseForm
    list_display = ("phrase", "kind", "category", "active", "message", "updated_at")
    list_filter = ("kind", "category", "active")
    list_editable = ("active",)
    search_fields = ("phrase", "message")
    readonly_fields = ("created_at", "updated_at")


@admin.register(GuardrailSettings)
class GuardrailSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "jurisdiction", "source_of_income_rules", "updated_at")
    readonly_fields = ("updated_at",)

    def has_add_permission(self, request):
        return not GuardrailSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Also removes the bulk "delete selected" action.
        return False


@admin.register(BuiltinRule)
class BuiltinRuleAdmin(admin.ModelAdmin):
    """Built-in rules live in code: listed here for reference, annotatable, never added or deleted."""

    list_display = ("rule_id", "category", "message", "pattern_count", "in_code", "notes")
    list_filter = ("category", "in_code")
    search_fields = ("rule_id", "message", "notes")
    readonly_fields = ("rule_id", "category", "message", "pattern_count", "in_code", "synced_at")
    fields = ("rule_id", "category", "message", "pattern_count", "in_code", "synced_at", "notes")

    def changelist_view(self, request, extra_context=None):
        sync_builtin_rules()
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Also removes the bulk "delete selected" action.
        return False
