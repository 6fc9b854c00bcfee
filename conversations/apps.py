from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conversations"

    def ready(self):
        from conversations.showings import on_showing_status_changed
        from scheduling.signals import showing_status_changed

        showing_status_changed.connect(on_showing_status_changed, dispatch_uid="conversations_mirror_showing")
