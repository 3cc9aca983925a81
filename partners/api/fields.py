"""Serializer fields the API's inputs share."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from partners import bounds


class StrictBooleanField(serializers.BooleanField):
    """JSON ``true`` or ``false`` only (DRF would also take ``1``, ``"yes"``, ``"on"``, …)."""

    default_error_messages = {"invalid": _("Give true or false.")}

    def to_internal_value(self, data):
        if data is True or data is False:
            return data
        self.fail("invalid")


class StrictCharField(serializers.CharField):
    """A JSON string only (DRF would turn ``0`` or ``true`` into ``"0"``/``"True"``)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer only (DRF would also take ``"12"`` and ``12.0``)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDecimalField(serializers.DecimalField):
    """A decimal written as a JSON string, as the schema says (``"75.00"``), not a float."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class DateField(serializers.DateField):
    """A business date (``partners.bounds``: no deadline arithmetic runs off the calendar)."""

    default_error_messages = {"range": bounds.DATE_RANGE_MESSAGE}

    def to_internal_value(self, value):
        date = super().to_internal_value(value)
        if not bounds.is_business_date(date):
            self.fail("range")
        return date
