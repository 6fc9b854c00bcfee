import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leasebot import clock, invitations, navigation
from leasebot.forms import AcceptInvitationForm, InvitationForm
from leasebot.models import Invitation
from leasebot.roles import admin_required, agent_required


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect(navigation.landing_url(request.user))


def lockout_response(request, credentials=None, *args, **kwargs):
    return render(request, "registration/locked_out.html", status=429)


def _check_db():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


@require_GET
def healthz(request):
    result = {}
    for name, probe in (("db", _check_db), ("redis", _check_redis)):
        try:
            probe()
            result[name] = "ok"
        except Exception as error:  # noqa: BLE001  (any failure means "down"; the class name says why)
            result[name] = f"error: {type(error).__name__}"
    status = 200 if all(value == "ok" for value in result.values()) else 503
    return JsonResponse(result, status=status)


@agent_required
def agent_home(request):
    return render(request, "leasebot/agent_home.html", {"profile": getattr(request.user, "agent_profile", None)})


@admin_required
@require_http_methods(["GET", "POST"])
def invitation_list(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = invitations.invite(invited_by=request.user, **form.cleaned_data)
        except invitations.InvitationError:
            form.add_error("email", "A user with this email address already exists.")
        else:
            messages.success(request, f"Invitation sent to {issued.invitation.email}.")
            return redirect("invitations")
    rows = [(inv, inv.status_at(clock.now())) for inv in Invitation.objects.select_related("invited_by")[:200]]
    template = "leasebot/_invitation_rows.html" if request.htmx and request.method == "GET" else "leasebot/invitations.html"
    return render(request, template, {"form": form, "rows": rows}, status=400 if form.errors else 200)


@admin_required
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        invitations.revoke(invitation.pk, by=request.user)
        messages.success(request, f"Invitation for {invitation.email} revoked.")
    except invitations.InvitationError as error:
        messages.error(request, f"This invitation is already {error.code}.")
    return redirect("invitations")


INVALID_LINK_MESSAGES = {
    "unknown": ("This invitation link is not valid", "Check that you copied the whole link, or ask an admin for a new invitation."),
    "expired": ("This invitation has expired", "Ask an admin to invite you again."),
    "used": ("This invitation was already used", "Sign in with the password you chose, or reset it with an admin."),
    "revoked": ("This invitation was withdrawn", "Ask an admin for a new invitation if you still need access."),
}


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    try:
        invitation = invitations.find_usable(token)
    except invitations.InvitationError as error:
        title, hint = INVALID_LINK_MESSAGES[error.code]
        return render(request, "leasebot/invitation_invalid.html", {"title": title, "hint": hint}, status=410 if error.code != "unknown" else 404)
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept(
                token,
                password=form.cleaned_data["password1"],
                timezone_name=form.cleaned_data.get("timezone", ""),
                phone=form.cleaned_data.get("phone", ""),
            )
        except invitations.InvitationError as error:
            title, hint = INVALID_LINK_MESSAGES.get(error.code, INVALID_LINK_MESSAGES["unknown"])
            return render(request, "leasebot/invitation_invalid.html", {"title": title, "hint": hint}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to lease-bot.")
        return redirect("home")
    return render(request, "leasebot/invitation_accept.html", {"form": form, "invitation": invitation}, status=400 if form.errors else 200)
