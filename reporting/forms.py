"""The dashboards' query parameters and the monitor export's form, with messages a person can act on."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners import bounds
from reporting.page import QUARTER_VIEW, WEEK_RANGES, WEEK_VIEW, selectable_weeks
from reporting.weeks import Quarter, Week


class DashboardForm(forms.Form):
    weeks = forms.TypedChoiceField(
        label=_("Weeks"),
        choices=[(count, _("%(count)s weeks") % {"count": count}) for count in WEEK_RANGES],
        coerce=int,
        required=False,
        empty_value=WEEK_RANGES[0],
    )
    week = forms.ChoiceField(label=_("Week"), required=False)
    view = forms.ChoiceField(
        label=_("Reach and help accepted"),
        required=False,
        choices=[(WEEK_VIEW, _("per week")), (QUARTER_VIEW, _("per quarter"))],
    )
    partner = forms.SlugField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.selectable = selectable_weeks(now)
        self.fields["week"].choices = [("", _("This week"))] + [(week.label, week.label) for week in self.selectable]

    def clean_week(self):
        value = self.cleaned_data.get("week")
        return Week.parse(value) if value else None


def previous_quarter(today=None):
    """The last completed calendar quarter, ``(first day, last day)``: the monitor export's default period,
    the same quarters as the dashboard's quarter view (``reporting.weeks.Quarter``)."""
    quarter = Quarter.containing(today or timezone.localdate()).shifted(-1)
    return quarter.first_day, quarter.last_day


DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DdasExportForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, to_field_name="code")
    date_from = bounds.BusinessDateField(label=_("From"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)
    date_to = bounds.BusinessDateField(label=_("To (inclusive)"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)
    partner = forms.SlugField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The last day is before the first day."))
        return cleaned
