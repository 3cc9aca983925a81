"""Forms of the actions on the household/case page. Each carries the case's ``version`` it was shown
with, so a change someone else made in the meantime is refused (``partners.errors.Conflict``)."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arrears import checklist, outcomes
from arrears.forms.queue import person_label
from arrears.models import EvictionStep, Referral
from arrears.vocabularies import ContactKind, PartOfDay
from partners import bounds

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d-%m-%y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, *, required=True, help_text=""):
    """A business date (``partners.bounds``): 9999-12-31 is a form error, not an overflow later on."""
    return bounds.BusinessDateField(
        label=label, required=required, widget=DateInput, input_formats=DATE_FORMATS, help_text=help_text
    )


def today():
    return timezone.localdate()


def not_in_future(value, field_label):
    if value and value > today():
        raise forms.ValidationError(
            _("%(field)s cannot be in the future."), params={"field": field_label}, code="future"
        )
    return value


class CaseActionForm(forms.Form):
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        kwargs.setdefault("auto_id", f"id_%s_{self.prefix_name}")
        super().__init__(*args, **kwargs)
        if case is not None and not self.is_bound:
            self.initial.setdefault("expected_version", case.version)

    prefix_name = "action"


class EmptyActionForm(CaseActionForm):
    """Claim, release, take up: nothing to fill in."""

    prefix_name = "plain"


class AssignForm(CaseActionForm):
    prefix_name = "assign"
    assignee = forms.ChoiceField(label=_("Assign to"))

    def __init__(self, *args, assignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(u.pk): u for u in assignees}
        self.fields["assignee"].choices = [("", "—")] + [(pk, person_label(u)) for pk, u in self.people.items()]

    def clean_assignee(self):
        return self.people[self.cleaned_data["assignee"]]


class ContactAttemptForm(CaseActionForm):
    prefix_name = "contact"
    kind = forms.ChoiceField(label=_("How"), choices=ContactKind.choices)
    reached = forms.TypedChoiceField(
        label=_("Reached the household?"),
        choices=[("yes", _("Yes, reached")), ("no", _("No, not reached"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    date = date_field(_("Date"))
    part_of_day = forms.ChoiceField(label=_("Part of day"), required=False, choices=[("", "—"), *PartOfDay.choices])
    outcome = forms.CharField(
        label=_("Outcome"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", today())

    def clean_date(self):
        return not_in_future(self.cleaned_data["date"], _("The date"))


class NoteForm(CaseActionForm):
    prefix_name = "note"
    text = forms.CharField(label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    shareable = forms.BooleanField(
        label=_("Share with the other partner"),
        required=False,
        help_text=_("Unshared notes are seen only by your own organisation."),
    )


class ChecklistForm(CaseActionForm):
    """Several Besluit art. 2 steps in one submit, each ticked with its own date (docs/adr/0090). The
    reminder's date is filled in from the ledger where the corporation's export carries it
    (``ledger_reminder``); every other date starts at today."""

    prefix_name = "checklist"
    respite_reason = forms.CharField(
        label=_("Reason during respite"),
        required=False,
        max_length=500,
        help_text=_(
            "Only during respite, for a reminder or an eviction step: why it cannot wait. The social service sees it."
        ),
    )

    def __init__(self, *args, ledger_reminder=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ledger_reminder = ledger_reminder
        fields = {}
        for item, (field, label) in checklist.ITEMS.items():
            done = getattr(self.case, field, None) if self.case is not None else None
            fields[item] = forms.BooleanField(label=label, required=False)
            fields[f"{item}_date"] = date_field(_("Done on"), required=False)
            if done:
                fields[item].help_text = _("Recorded: %(date)s. Tick to correct the date.") % {
                    "date": done.strftime("%d-%m-%Y")
                }
            initial = done or today()
            if item == "reminder_sent" and not done and ledger_reminder:
                initial = ledger_reminder
                fields[f"{item}_date"].help_text = _("From the ledger export of the rent administration: %(date)s.") % {
                    "date": ledger_reminder.strftime("%d-%m-%Y")
                }
            self.initial.setdefault(f"{item}_date", initial)
        # The steps first, in the law's order; the respite reason after them.
        self.fields = {**fields, **self.fields}

    def steps(self):
        """``(checkbox, date)`` bound fields per step, for the page."""
        return [(self[item], self[f"{item}_date"]) for item in checklist.ITEMS]

    def clean(self):
        data = super().clean()
        chosen = {}
        for item in checklist.ITEMS:
            if not data.get(item):
                continue
            date = data.get(f"{item}_date")
            if date is None:
                if f"{item}_date" not in self.errors:
                    self.add_error(f"{item}_date", _("Give the date this step was done."))
                continue
            try:
                chosen[item] = not_in_future(date, _("The date"))
            except forms.ValidationError as error:
                self.add_error(f"{item}_date", error)
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Tick at least one step."), code="required")
        data["steps"] = chosen
        return data


class ObjectionForm(CaseActionForm):
    prefix_name = "objection"
    date = date_field(_("Objected on"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def clean_date(self):
        return not_in_future(self.cleaned_data["date"], _("The date"))


class ReferralForm(CaseActionForm):
    prefix_name = "referral"
    to_partner = forms.ModelChoiceField(label=_("Refer to"), queryset=None, empty_label=None)
    consent_on = date_field(_("Household consented on"), help_text=_("A referral needs the household's consent."))
    consent_how = forms.ChoiceField(
        label=_("How the household consented"), required=False, choices=[("", "—"), *Referral.ConsentHow.choices]
    )
    reason = forms.CharField(
        label=_("Why (for the social service)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_partner"].queryset = targets

    def clean_consent_on(self):
        return not_in_future(self.cleaned_data["consent_on"], _("The date of consent"))


class ConsentWithdrawForm(CaseActionForm):
    """The household withdrew its consent to the warm handover, or objected to the sharing after it."""

    prefix_name = "consent_withdraw"
    date = date_field(_("Consent withdrawn on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", today())

    def clean_date(self):
        return not_in_future(self.cleaned_data["date"], _("The date"))


class ReferralDecisionForm(CaseActionForm):
    prefix_name = "decision"
    referral = forms.ModelChoiceField(queryset=Referral.objects.none(), widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, referrals=None, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        if referrals is not None:
            self.fields["referral"].queryset = referrals
        if reason_required:
            self.fields["reason"].required = True
            self.fields["reason"].label = _("Reason (required when declining)")


class RespiteForm(CaseActionForm):
    """Grant (the end date may be left empty: the default period), extend (new end date), end."""

    prefix_name = "respite"
    until = date_field(_("Respite until"), required=False)
    text = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Shared with the corporation: it reads this note. Put what is for your own organisation only below."
        ),
    )
    # docs/adr/0082: what the social service keeps to itself goes in a note of its own, never shared.
    private_note = forms.CharField(
        label=_("Private note (your organisation only)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, mode="grant", **kwargs):
        super().__init__(*args, **kwargs)
        self.mode = mode
        if mode == "grant":
            days = settings.TIJDIG["RESPITE_DEFAULT_DAYS"]
            self.fields["until"].help_text = _("Empty: %(days)d days from today.") % {"days": days}
        if mode == "extend":
            self.fields["until"].required = True
            self.fields["until"].label = _("Extend respite until")
        if mode in ("extend", "end"):
            self.fields["text"].required = True
            self.fields["text"].label = _("Reason")
        if mode == "end":
            del self.fields["until"]

    def clean_until(self):
        until = self.cleaned_data.get("until")
        if until and until <= today():
            raise forms.ValidationError(_("The end of the respite must be after today."), code="past")
        return until


class PaymentArrangementForm(CaseActionForm):
    prefix_name = "arrangement"
    monthly_amount = forms.DecimalField(
        label=_("Monthly amount (€)"), min_value=1, max_digits=8, decimal_places=2, localize=True
    )
    start_date = date_field(_("First payment on"))
    end_date = date_field(_("Last payment on"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last payment cannot be before the first."))
        return data


class EvictionStepForm(CaseActionForm):
    """A step of a rent eviction (the service checks which dates may lie ahead)."""

    prefix_name = "eviction"
    kind = forms.ChoiceField(label=_("Step"), choices=[("", "—"), *EvictionStep.Kind.choices])
    date = date_field(_("Date"), help_text=_("For an announced eviction: the eviction date."))
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    respite_reason = forms.CharField(
        label=_("Reason during respite"),
        required=False,
        max_length=500,
        help_text=_(
            "Only during respite, for a reminder or an eviction step: why it cannot wait. The social service sees it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", today())


class CloseForm(CaseActionForm):
    """Close with the closer's list (``arrears.outcomes``): ``partner`` is the partner the closer acts
    for (the queue's). A social service picks a DDAS final result (``outcome``), a corporation its own
    outcome (``corporation_outcome``); the other list's field is refused with the reason."""

    prefix_name = "close"
    reason = forms.CharField(
        label=_("Explanation"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        self.outcomes = outcomes.closing_outcomes(partner)
        field = forms.ChoiceField(label=self.outcomes.label, choices=[("", "—"), *self.outcomes.choices.choices])
        self.fields = {self.outcomes.field: field, **self.fields}

    @property
    def other_field(self):
        return next(name for name in outcomes.FIELDS if name != self.outcomes.field)

    def clean(self):
        data = super().clean()
        if self.data.get(self.other_field):
            raise forms.ValidationError(outcomes.wrong_list(self.partner), code="wrong_list")
        return data

    @property
    def arrears_paid(self):
        """The one-click close of a case whose arrears ended: this field, this value, its label."""
        value = self.outcomes.arrears_paid
        return self.outcomes.field, value, self.outcomes.choices(value).label
