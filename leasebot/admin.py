from django.contrib import admin

from leasebot.models import AuditEvent, Invitation


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "action", "actor_kind", "actor_label", "platform", "agent_id", "conversation_id", "entity_type", "entity_id")
    list_filter = ("action", "platform", "agent_id", ("occurred_at", admin.DateFieldListFilter), "actor_kind")
    search_fields = ("action", "entity_id", "actor_label")
    date_hierarchy = "occurred_at"
    list_per_page = 100
    # Read-only: audit events are evidence.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "role", "created_at", "expires_at", "accepted_at", "revoked_at")
    list_filter = ("role",)
    search_fields = ("email", "name")
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        # Invitations are created from the Invitations page so the email and token are handled once.
        return False

    def has_change_permission(self, request, obj=None):
        return False
