"""Filters for household and tenancy lists (django-filter)."""

import django_filters

from households.models import Household, Tenancy
from partners.api.filters import BooleanFilter, IdFilter


class HouseholdFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality_id", help_text="CBS municipality code, e.g. 0505."
    )
    neighbourhood = django_filters.CharFilter(
        field_name="neighbourhood_id", help_text="CBS neighbourhood code, e.g. BU05050101."
    )

    class Meta:
        model = Household
        fields = ["municipality", "neighbourhood"]


class TenancyFilter(django_filters.FilterSet):
    contract_number = django_filters.CharFilter(help_text="The corporation's contract number (exact).")
    household = IdFilter(field_name="household_id")
    active = BooleanFilter(field_name="end_date", lookup_expr="isnull", help_text="true: without an end date.")

    class Meta:
        model = Tenancy
        fields = ["contract_number", "household", "active"]
