from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from scheduling.models import (
    AgentProfile,
    AvailabilityBlock,
    DateOverride,
    Showing,
    Unit,
    UnitAssignment,
    WeeklyRule,
)


class AssignmentInline(admin.TabularInline):
    model = UnitAssignment
    extra = 0
    autocomplete_fields = ["agent"]


class OwnedInlineFormSet(BaseInlineFormSet):
    """Rows added together are all unsaved, so model validation cannot see them clash: check here."""

    def clean(self):
        super().clean()
        kept = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.errors or form.cleaned_data.get("DELETE"):
                continue
            if not form.instance.pk and not form.has_changed():
                continue
            if hasattr(form.instance, "overlaps"):
                clash = next((other for other in kept if form.instance.overlaps(other)), None)
                if clash is not None:
                    form.add_error(None, f"Overlaps {clash} in this form.")
                    continue
            kept.append(form.instance)


class _OwnedInline(admin.TabularInline):
    extra = 0
    formset = OwnedInlineFormSet

    def __init__(self, parent_model, admin_site):
        self.fk_name = "unit" if parent_model is Unit else "agent"
        self.exclude = ["agent"] if parent_model is Unit else ["unit"]
        super().__init__(parent_model, admin_site)


class WeeklyRuleInline(_OwnedInline):
    model = WeeklyRule


class DateOverrideInline(_OwnedInline):
    model = DateOverride


class BlockInline(_OwnedInline):
    model = AvailabilityBlock


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "address", "timezone", "showing_length_minutes", "group_capacity", "active"]
    list_filter = ["active", "timezone"]
    search_fields = ["property_name", "unit_number", "address"]
    inlines = [AssignmentInline, WeeklyRuleInline, DateOverrideInline, BlockInline]
    fieldsets = [
        (None, {"fields": ["property_name", "unit_number", "address", "bedrooms", "bathrooms", "timezone", "active"]}),
        ("Showings", {"fields": ["showing_length_minutes", "group_capacity"]}),
        ("Slot settings (empty = site default)", {
            "fields": ["slot_grid_minutes", "min_notice_minutes", "horizon_days", "buffer_minutes"],
        }),
    ]


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "timezone", "daily_showing_cap", "active"]
    list_filter = ["active", "timezone"]
    search_fields = ["display_name", "user__username", "user__email"]
    inlines = [WeeklyRuleInline, DateOverrideInline, BlockInline]


@admin.register(UnitAssignment)
class UnitAssignmentAdmin(admin.ModelAdmin):
    list_display = ["unit", "agent", "mode", "priority"]
    list_filter = ["mode"]
    search_fields = ["unit__property_name", "unit__unit_number", "agent__display_name"]
    autocomplete_fields = ["unit", "agent"]


class _OwnedAdmin(admin.ModelAdmin):
    list_select_related = ["unit", "agent"]
    autocomplete_fields = ["unit", "agent"]
    list_filter = [("unit", admin.EmptyFieldListFilter), ("agent", admin.EmptyFieldListFilter)]


@admin.register(WeeklyRule)
class WeeklyRuleAdmin(_OwnedAdmin):
    list_display = ["__str__", "unit", "agent", "effective_from", "effective_until"]


@admin.register(DateOverride)
class DateOverrideAdmin(_OwnedAdmin):
    list_display = ["__str__", "unit", "agent"]


@admin.register(AvailabilityBlock)
class AvailabilityBlockAdmin(_OwnedAdmin):
    list_display = ["__str__", "unit", "agent", "reason"]


@admin.register(Showing)
class ShowingAdmin(admin.ModelAdmin):
    """Status changes go through the lifecycle function (the showings page), never a raw edit here."""

    list_display = ["starts_at", "unit", "agent", "status", "source", "lead_name"]
    list_filter = ["status", "source"]
    search_fields = ["lead_name", "unit__property_name", "agent__display_name", "idempotency_key"]
    list_select_related = ["unit", "agent"]
    date_hierarchy = "starts_at"
    readonly_fields = [
        "unit", "agent", "starts_at", "ends_at", "timezone", "status", "idempotency_key", "source",
        "slot_source", "request_fingerprint", "created_at", "updated_at",
    ]
    fields = [*readonly_fields[:8], "lead_name", "lead_contact", "notes", *readonly_fields[8:]]

    def has_add_permission(self, request):
        return False
