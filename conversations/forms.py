import uuid

from django import forms

from conversations.inbox import QUEUES, InboxFilters
from conversations.models import PLATFORMS, Outcome, WorkflowState

MAX_REPLY = 5000
ONE_TAP_OUTCOMES = (
    (Outcome.NOT_INTERESTED, "Not interested"),
    (Outcome.WANTS_RESCHEDULE, "Wants reschedule"),
    (Outcome.NO_SHOW, "No show"),
    (Outcome.COMPLETED, "Completed"),
)


class InboxFilterForm(forms.Form):
    queue = forms.ChoiceField(choices=QUEUES, required=False)
    platform = forms.ChoiceField(choices=[("", "All platforms"), *PLATFORMS], required=False)
    state = forms.ChoiceField(choices=[("", "Any state"), *WorkflowState.choices], required=False)
    outcome = forms.ChoiceField(choices=[("", "Any outcome"), *Outcome.choices], required=False)
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    agent = forms.IntegerField(required=False, min_value=1)
    q = forms.CharField(required=False, max_length=100, label="Search")
    cursor = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def filters(self, *, allow_agent_filter):
        data = self.cleaned_data if self.is_valid() else {}
        return InboxFilters(
            queue=data.get("queue") or "open",
            platform=data.get("platform") or "",
            state=data.get("state") or "",
            outcome=data.get("outcome") or "",
            unit=data.get("unit"),
            agent=data.get("agent") if allow_agent_filter else None,
            q=data.get("q") or "",
            cursor=data.get("cursor") or "",
        )


class ReplyForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_REPLY, label="Reply")
    # Minted when the form is rendered: a double click posts the same key and queues once.
    dispatch_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class ApproveForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_REPLY, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=ONE_TAP_OUTCOMES)


class EscalateForm(forms.Form):
    reason = forms.CharField(max_length=60, required=False)


class AssignForm(forms.Form):
    agent = forms.IntegerField(min_value=1)


class BookSlotForm(forms.Form):
    starts_at = forms.DateTimeField()
    agent = forms.IntegerField(min_value=1)
