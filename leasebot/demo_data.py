"""Demo users. Each app adds its own demo rows in `<app>/demo.py: seed(stdout)`; this module runs them in order."""

import importlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured

from scheduling.agents import create_agent_profile

ADMIN = ("admin", "leasebot-admin-demo", "Ada Admin")
AGENTS = (
    ("alex", "leasebot-agent-demo", "Alex Rivera", "America/New_York"),
    ("sam", "leasebot-agent-demo", "Sam Chen", "America/Chicago"),
)
APP_SEEDS = ("guardrails.demo", "scheduling.demo", "conversations.demo", "ingest.demo")


def _user(username, password, name, role):
    User = get_user_model()
    first, _, last = name.partition(" ")
    user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@demo.leasebot.test"})
    user.first_name, user.last_name, user.is_active = first, last, True
    user.is_staff = user.is_superuser = role == "admin"
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def seed(stdout=None):
    if settings.LEASEBOT_ENV not in ("local", "test"):
        raise ImproperlyConfigured("Demo data is only seeded when LEASEBOT_ENV is local or test.")
    _user(*ADMIN, "admin")
    for username, password, name, zone in AGENTS:
        create_agent_profile(_user(username, password, name, "agent"), display_name=name, timezone=zone)
    for module_name in APP_SEEDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        module.seed(stdout)


def logins():
    return [("admin", ADMIN[0], ADMIN[1])] + [("agent", a[0], a[1]) for a in AGENTS]
