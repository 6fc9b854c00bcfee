"""Invitations: the only way a user joins (there is no public sign-up)."""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from leasebot import audit, clock
from leasebot.models import Invitation, hash_token


class InvitationError(Exception):
    """The link cannot be used; `code` picks the page the invitee sees."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    raw_token: str
    url: str


def invite(*, email, name, role, invited_by):
    email = email.strip().lower()
    if get_user_model().objects.filter(email__iexact=email, is_active=True).exists():
        raise InvitationError("already_member")
    raw_token = secrets.token_urlsafe(32)
    now = clock.now()
    with transaction.atomic():
        for earlier in Invitation.objects.select_for_update().filter(
            email=email, accepted_at__isnull=True, revoked_at__isnull=True
        ):
            _revoke(earlier, by=invited_by, reason="reinvited")
        invitation = Invitation.objects.create(
            email=email,
            name=name.strip(),
            role=role,
            token_hash=hash_token(raw_token),
            invited_by=invited_by,
            created_at=now,
            expires_at=now + dt.timedelta(hours=settings.LEASEBOT_INVITATION_TTL_HOURS),
        )
        audit.record("invitation_created", actor=invited_by, entity=invitation, details={"role": role})
    url = settings.LEASEBOT_BASE_URL.rstrip("/") + reverse("invitation_accept", args=[raw_token])
    send_mail(
        subject="You're invited to lease-bot",
        message=(
            f"Hello {invitation.name},\n\nYou have been invited to lease-bot as {invitation.get_role_display()}.\n"
            f"Set your password here (the link works once and expires {invitation.expires_at:%Y-%m-%d %H:%M} UTC):\n\n"
            f"{url}\n"
        ),
        from_email=None,
        recipient_list=[email],
    )
    return IssuedInvitation(invitation, raw_token, url)


def _revoke(invitation, *, by, reason):
    invitation.revoked_at = clock.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record("invitation_revoked", actor=by, entity=invitation, details={"reason_code": reason})


def revoke(invitation_id, *, by):
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
        if invitation.status_at(clock.now()) != "pending":
            raise InvitationError(invitation.status_at(clock.now()))
        _revoke(invitation, by=by, reason="revoked_by_admin")
    return invitation


def find_usable(raw_token):
    """The pending invitation for a token, or InvitationError naming why not."""
    invitation = Invitation.objects.filter(token_hash=hash_token(raw_token or "")).first()
    if invitation is None:
        raise InvitationError("unknown")
    status = invitation.status_at(clock.now())
    if status != "pending":
        raise InvitationError({"accepted": "used"}.get(status, status))
    return invitation


def accept(raw_token, *, password, timezone_name="", phone=""):
    from scheduling.agents import create_agent_profile

    with transaction.atomic():
        invitation = find_usable(raw_token)
        # Lock and re-read: two tabs submitting the same link must not create two users.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status_at(clock.now()) != "pending":
            raise InvitationError("used")
        user = _activate_user(invitation, password)
        if invitation.role == Invitation.Role.AGENT:
            create_agent_profile(user, display_name=invitation.name, timezone=timezone_name, phone=phone)
        invitation.accepted_at = clock.now()
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user"])
        audit.record("invitation_accepted", actor=user, entity=invitation, details={"role": invitation.role})
    return user


def _activate_user(invitation, password):
    User = get_user_model()
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User(username=_free_username(invitation.email), email=invitation.email)
    first, _, last = invitation.name.partition(" ")
    user.first_name, user.last_name = first[:150], last[:150]
    user.is_active = True
    # Admins run Django admin, which needs staff status; the role group stays the source of truth.
    user.is_staff = user.is_superuser = invitation.role == Invitation.Role.ADMIN
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=invitation.role))
    return user


def _free_username(email):
    User = get_user_model()
    base = email[:140]
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate
