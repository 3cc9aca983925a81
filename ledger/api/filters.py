"""Filters of the import endpoints."""

import django_filters

from ledger.models import LedgerImport


class ImportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=LedgerImport.Status.choices)
    source = django_filters.ChoiceFilter(choices=LedgerImport.Source.choices)

    class Meta:
        model = LedgerImport
        fields = []
