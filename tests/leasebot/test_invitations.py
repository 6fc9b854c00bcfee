import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from leasebot import clock
from leasebot.models import AuditEvent, Invitation

pytestmark = [pytest.mark.web, pytest.mark.django_db]
NEW_PASSWORD = "a-long-enough-passphrase-42"


def invite(client_admin, email="new.agent@example.test", role="agent", name="Nia New"):
    response = client_admin.post(reverse("invitations"), {"email": email, "name": name, "role": role})
    assert response.status_code == 302, response.content
    body = mail.outbox[-1].body
    return re.search(r"/invite/([^/\s]+)/", body).group(1)


def test_it_invites_an_agent_who_sets_a_password_and_gets_a_profile(client_admin, client_class):
    token = invite(client_admin)
    invitation = Invitation.objects.get()
    assert invitation.token_hash != token and token not in invitation.token_hash
    visitor = client_class()
    page = visitor.get(reverse("invitation_accept", args=[token]))
    assert page.status_code == 200 and b"time zone" in page.content
    response = visitor.post(
        reverse("invitation_accept", args=[token]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "timezone": "America/Chicago", "phone": ""},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="new.agent@example.test")
    assert user.is_active and user.groups.filter(name="agent").exists()
    assert user.agent_profile.timezone == "America/Chicago"
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="invitation_accepted").exists()


def test_it_refuses_to_reuse_an_accepted_link(client_admin, client_class):
    token = invite(client_admin, role="admin")
    form = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client_class().post(reverse("invitation_accept", args=[token]), form).status_code == 302
    again = client_class().post(reverse("invitation_accept", args=[token]), form)
    assert again.status_code == 410
    assert b"already used" in again.content


def test_it_refuses_an_expired_link(client_admin, client_class):
    token = invite(client_admin)
    later = clock.now() + dt.timedelta(hours=73)
    with clock.frozen(later):
        response = client_class().get(reverse("invitation_accept", args=[token]))
    assert response.status_code == 410
    assert b"expired" in response.content


def test_it_shows_a_clear_page_for_an_unknown_token(client_class, db):
    response = client_class().get(reverse("invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert b"not valid" in response.content


def test_it_revokes_an_invitation(client_admin, client_class):
    token = invite(client_admin)
    invitation = Invitation.objects.get()
    assert client_admin.post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 302
    response = client_class().get(reverse("invitation_accept", args=[token]))
    assert response.status_code == 410 and b"withdrawn" in response.content


def test_it_revokes_the_earlier_invitation_when_reinviting(client_admin, client_class):
    first = invite(client_admin)
    second = invite(client_admin)
    assert client_class().get(reverse("invitation_accept", args=[first])).status_code == 410
    assert client_class().get(reverse("invitation_accept", args=[second])).status_code == 200
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1


def test_it_rejects_mismatched_passwords_in_place(client_admin, client_class):
    token = invite(client_admin)
    response = client_class().post(
        reverse("invitation_accept", args=[token]),
        {"password1": NEW_PASSWORD, "password2": "something-else-entirely", "timezone": "America/Chicago"},
    )
    assert response.status_code == 400
    assert b"The two passwords differ" in response.content
    assert not get_user_model().objects.filter(email="new.agent@example.test").exists()


def test_it_refuses_inviting_from_an_agent(client_agent_a):
    response = client_agent_a.post(reverse("invitations"), {"email": "x@example.test", "name": "X", "role": "admin"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_it_refuses_an_invalid_invitation_form(client_admin):
    response = client_admin.post(reverse("invitations"), {"email": "not-an-email", "name": "", "role": "owner"})
    assert response.status_code == 400
    assert not Invitation.objects.exists()
