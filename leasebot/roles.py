"""Roles are Django groups; every view asks this module, so no view repeats a role check."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

ADMIN = "admin"
AGENT = "agent"
ROLES = (ADMIN, AGENT)


def has_role(user, role):
    if not user.is_authenticated or not user.is_active:
        return False
    if role == ADMIN and user.is_superuser:
        return True
    # Cached per request object: every page asks several times (navigation, view, template).
    cache = getattr(user, "_leasebot_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._leasebot_groups = cache
    return role in cache


def is_admin(user):
    return has_role(user, ADMIN)


def is_agent(user):
    return has_role(user, AGENT)


def role_of(user):
    if is_admin(user):
        return ADMIN
    if is_agent(user):
        return AGENT
    return None


def role_required(*roles):
    """Anonymous users go to the login page; signed-in users without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_role(request.user, role) for role in roles):
                raise PermissionDenied("Your role does not allow this page.")
            return view(request, *args, **kwargs)

        wrapped.leasebot_roles = roles
        return wrapped

    return decorator


admin_required = role_required(ADMIN)
agent_required = role_required(AGENT)
# Pages agents work on that admins may also open (admins see every agent's items there).
staff_required = role_required(AGENT, ADMIN)
