"""The filter backend: django-filter, after refusing query values the database cannot take."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend; a NUL character in any query parameter is a 400, not a database error."""

    def filter_queryset(self, request, queryset, view):
        bad = sorted({key for key, values in request.query_params.lists() for value in values if "\x00" in value})
        if bad:
            raise ValidationError({key: [_("Contains a NUL character.")] for key in bad})
        return super().filter_queryset(request, queryset, view)


MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number from 1 (anything else is a 400, never a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
