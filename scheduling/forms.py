"""Forms for availability entries and the showing filters. Model `clean()` holds the rules; forms parse."""

from django import forms

from scheduling.models import AvailabilityBlock, DateOverride, Showing, Unit, WeeklyRule

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WeeklyRuleForm(forms.ModelForm):
    class Meta:
        model = WeeklyRule
        fields = ["weekday", "start_time", "end_time", "effective_from", "effective_until"]
        widgets = {"start_time": TIME, "end_time": TIME, "effective_from": DATE, "effective_until": DATE}
        labels = {"effective_from": "From (optional)", "effective_until": "Until (optional)"}


class DateOverrideForm(forms.ModelForm):
    class Meta:
        model = DateOverride
        fields = ["date", "closed", "start_time", "end_time"]
        widgets = {"date": DATE, "start_time": TIME, "end_time": TIME}
        labels = {"closed": "Closed all day"}


class BlockForm(forms.ModelForm):
    """Times are read and shown in the owner's zone (the view activates it)."""

    class Meta:
        model = AvailabilityBlock
        fields = ["starts_at", "ends_at", "reason"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}
        labels = {"starts_at": "From", "ends_at": "Until"}


class ShowingFilterForm(forms.Form):
    VIEWS = [("list", "List"), ("week", "Week")]

    date_from = forms.DateField(required=False, widget=DATE, label="From")
    date_to = forms.DateField(required=False, widget=DATE, label="To")
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), ("live", "Upcoming (live)"),
                                                        *Showing.Status.choices])
    unit = forms.ModelChoiceField(required=False, queryset=Unit.objects.none(), empty_label="Any unit")
    view = forms.ChoiceField(required=False, choices=VIEWS, initial="list")

    def __init__(self, *args, units=None, agents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        if agents is not None:  # admins only: narrow to one agent
            self.fields["agent"] = forms.ModelChoiceField(required=False, queryset=agents, empty_label="Any agent")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "“To” must be on or after “From”.")
        return data


class AdminBookingForm(forms.Form):
    """Book one of the offered slots by hand; the key is minted when the page renders, so a
    double-submitted form replays instead of booking twice."""

    agent_id = forms.IntegerField(widget=forms.HiddenInput)
    starts_at = forms.DateTimeField(widget=forms.HiddenInput, input_formats=["%Y-%m-%dT%H:%M:%S%z"])
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    lead_name = forms.CharField(max_length=200, label="Lead name")
    lead_contact = forms.CharField(max_length=200, required=False, label="Lead contact")
