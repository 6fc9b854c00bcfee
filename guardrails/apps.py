from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_builtin_rules(sender, **kwargs):
    from guardrails.policy import sync_builtin_rules

    sync_builtin_rules()


class GuardrailsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guardrails"

    def ready(self):
        # The admin's list of built-in rules is refreshed after every migrate (and when it is opened).
        post_migrate.connect(_sync_builtin_rules, sender=self, dispatch_uid="guardrails_sync_builtin_rules")
