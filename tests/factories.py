"""Small factories for the models every app's tests need. App-specific factories live beside their tests."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_user(*, username=None, email=None, role=None, password=PASSWORD, **fields):
    n = next(_seq)
    username = username or f"user{n}"
    user = get_user_model().objects.create_user(
        username=username, email=email or f"{username}@example.test", password=password, **fields
    )
    if role:
        # get_or_create: transactional tests flush the tables the data migration filled.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def make_admin(**kwargs):
    return make_user(role="admin", is_staff=True, is_superuser=True, **kwargs)


def make_agent(*, name="Agent", timezone="America/New_York", phone="", **kwargs):
    from scheduling.agents import create_agent_profile

    first, _, last = name.partition(" ")
    user = make_user(role="agent", first_name=first, last_name=last, **kwargs)
    create_agent_profile(user, display_name=name, timezone=timezone, phone=phone)
    return user
