import zoneinfo

from django import forms
from django.contrib.auth import password_validation

from leasebot.models import Invitation


def timezone_choices():
    common = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London"]
    rest = sorted(zoneinfo.available_timezones() - set(common))
    return [(name, name) for name in common + rest]


class InvitationForm(forms.Form):
    email = forms.EmailField(max_length=254)
    name = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Invitation.Role.choices)


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        if invitation.role == Invitation.Role.AGENT:
            self.fields["timezone"] = forms.ChoiceField(
                label="Your time zone", choices=timezone_choices(), initial="America/New_York"
            )
            self.fields["phone"] = forms.CharField(label="Phone (optional)", max_length=40, required=False)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ.")
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
