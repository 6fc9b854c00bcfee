"""The menu, by role. Entries whose URL is not installed yet are left out, so apps can land in any order."""

from django.urls import NoReverseMatch, reverse

from leasebot import roles

ITEMS = (
    # (label, url name, roles that see it)
    ("Today", "conversations:today", (roles.AGENT,)),
    ("Inbox", "conversations:inbox", (roles.AGENT, roles.ADMIN)),
    ("Showings", "scheduling:showings", (roles.AGENT, roles.ADMIN)),
    ("Availability", "scheduling:availability", (roles.AGENT,)),
    ("Units", "scheduling:units", (roles.ADMIN,)),
    ("Ops", "ops_dashboard", (roles.ADMIN,)),
    ("Invitations", "invitations", (roles.ADMIN,)),
    ("Admin", "admin:index", (roles.ADMIN,)),
)


def items_for(user):
    result = []
    for label, url_name, allowed in ITEMS:
        if not any(roles.has_role(user, role) for role in allowed):
            continue
        try:
            result.append((label, reverse(url_name)))
        except NoReverseMatch:
            continue
    return result


def landing_url(user):
    if roles.is_admin(user):
        return reverse("ops_dashboard")
    for name in ("conversations:inbox", "agent_home"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return reverse("agent_home")
