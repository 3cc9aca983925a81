"""Filters for the arrears API's lists (django-filter): each one documents itself in the schema."""

from zoneinfo import ZoneInfo

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arrears import disclosure, eviction
from arrears.models import Case, Referral, Signal
from arrears.selectors.triage import AGE_65_PLUS, AGE_UNDER_27, age_q, with_repeat
from arrears.vocabularies import CorporationOutcome, FinalResult
from arrears.workflow import OPEN_STATES, CaseState
from partners.api.context import acting_membership
from partners.api.filters import BooleanFilter, IdFilter


class CaseFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=CaseState.choices, help_text=_("Repeat for several states."))
    open = BooleanFilter(method="filter_open", help_text=_("true: not closed; false: closed."))
    queue = django_filters.CharFilter(field_name="queue_partner__slug", help_text=_("Slug of the queue's partner."))
    assignee = django_filters.CharFilter(field_name="assignee__username", help_text=_("User name of the assignee."))
    unassigned = BooleanFilter(field_name="assignee", lookup_expr="isnull")
    household = IdFilter(field_name="household_id")
    municipality = django_filters.CharFilter(
        field_name="household__municipality_id", help_text=_("CBS code, e.g. 0505.")
    )
    neighbourhood = django_filters.CharFilter(
        field_name="household__neighbourhood_id", help_text=_("CBS neighbourhood code, e.g. BU05050101.")
    )
    outcome = django_filters.ChoiceFilter(choices=FinalResult.choices)
    corporation_outcome = django_filters.ChoiceFilter(choices=CorporationOutcome.choices)
    is_late = BooleanFilter()
    crisis = BooleanFilter(
        method="filter_crisis", help_text=_("true: an eviction is announced or granted by a judgment (crisis).")
    )
    in_respite = BooleanFilter(
        field_name="respite_until", lookup_expr="isnull", exclude=True, help_text=_("true: respite is set.")
    )
    opened_after = django_filters.DateFilter(
        field_name="opened_at", lookup_expr="date__gte", help_text=_("On or after.")
    )
    opened_before = django_filters.DateFilter(field_name="opened_at", lookup_expr="date__lt", help_text=_("Before."))
    # The queue's triage rules, defined once in arrears.selectors.triage (docs/adr/0094).
    repeat = BooleanFilter(
        method="filter_repeat",
        help_text=_(
            "true: repeat arrears — the case's arrears episode began within 12 months of the end of an earlier "
            "episode of the household (only where you see the household's episodes)."
        ),
    )
    age = django_filters.ChoiceFilter(
        choices=[(AGE_UNDER_27, _("Under 27")), (AGE_65_PLUS, _("65 and over"))],
        method="filter_age",
        help_text=_("The household's age today (Europe/Amsterdam), where you see its date of birth."),
    )

    class Meta:
        model = Case
        fields = []

    def filter_open(self, queryset, name, value):
        condition = Q(state__in=OPEN_STATES)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_crisis(self, queryset, name, value):
        condition = eviction.crisis_q()
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def _readers(self):
        return disclosure.reader_partner_ids(self.request.user)

    def filter_repeat(self, queryset, name, value):
        return with_repeat(queryset, partner_ids=self._readers()).filter(repeat=value)

    def filter_age(self, queryset, name, value):
        today = timezone.localdate(timezone=ZoneInfo("Europe/Amsterdam"))
        return queryset.filter(age_q(value, today=today, partner_ids=self._readers()))


class SignalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Signal.Status.choices)
    case = IdFilter(field_name="case_id")
    household = IdFilter(field_name="household_id")
    opened_after = django_filters.DateFilter(field_name="opened_on", lookup_expr="gte")
    opened_before = django_filters.DateFilter(field_name="opened_on", lookup_expr="lt")
    min_amount = django_filters.NumberFilter(
        field_name="amount", lookup_expr="gte", min_value=0, max_value=10**8, decimal_places=2
    )

    class Meta:
        model = Signal
        fields = []


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Referral.Status.choices)
    case = IdFilter(field_name="case_id")
    direction = django_filters.ChoiceFilter(
        choices=[("sent", _("Sent by my organisation")), ("received", _("Received by my organisation"))],
        method="filter_direction",
    )

    class Meta:
        model = Referral
        fields = []

    def filter_direction(self, queryset, name, value):
        partner = acting_membership(self.request).partner
        return queryset.filter(from_partner=partner) if value == "sent" else queryset.filter(to_partner=partner)
