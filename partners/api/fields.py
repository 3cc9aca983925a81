"""Serializer fields the API's inputs share."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictBooleanField(serializers.BooleanField):
    """JSON ``true`` or ``false`` only (DRF would also take ``1``, ``"yes"``, ``"on"``, …)."""

    default_error_messages = {"invalid": _("Give true or false.")}

    def to_internal_value(self, data):
        if data is True or data is False:
            return data
        self.fail("invalid")
