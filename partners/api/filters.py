"""The filter backend: django-filter, after refusing query values the database cannot take."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from partners import bounds


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend; a NUL character in any query parameter is a 400, not a database error."""

    def filter_queryset(self, request, queryset, view):
        bad = sorted({key for key, values in request.query_params.lists() for value in values if "\x00" in value})
        if bad:
            raise ValidationError({key: [_("Contains a NUL character.")] for key in bad})
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            empty = [
                name
                for name, filter_ in filterset_class.base_filters.items()
                if not isinstance(filter_, django_filters.CharFilter) and request.query_params.get(name, None) == ""
            ]
            if empty:
                raise ValidationError({name: [_("Give a value, or leave the parameter out.")] for name in empty})
        return super().filter_queryset(request, queryset, view)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number from 1 (anything else is a 400, never a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", bounds.MAX_ID)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` (also ``1``/``0``) and nothing else: an unknown value is a 400, not "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError(_("Give true or false."), code="invalid") from None


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField
