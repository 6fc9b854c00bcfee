from leasebot import navigation as menu
from leasebot import roles


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": None}
    return {"nav_role": roles.role_of(user), "nav_items": menu.items_for(user)}
