"""Default reply templates and reply rules for triage (editable in admin afterwards)."""

from django.db import migrations


def install(apps, schema_editor):
    # The data lives in one module so tests that flush tables can re-install exactly the same defaults.
    from conversations.triage import defaults

    defaults.install(apps.get_model("conversations", "ReplyTemplate"), apps.get_model("conversations", "ReplyRule"))


def uninstall(apps, schema_editor):
    from conversations.triage import defaults

    defaults.uninstall(apps.get_model("conversations", "ReplyTemplate"), apps.get_model("conversations", "ReplyRule"))


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
