from django.db import migrations

ROLES = ("admin", "agent")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


# The table refuses UPDATE and DELETE at the database level, so no code path (raw SQL, a
# queryset bypass, the admin) can rewrite history. TRUNCATE (test teardown) is not a row event.
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION leasebot_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER leasebot_auditevent_append_only
  BEFORE UPDATE OR DELETE ON leasebot_auditevent
  FOR EACH ROW EXECUTE FUNCTION leasebot_audit_append_only();
"""
DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS leasebot_auditevent_append_only ON leasebot_auditevent;
DROP FUNCTION IF EXISTS leasebot_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("leasebot", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles),
        migrations.RunSQL(APPEND_ONLY, DROP_APPEND_ONLY),
    ]
