"""Platform health in the Django admin: session state, breakers, run records and dispatch attempts."""

from django.contrib import admin, messages

from ingest import resilience
from ingest.models import AccountState, CircuitBreaker, DispatchAttempt, IngestRun


@admin.register(AccountState)
class AccountStateAdmin(admin.ModelAdmin):
    list_display = ("account", "needs_login", "needs_login_reason", "disabled_reason", "last_ingest_ok_at",
                    "last_send_ok_at", "last_error_code", "last_error_at", "circuits", "sends_today")
    list_filter = ("needs_login", "account__platform")
    readonly_fields = ("account", "needs_login", "needs_login_reason", "needs_login_at", "disabled_at",
                       "last_ingest_ok_at", "last_send_ok_at", "last_listing_sync_at", "last_error_code",
                       "last_error_at", "last_alert_at", "last_alert_code", "last_action_at", "next_action_at",
                       "sends_today", "sends_date", "updated_at")
    fields = ("account", "needs_login", "needs_login_reason", "needs_login_at", "disabled_reason", "disabled_at",
              "last_ingest_ok_at", "last_send_ok_at", "last_listing_sync_at", "last_error_code", "last_error_at",
              "last_alert_at", "last_alert_code", "min_interval_seconds", "jitter_seconds", "daily_send_cap",
              "last_action_at", "next_action_at", "sends_today", "sends_date", "updated_at")
    actions = ("clear_needs_login", "enable_accounts")

    def has_add_permission(self, request):
        return False

    @admin.display(description="circuits")
    def circuits(self, state):
        breakers = CircuitBreaker.objects.filter(account_id=state.account_id).order_by("action")
        return ", ".join(f"{b.action}: {b.state}" for b in breakers) or "closed"

    @admin.action(description="Mark logged in again (resume ingest and dispatch)")
    def clear_needs_login(self, request, queryset):
        done = sum(resilience.clear_needs_login(state.account, by=request.user, cause="admin") for state in queryset)
        self.message_user(request, f"{done} account(s) resumed.", messages.SUCCESS)

    @admin.action(description="Clear the disabled reason (let lease-bot contact the platform again)")
    def enable_accounts(self, request, queryset):
        done = sum(resilience.clear_disabled(state.account, user=request.user) for state in queryset)
        self.message_user(request, f"{done} account(s) enabled.", messages.SUCCESS)


@admin.register(CircuitBreaker)
class CircuitBreakerAdmin(admin.ModelAdmin):
    list_display = ("account", "action", "state", "consecutive_failures", "opened_at", "last_error_code")
    list_filter = ("state", "action")
    readonly_fields = [f.name for f in CircuitBreaker._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = ("account", "kind", "started_at", "finished_at", "threads_seen", "threads_new", "messages_seen",
                    "messages_new", "listings_seen", "error_code")
    list_filter = ("kind", "error_code", "account__platform")
    readonly_fields = [f.name for f in IngestRun._meta.fields]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DispatchAttempt)
class DispatchAttemptAdmin(admin.ModelAdmin):
    list_display = ("message_id", "account", "worker", "started_at", "finished_at", "outcome", "error_code")
    list_filter = ("outcome", "error_code")
    readonly_fields = [f.name for f in DispatchAttempt._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
