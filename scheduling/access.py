"""Object scope for scheduling pages: agents reach only their own things, admins reach everything.

Anything out of scope is a 404, so an agent cannot even learn that a foreign id exists.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from leasebot import roles
from scheduling.models import AgentProfile, Showing, Unit


def profile_of(user):
    return AgentProfile.objects.filter(user=user).first()


def showings_for(user):
    qs = Showing.objects.select_related("unit", "agent")
    if roles.is_admin(user):
        return qs
    profile = profile_of(user)
    return qs.filter(agent=profile) if profile else qs.none()


def showing_for(user, pk):
    return get_object_or_404(showings_for(user), pk=pk)


def units_for(user):
    if roles.is_admin(user):
        return Unit.objects.all()
    return Unit.objects.filter(assignments__agent__user=user).distinct()


def agent_for(user, agent_id=None):
    """The agent whose availability is being managed: the user's own, or (admins only) any by id."""
    if agent_id is None:
        profile = profile_of(user)
        if profile is None:
            raise Http404("No agent profile.")
        return profile
    if roles.is_admin(user):
        return get_object_or_404(AgentProfile, pk=agent_id)
    profile = profile_of(user)
    if profile is None or profile.pk != int(agent_id):
        raise Http404("Not your availability.")
    return profile


def entry_for(user, kind, pk):
    """An agent-owned availability entry within the user's scope."""
    qs = kind.model.objects.filter(agent__isnull=False).select_related("agent")
    if not roles.is_admin(user):
        qs = qs.filter(agent__user=user)
    return get_object_or_404(qs, pk=pk)
