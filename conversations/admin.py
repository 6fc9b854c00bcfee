from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html

from conversations import outbox, templating
from conversations.models import Conversation, Listing, Message, PlatformAccount, ReplyRule, ReplyTemplate

WORKFLOW_FIELDS = (
    "workflow_state", "workflow_outcome", "showing_state", "follow_up_stage", "follow_up_due_at", "follow_up_owner",
    "follow_up_status", "human_required", "human_reason_code", "human_queued_at", "human_resolved_at",
    "human_resolved_by", "resume_outcome", "opted_out", "current_showing",
)
SAMPLE_CONTEXT = {
    "lead_name": "Sam", "listing_title": "Sunny room near the park", "unit": "410 Ocean Ave #2F", "rent": "$1,425",
    "available_on": "Feb 1", "agent_name": "Alex", "slots": "Sat Jan 9, 10:00 AM; Sun Jan 10, 4:00 PM",
    "showing_time": "Sat Jan 9, 10:00 AM",
}
# "spareroom.example" typed without a scheme reads as https, as Django 6 does by default (5.2 warns otherwise).
URLS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(PlatformAccount)
class PlatformAccountAdmin(admin.ModelAdmin):
    list_display = ("name", "platform", "active", "send_mode", "base_url")
    list_filter = ("platform", "active", "send_mode")
    search_fields = ("name", "external_account_id")
    formfield_overrides = URLS_ASSUME_HTTPS


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ("title", "account", "unit", "external_listing_id", "status", "rent_cents", "available_on")
    list_filter = ("account__platform", "status")
    search_fields = ("title", "external_listing_id", "url")
    readonly_fields = ("normalized_title", "synced_at")
    raw_id_fields = ("unit",)
    formfield_overrides = URLS_ASSUME_HTTPS


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "account", "assigned_agent", "workflow_state", "workflow_outcome", "human_required", "linkage", "last_message_at")
    list_filter = ("account__platform", "workflow_state", "workflow_outcome", "human_required", "linkage")
    search_fields = ("lead_name", "thread_label", "external_thread_id")
    # Workflow fields change only through conversations.workflow (the inbox actions call it).
    readonly_fields = WORKFLOW_FIELDS + ("account", "external_thread_id", "linkage", "last_message_at", "listing_external_ref", "listing_url_ref", "listing_title_ref")
    raw_id_fields = ("listing", "unit", "assigned_agent")

    def has_add_permission(self, request):
        return False


@admin.action(description="Re-queue selected dead letters")
def requeue_dead_letters(modeladmin, request, queryset):
    done = 0
    for message in queryset.filter(status=Message.Status.DEAD):
        try:
            outbox.requeue_dead(message, user=request.user)
            done += 1
        except outbox.OutboxError as error:
            messages.error(request, f"Message {message.pk}: {error}")
    messages.success(request, f"Re-queued {done} message(s).")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("pk", "conversation", "direction", "sender", "status", "attempts", "last_error", "sent_at")
    list_filter = ("status", "direction", "sender", "conversation__account__platform")
    search_fields = ("external_message_id", "conversation__lead_name")
    actions = [requeue_dead_letters]
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "locale", "account")
    readonly_fields = ("preview",)

    @admin.display(description="Preview with sample data")
    def preview(self, obj):
        if not obj or not obj.body:
            return "Save to see a preview."
        return format_html('<div style="white-space:pre-wrap">{}</div>', templating.render(obj.body, SAMPLE_CONTEXT))


@admin.register(ReplyRule)
class ReplyRuleAdmin(admin.ModelAdmin):
    list_display = ("intent", "account", "template", "auto_reply", "active")
    list_filter = ("auto_reply", "active")


@admin.action(description="Re-triage selected inbound messages")
def retriage_messages(modeladmin, request, queryset):
    from conversations.triage import pipeline

    done = 0
    for message in queryset.filter(direction=Message.Direction.INBOUND):
        try:
            pipeline.retriage(message, user=request.user)
            done += 1
        except ValueError as error:
            messages.error(request, f"Message {message.pk}: {error}")
    messages.success(request, f"Queued {done} message(s) for triage again.")


MessageAdmin.actions = [*MessageAdmin.actions, retriage_messages]
