"""The queue's filter form (GET: no personal data), search form (POST, kept in the session) and the
team lead's bulk assignment."""

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from arrears.selectors.queue import (
    ARREARS_CLEARED,
    ARREARS_OPEN,
    ASSIGNEE_ME,
    ASSIGNEE_NONE,
    DEFAULT_SORT,
    QUEUE_ALL,
    QUEUE_ELSEWHERE,
    QUEUE_MINE,
    QUEUE_OWN,
    QUEUE_REFERRED,
    SORTS,
    STATE_ANY,
    STATE_OPEN,
    TRAY_CRISIS,
    TRAY_IN_PROGRESS,
    TRAY_NEW,
    TRAY_OVERDUE,
    TRAY_REFERRAL,
    TRAYS,
    QueueFilters,
)
from arrears.selectors.triage import AGE_65_PLUS, AGE_UNDER_27
from arrears.workflow import CaseState
from partners import bounds

PAGE_SIZES = (25, 50, 100)


def person_label(user):
    return user.get_full_name() or user.username


def tray_labels(*, social_service: bool) -> dict:
    """The trays a partner's queue has, most urgent first, with their names (docs/adr/0091). A
    corporation receives no referrals, so it has no referral tray; its new cases are new arrears, a
    social service's are new signals."""
    labels = {
        TRAY_CRISIS: _("Crisis: eviction"),
        TRAY_REFERRAL: _("Referrals waiting for your answer"),
        TRAY_OVERDUE: _("First contact overdue"),
        TRAY_NEW: _("New signals") if social_service else _("New arrears"),
        TRAY_IN_PROGRESS: _("In progress"),
    }
    if not social_service:
        del labels[TRAY_REFERRAL]
    return {key: labels[key] for key in TRAYS if key in labels}


