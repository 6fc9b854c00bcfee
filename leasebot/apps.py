from django.apps import AppConfig


class LeasebotConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "leasebot"
    verbose_name = "lease-bot"

    def ready(self):
        from leasebot import checks, signals  # noqa: F401  (registers checks and receivers)