class QueueFilterForm(forms.Form):
    """Reads the queue's query string. Invalid values are reported and then ignored."""

    queue = forms.ChoiceField(
        label=_("Queue"),
        required=False,
        choices=[
            (QUEUE_MINE, _("My queue")),
            (QUEUE_OWN, _("Only our own queue")),
            (QUEUE_REFERRED, _("Referred to us, awaiting an answer")),
            (QUEUE_ELSEWHERE, _("In another partner's queue")),
            (QUEUE_ALL, _("Everything I may see")),
        ],
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(STATE_OPEN, _("All open")), *CaseState.choices, (STATE_ANY, _("All, including closed"))],
    )
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    neighbourhood = forms.ChoiceField(label=_("Neighbourhood"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    amount_min = forms.DecimalField(label=_("Arrears from (€)"), required=False, min_value=0, decimal_places=2)
    amount_max = forms.DecimalField(label=_("Arrears up to (€)"), required=False, min_value=0, decimal_places=2)
    months_min = forms.DecimalField(label=_("Months from"), required=False, min_value=0, decimal_places=2)
    months_max = forms.DecimalField(label=_("Months up to"), required=False, min_value=0, decimal_places=2)
    respite = forms.ChoiceField(
        label=_("Respite"),
        required=False,
        choices=[("", _("With or without")), ("yes", _("In respite")), ("no", _("Not in respite"))],
    )
    overdue = forms.BooleanField(label=_("Not contacted within 5 working days"), required=False)
    tray = forms.ChoiceField(label=_("Tray"), required=False)
    arrears = forms.ChoiceField(
        label=_("Arrears episode"),
        required=False,
        choices=[
            ("", _("Open or cleared")),
            (ARREARS_OPEN, _("Arrears still open")),
            (ARREARS_CLEARED, _("Arrears cleared, case still open")),
        ],
    )
    # Offered only to readers who may see what they are made of (queue_filter_options, arrears.disclosure).
    repeat = forms.ChoiceField(
        label=_("Repeat arrears"),
        required=False,
        choices=[("", _("First or repeat")), ("yes", _("Repeat arrears only"))],
    )
    age = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[("", _("All ages")), (AGE_UNDER_27, _("Under 27")), (AGE_65_PLUS, _("65 and over"))],
    )
    sort = forms.ChoiceField(
        required=False,
        widget=forms.HiddenInput,
        choices=[(k, k) for key in SORTS for k in (key, f"-{key}")],
    )
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        coerce=int,
        empty_value=PAGE_SIZES[0],
        choices=[(n, n) for n in PAGE_SIZES],
    )

    #: Filters offered only where ``options`` says the user may use them: another value is reported and ignored.
    ROLE_FILTERS = ("repeat", "age")

    def __init__(self, data, *, options, overdue_days=5):
        super().__init__(data)
        social_service = options.get("social_service", False)
        trays = tray_labels(social_service=social_service)
        # A filter that can never match for the user's role is not offered (issue 16): a corporation
        # receives no referrals. (Every state stays: the dashboard's queue table links each one, for a
        # social service too, and its "new" and "in progress" cells are honest zeros — a state filter
        # matches only rows whose workflow the reader sees, never a referral waiting on its answer.)
        if not social_service:
            self._drop_choices("queue", {QUEUE_REFERRED})
        self.forged = []
        for name in self.ROLE_FILTERS:
            if not options.get(name, False):
                del self.fields[name]
                if data and data.get(name):
                    self.forged.append(name)
        self.fields["tray"].choices = [("", _("All trays")), *trays.items()]
        self.fields["overdue"].label = _("Not contacted within %(days)s working days") % {"days": overdue_days}
        self.fields["municipality"].choices = [("", _("All municipalities"))] + [
            (m.code, m.name) for m in options["municipalities"]
        ]
        self.fields["neighbourhood"].choices = [("", _("All neighbourhoods"))] + [
            (n.code, f"{n.name} ({n.municipality.name})") for n in options["neighbourhoods"]
        ]
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            (ASSIGNEE_ME, _("Me")),
            (ASSIGNEE_NONE, _("Nobody (unclaimed)")),
        ] + [(str(u.pk), person_label(u)) for u in options["assignees"]]

    def _drop_choices(self, name, values):
        field = self.fields[name]
        field.choices = [(value, label) for value, label in field.choices if value not in values]

    def clean(self):
        data = super().clean()
        for name in self.forged:
            label = self.base_fields[name].label
            self.add_error(None, _("The filter “%(name)s” is not available to you; it was ignored.") % {"name": label})
        for low, high in (("amount_min", "amount_max"), ("months_min", "months_max")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, _("The upper bound must not be below the lower bound."))
        return data

    def _value(self, name, default):
        """The cleaned value of a field, or the default when it was missing or invalid."""
        if not self.is_bound or name in self.errors or name not in self.fields:
            return default
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value

    def filters(self, *, search=""):
        self.is_valid()
        return QueueFilters(
            state=self._value("state", STATE_OPEN),
            queue=self._value("queue", QUEUE_MINE),
            municipality=self._value("municipality", ""),
            neighbourhood=self._value("neighbourhood", ""),
            assignee=self._value("assignee", ""),
            amount_min=self._value("amount_min", None),
            amount_max=self._value("amount_max", None),
            months_min=self._value("months_min", None),
            months_max=self._value("months_max", None),
            respite=self._value("respite", ""),
            overdue=bool(self._value("overdue", False)),
            tray=self._value("tray", ""),
            arrears=self._value("arrears", ""),
            repeat=self._value("repeat", ""),
            age=self._value("age", ""),
            search=search,
            sort=self._value("sort", DEFAULT_SORT),
        )

    @property
    def page_size(self):
        self.is_valid()
        return self._value("per_page", PAGE_SIZES[0])

    def querystring(self):
        """The valid filters as a query string (never the search term, which is not a field here)."""
        self.is_valid()
        pairs = []
        for name in self.fields:
            value = self._value(name, None)
            if value in (None, "", False) or (name == "sort" and value == DEFAULT_SORT):
                continue
            if name == "per_page" and value == PAGE_SIZES[0]:
                continue
            pairs.append((name, "1" if value is True else str(value)))
        return urlencode(pairs)


class SearchForm(forms.Form):
    """Name, address, postcode or contract number: sent by POST and kept in the session only."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, strip=True)
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)


class IdListField(forms.Field):
    """Several ``<input name=... value=id>``: a list of ids (checkboxes in the queue's rows)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one case."),
        "invalid": _("“%(value)s” is not a case number."),
    }

    def to_python(self, value):
        """Ids within ``partners.bounds`` (a 30-digit number is not a case, not a database error)."""
        ids = []
        for item in [value] if isinstance(value, str) else value or []:
            number = bounds.parse_id(item)
            if number is None:
                raise forms.ValidationError(self.error_messages["invalid"], params={"value": str(item)[:30]})
            ids.append(number)
        return sorted(set(ids))


class BulkAssignForm(forms.Form):
    """A team lead assigns the ticked cases to one person."""

    assignee = forms.ChoiceField(label=_("Assign the selected cases to"))
    case = IdListField()
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def __init__(self, data=None, *, assignees):
        super().__init__(data)
        self.fields["assignee"].choices = [("", "—")] + [(str(u.pk), person_label(u)) for u in assignees]
